"""Real Celery worker processes for the worker tests: one place that starts, points and stops them.

Both the test process and the workers must see one database: PostgreSQL in CI (pytest-django's
test_<name> database is passed to the worker), or a file SQLite database. An in-memory SQLite test
database cannot be shared: `shared_db_url()` skips then, and fails under REQUIRE_SERVICES=1.
"""
import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import REQUIRE_SERVICES

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str | None:
    """Return a DATABASE_URL for the test database another process can open, or None (in-memory SQLite)."""
    s = connection.settings_dict
    if "postgresql" in s["ENGINE"]:
        auth = quote(s["USER"] or "") + (":" + quote(s["PASSWORD"]) if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    name = str(s["NAME"])
    if "sqlite" in s["ENGINE"] and name and ":memory:" not in name and "mode=memory" not in name:
        return f"sqlite:///{name}"
    return None


def shared_db_url() -> str:
    """Return `database_url()`; skip the test (fail under REQUIRE_SERVICES=1) when it cannot be shared."""
    url = database_url()
    if url is None:
        message = ("the test database is in-memory SQLite; run with DATABASE_URL (PostgreSQL) or "
                   "SQLITE_TEST_FILE=1 (a file SQLite test database) to share it")
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    return url


def reset_pools(app) -> None:
    """Forget pooled broker connections so a changed broker_url takes effect in this process.

    Earlier eager tests may have created pools for the empty broker URL (kombu falls back to
    amqp://localhost)."""
    from kombu import pools

    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()  # kombu's global producer/connection pools, keyed by connection


@contextmanager
def broker(url: str, *, connection_timeout: float | None = None):
    """Publish tasks from this process to `url` (not eagerly); restore the eager default afterwards."""
    from config.celery_app import app

    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_connection_timeout)
    app.conf.task_always_eager = False
    app.conf.broker_url = url
    if connection_timeout is not None:
        app.conf.broker_connection_timeout = connection_timeout
    reset_pools(app)
    try:
        yield app
    finally:
        app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_connection_timeout = saved
        reset_pools(app)


class Workers:
    """Start and stop real `celery worker` processes (solo pool unless asked, own process group) on one Redis URL.

    `start(name, pool="solo", **env)` returns (Popen, log path); `stop_all()` sends SIGTERM to each group, waits 20 s,
    then SIGKILL."""

    def __init__(self, redis_url: str, tmp_path: Path):
        self.redis_url, self.tmp_path, self.procs = redis_url, tmp_path, []

    def start(self, name: str, *, pool: str = "solo", **extra_env) -> tuple[subprocess.Popen, Path]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "SCAN_"))}
        env.update(DJANGO_SETTINGS_MODULE="config.settings.local", DATABASE_URL=shared_db_url(),
                   CELERY_BROKER_URL=self.redis_url, DJANGO_MEDIA_ROOT=str(settings.MEDIA_ROOT),
                   FILE_ENCRYPTION_KEYS=",".join(settings.FILE_ENCRYPTION_KEYS), DJANGO_SECRET_KEY="worker-test-key",
                   **{k: str(v) for k, v in extra_env.items()})
        log_path = self.tmp_path / f"{name}.log"
        log = open(log_path, "w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}", "--concurrency=1",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO", "-n", f"{name}@%h"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.procs.append((proc, log))
        return proc, log_path

    def stop_all(self) -> None:
        for proc, log in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)
            log.close()
        self.procs = []

