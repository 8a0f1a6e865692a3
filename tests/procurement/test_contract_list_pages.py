"""The contract list pages through every contract the user may see (no silent cut-off), keeping filters."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from procurement.models import Contract, Vendor
from procurement.views import CONTRACTS_PER_PAGE

pytestmark = pytest.mark.django_db


def _contracts(n: int, user, *, vendor="Kestrel AI", status="needs_review"):
    v, _ = Vendor.objects.get_or_create(name=vendor)
    now = timezone.now()
    Contract.objects.bulk_create([
        Contract(vendor=v, title=f"{vendor} engagement {i:03d}", status=status, created_by=user,
                 created_at=now - datetime.timedelta(minutes=i))
        for i in range(n)])


def _titles(html: str) -> list[str]:
    return re.findall(r"engagement (\d{3})</a>", html)


def test_all_contracts_reachable_page_by_page_newest_first(client, users):
    total = CONTRACTS_PER_PAGE * 2 + 7
    _contracts(total, users.procurement)
    client.force_login(users.legal)
    url = reverse("procurement:contract_list")
    seen = []
    for page in (1, 2, 3):
        html = client.get(url, {"page": page}).content.decode()
        assert f"Page {page} of 3 ({total} contracts)" in html
        seen += _titles(html)
    assert seen == [f"{i:03d}" for i in range(total)]


def test_pager_keeps_the_filters_and_bad_page_numbers_show_a_valid_page(client, users):
    _contracts(CONTRACTS_PER_PAGE + 1, users.procurement, status="in_review")
    _contracts(5, users.procurement, vendor="Orvane", status="approved")
    client.force_login(users.legal)
    url = reverse("procurement:contract_list")
    html = client.get(url, {"status": "in_review"}).content.decode()
    assert "Page 1 of 2" in html
    assert 'href="?status=in_review&amp;page=2"' in html
    for bad in ("999", "abc", "-1"):
        response = client.get(url, {"status": "in_review", "page": bad})
        assert response.status_code == 200
        assert "Page " in response.content.decode()
    assert "Pages" not in client.get(url, {"status": "approved"}).content.decode()  # one page: no pager
