"""API fixtures: role users and the faked scanning seam of tests/procurement, token clients."""
import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.procurement.conftest import fake_scanner, run_on_commit, scanned_contract, users  # noqa: F401


@pytest.fixture
def api():
    """Return a function giving an APIClient authenticated with `user`'s token (anonymous for None)."""
    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client
    return make
