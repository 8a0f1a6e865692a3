"""Shared fixtures: media in a temp dir, service probes that skip locally and fail in CI."""
import os
import socket

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Keep every test's uploads out of the project's media folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """Skip when `name` is not listening locally; fail instead when REQUIRE_SERVICES=1 (CI)."""
    if _port_open(host, port):
        return
    message = f"{name} is not reachable at {host}:{port}"
    if REQUIRE_SERVICES:
        pytest.fail(message + " and REQUIRE_SERVICES=1")
    pytest.skip(message)


@pytest.fixture
def redis_url():
    """A Redis URL for tests that need a real broker (db 15 by default, flushed by the test)."""
    url = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
    require_service("Redis", "127.0.0.1", 6379)
    return url


@pytest.fixture
def require_postgres(settings):
    """Fail in CI (skip locally) unless the suite runs on PostgreSQL."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        if REQUIRE_SERVICES:
            pytest.fail("REQUIRE_SERVICES=1 but the suite is not running on PostgreSQL (set DATABASE_URL)")
        pytest.skip("not running on PostgreSQL")
