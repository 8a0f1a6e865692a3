"""Manager dashboard: figures are right and the query count does not grow with the number of contracts."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from procurement.models import Contract, ContractVersion, Finding, Scan, Vendor
from procurement.selectors import dashboard_stats

pytestmark = pytest.mark.django_db


def _make(n, users):
    """n contracts over 3 vendors and 2 reviewers, each with a scan holding one open high finding."""
    vendors = [Vendor.objects.create(name=f"Vendor {i}") for i in range(3)]
    today = timezone.localdate()
    for i in range(n):
        status = ["needs_review", "in_review", "approved", "changes_requested", "rejected"][i % 5]
        c = Contract.objects.create(vendor=vendors[i % 3], title=f"c{i}", status=status, created_by=users.procurement,
                                    assignee=[users.legal, users.legal2, None][i % 3],
                                    due_date=today - datetime.timedelta(days=1) if i % 2 else None)
        v = ContractVersion.objects.create(contract=c, number=1, file="contracts/x", original_filename="x.txt",
                                           sha256=f"{i:064d}", size=1, uploaded_by=users.procurement)
        s = Scan.objects.create(version=v, checker_version="t", status="succeeded", report={})
        Finding.objects.create(scan=s, topic="input.no_training", status="conflict", severity="high")
        Finding.objects.create(scan=s, topic="input.retention", status="conflict", severity="high", decision="resolved")
        Contract.objects.filter(pk=c.pk).update(current_version=v, current_scan=s)
        if status in ("approved", "rejected"):
            started = timezone.now() - datetime.timedelta(hours=10)
            Contract.objects.filter(pk=c.pk).update(review_started_at=started, closed_at=started + datetime.timedelta(hours=4))


@pytest.mark.parametrize("n", [3, 30])
def test_dashboard_query_count_is_constant(client, users, n, django_assert_max_num_queries):
    _make(n, users)
    client.force_login(users.manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("procurement:dashboard"))
    assert response.status_code == 200
    assert f'<span class="n">{n}</span><span class="l">contracts</span>' in response.content.decode()


@pytest.mark.parametrize("n", [3, 30])
def test_contract_list_query_count_is_constant(client, users, n, django_assert_max_num_queries):
    _make(n, users)
    client.force_login(users.legal)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("procurement:contract_list"))
    assert response.content.decode().count('<span class="sev-high">1</span>') == n


def test_dashboard_figures(users):
    _make(10, users)
    stats = dashboard_stats()
    by_status = {v: n for v, _, n in stats["by_status"]}
    assert by_status == {"uploaded": 0, "scanning": 0, "scan_failed": 0, "needs_review": 2, "in_review": 2,
                         "changes_requested": 2, "approved": 2, "rejected": 2}
    assert stats["total"] == 10
    # odd i have a past due date; final ones (i=2,7 approved; 4,9 rejected) are not overdue: 1,3,5 → overdue
    assert stats["overdue"] == 3
    assert stats["open_high"] == 10
    assert stats["avg_review_hours"] == pytest.approx(4.0)
    vendor0 = next(r for r in stats["per_vendor"] if r["name"] == "Vendor 0")
    assert (vendor0["total"], vendor0["open_high"]) == (4, 4)
    reviewers = {r["name"]: r["total"] for r in stats["per_reviewer"]}
    assert reviewers == {"lawyer": 4, "lawyer2": 3, "unassigned": 3}
    bars = {b["value"]: b for b in stats["chart"]["bars"]}
    assert bars["approved"]["w"] > 0 and bars["uploaded"]["w"] == 0
