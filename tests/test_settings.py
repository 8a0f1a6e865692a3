import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _check(settings_module, **env):
    full = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    full.update(env, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=full,
                          capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_secret_key():
    result = _check("config.settings.production", DJANGO_ALLOWED_HOSTS="contracts.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _check("config.settings.production", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_production_starts_with_both():
    result = _check("config.settings.production", DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="a.example.org")
    assert result.returncode == 0, result.stderr


def test_embedded_default_uses_sqlite_and_eager_tasks():
    code = ("import django,os;os.environ['DJANGO_SETTINGS_MODULE']='config.settings.local';django.setup();"
            "from django.conf import settings as s;print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["django.db.backends.sqlite3", "True"], out.stderr


def test_database_url_and_broker_switch_to_real_engines():
    code = ("import django,os;os.environ['DJANGO_SETTINGS_MODULE']='config.settings.local';django.setup();"
            "from django.conf import settings as s;print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)")
    env = dict(os.environ, DATABASE_URL="postgres://postgres@127.0.0.1:5432/x", CELERY_BROKER_URL="redis://127.0.0.1:6379/0")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["django.db.backends.postgresql", "False"], out.stderr


@pytest.mark.services
def test_cache_url_switches_the_shared_cache_and_throttle_rates_come_from_the_environment(redis_url):
    code = ("import django,os;os.environ['DJANGO_SETTINGS_MODULE']='config.settings.local';django.setup();"
            "from django.conf import settings as s;from django.core.cache import cache;cache.set('k', 'v', 5);"
            "print(s.CACHES['default']['BACKEND'], cache.get('k'),"
            " s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['user'], s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['uploads'])")
    env = dict(os.environ, CACHE_URL=redis_url, API_THROTTLE_USER="5/second",
               API_THROTTLE_UPLOADS="7/day")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "v", "5/second", "7/day"], out.stderr
    env.pop("CACHE_URL")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split()[0] == "django.core.cache.backends.locmem.LocMemCache", out.stderr


@pytest.mark.parametrize("bad", ["lots", "5/fortnight", "1000/month", "0/min", "-3/hour", "10 per minute"])
def test_a_malformed_api_rate_stops_start_up_naming_the_variable(bad):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(API_THROTTLE_USER=bad, DJANGO_SETTINGS_MODULE="config.settings.local")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0
    assert f"API_THROTTLE_USER={bad!r} is not a rate: write N/second, N/minute, N/hour or N/day" in result.stderr


@pytest.mark.parametrize(("given", "read"), [("600/min", "600/min"), ("5/Second", "5/second"), (" 20 / h ", "20/h"),
                                             ("100/day", "100/day")])
def test_api_rates_in_every_documented_unit(given, read, monkeypatch):
    from config.env import throttle_rate

    monkeypatch.setenv("API_THROTTLE_TEST", given)
    assert throttle_rate("API_THROTTLE_TEST", default="1/s") == read
