"""Production settings pass `check --deploy` and harden cookies and headers (issue 6).

That production refuses to start without DJANGO_SECRET_KEY / DJANGO_ALLOWED_HOSTS is tested in
tests/test_settings.py.
"""
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent


def _production_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "FILE_ENCRYPTION", "DATABASE_URL", "CELERY_BROKER"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production",
               DJANGO_SECRET_KEY=secrets.token_urlsafe(50),  # 67 random chars: no security.W009
               DJANGO_ALLOWED_HOSTS="contracts.example.org", **extra)
    return env


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS:" not in result.stdout + result.stderr


@pytest.fixture(scope="module")
def production_settings():
    names = ["DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT",
             "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_CONTENT_TYPE_NOSNIFF",
             "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY", "SECURE_PROXY_SSL_HEADER", "MIDDLEWARE",
             "PASSWORD_HASHERS", "AXES_ENABLED", "STORAGES", "CONTENT_SECURITY_POLICY", "LOGGING_CONFIG"]
    code = ("import django, json; django.setup(); from django.conf import settings as s; "
            f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_production_env(),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_and_httponly(production_settings):
    s = production_settings
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is True
    assert s["SESSION_COOKIE_HTTPONLY"] is True


def test_production_forces_https_with_hsts(production_settings):
    s = production_settings
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_production_headers_csrf_csp_axes_argon2_and_encrypted_storage(production_settings):
    s = production_settings
    assert s["X_FRAME_OPTIONS"] == "DENY"
    assert s["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert s["SECURE_REFERRER_POLICY"] == "same-origin"
    assert "django.middleware.csrf.CsrfViewMiddleware" in s["MIDDLEWARE"]
    assert "csp.middleware.CSPMiddleware" in s["MIDDLEWARE"]
    assert s["MIDDLEWARE"][-1] == "axes.middleware.AxesMiddleware" and s["AXES_ENABLED"] is True
    assert s["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert s["STORAGES"]["default"]["BACKEND"] == "procurement.storage.EncryptedFileSystemStorage"
    assert s["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["script-src"] == ["'self'"]
    assert s["LOGGING_CONFIG"] == "config.logging.configure"


def test_production_refuses_to_start_with_a_malformed_encryption_key():
    out = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env=_production_env(FILE_ENCRYPTION_KEYS=f"{Fernet.generate_key().decode()},short"))
    assert out.returncode != 0
    assert "FILE_ENCRYPTION_KEYS holds a value that is not a Fernet key" in out.stderr
    assert "short" not in out.stderr.split("ImproperlyConfigured")[-1]  # the key itself is not echoed


def test_production_starts_with_valid_encryption_keys():
    keys = ",".join(Fernet.generate_key().decode() for _ in range(2))
    out = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env=_production_env(FILE_ENCRYPTION_KEYS=keys))
    assert out.returncode == 0, out.stderr


def test_https_redirect_and_hsts_header_in_production_mode(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/accounts/login/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    response = client.get("/accounts/login/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
