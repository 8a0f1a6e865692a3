"""Login throttling (django-axes) and password hashing (issue 6, "Deployment security")."""
import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model

from config.settings import base

PASSWORD = "correct-horse-battery-2026"
LOGIN = "/accounts/login/"


@pytest.fixture
def axes_on(settings):
    """Throttling as in production (the test settings switch it off for client.login())."""
    settings.AXES_ENABLED = True
    return settings


@pytest.fixture
def alice(db):
    return get_user_model().objects.create_user("alice", password=PASSWORD)


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _logged_in(client):
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_out_the_right_one(client, axes_on, alice):
    for _ in range(5):
        response = _login(client, "alice", "wrong-password")
    assert not _logged_in(client)
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "Too many login attempts" in response.content.decode()
    assert "locked after 5 failed attempts" in response.content.decode()
    assert not _logged_in(client)


def test_four_wrong_passwords_still_allow_the_right_one(client, axes_on, alice):
    for _ in range(4):
        assert _login(client, "alice", "wrong-password").status_code == 200
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert _logged_in(client)


def test_lockout_is_per_username_and_ip_combination(client, axes_on, alice):
    get_user_model().objects.create_user("bob", password=PASSWORD)
    for _ in range(5):
        _login(client, "alice", "wrong-password", ip="10.0.0.1")
    assert _login(client, "alice", PASSWORD, ip="10.0.0.1").status_code == 429
    # Same user from another address, and another user from the same address, are not locked out.
    assert _login(client, "alice", PASSWORD, ip="10.0.0.2").status_code == 302
    client.logout()
    assert _login(client, "bob", PASSWORD, ip="10.0.0.1").status_code == 302


def test_admin_login_is_throttled_too(client, axes_on, db):
    get_user_model().objects.create_superuser("root", password=PASSWORD)
    for _ in range(5):
        client.post("/admin/login/", {"username": "root", "password": "nope"}, REMOTE_ADDR="10.0.0.9")
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429


def test_client_login_and_force_login_work_in_the_test_settings(client, alice):
    assert django_settings.AXES_ENABLED is False
    assert client.login(username="alice", password=PASSWORD)
    client.logout()
    client.force_login(alice)
    assert _logged_in(client)


def test_axes_backend_is_first_and_middleware_last():
    assert django_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert django_settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert "axes" in django_settings.INSTALLED_APPS
    assert base.AXES_ENABLED is True
    assert base.AXES_FAILURE_LIMIT == 5
    assert base.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert base.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_new_users_passwords_are_hashed_with_argon2(settings, db):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS  # the test settings use MD5 for speed
    user = get_user_model().objects.create_user("carol", password=PASSWORD)
    assert user.password.startswith("argon2$argon2id$")
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)
    assert not user.check_password("wrong")


def test_lockout_lifts_fifteen_minutes_after_the_last_failure(client, axes_on, alice):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(5):
        _login(client, "alice", "wrong-password")
    assert _login(client, "alice", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert _login(client, "alice", PASSWORD).status_code == 429  # still locked (and the cool-off restarts)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _login(client, "alice", PASSWORD).status_code == 302
