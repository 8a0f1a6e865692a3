"""REST API request-rate limits (procurement/api/throttles.py): 429 with Retry-After and the error body.

The suite's settings set very high rates; each test here sets low rates on the throttle classes and starts
from an empty cache, so counts from other tests never leak in.
"""
import pytest
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from tests.api.test_contracts_api import _upload


@pytest.fixture
def low_rates(monkeypatch):
    cache.clear()
    rates = {"user": "3/min", "uploads": "1/hour"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    yield rates
    cache.clear()


def _assert_throttled(response, *, max_wait: int):
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 1 <= wait <= max_wait
    body = response.json()["error"]
    assert body["code"] == "throttled" and body["fields"] == {}
    assert body["message"] == ("Too many requests from this account; wait and retry (Retry-After gives the "
                               f"seconds). Expected available in {wait} seconds.")


@pytest.mark.django_db
def test_user_over_the_rate_gets_429_with_retry_after(api, users, low_rates):
    client = api(users.legal)
    assert [client.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    _assert_throttled(client.get("/api/v1/me/"), max_wait=60)
    # another user has a count of their own
    assert api(users.manager).get("/api/v1/me/").status_code == 200


@pytest.mark.django_db
def test_anonymous_requests_are_refused_before_any_count(api, users, low_rates):
    client = api(None)
    assert [client.get("/api/v1/me/").status_code for _ in range(5)] == [401] * 5
    assert api(users.legal).get("/api/v1/me/").status_code == 200


@pytest.mark.django_db
def test_uploads_have_their_own_lower_rate_and_listing_is_not_counted(api, users, fake_scanner, run_on_commit,
                                                                     low_rates):
    low_rates["user"] = "100/min"
    client = api(users.procurement)
    assert _upload(client).status_code == 201
    throttled = _upload(client, data=b"Another contract text, different bytes.", name="second.txt")
    _assert_throttled(throttled, max_wait=3600)
    assert client.get("/api/v1/contracts/").status_code == 200  # GET of the same view is not a scan start
