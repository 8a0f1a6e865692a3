"""Object-level access (issue 6): a procurement user cannot read another team's contract by guessing ids.

A team is a Django group named `team:<name>` (procurement/permissions.py). A procurement user sees the
contracts they uploaded and those uploaded by anyone sharing one of their team groups; legal and
managers see all. Decision (README "Security"): a contract that exists but is not yours answers 403,
an unknown id 404 — on pages, downloads and the API alike. Lists never include it.
"""
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from procurement import services
from tests.procurement.conftest import SAMPLE_TEXT


def _web_urls(c, scan, finding):
    return [
        reverse("procurement:contract_detail", args=[c.pk]),
        reverse("procurement:contract_status", args=[c.pk]),
        reverse("procurement:contract_history", args=[c.pk]),
        reverse("procurement:contract_file", args=[c.pk, 1]),
        reverse("procurement:scan_report_json", args=[c.pk, scan.pk]),
        reverse("procurement:export_csv", args=[c.pk]),
        reverse("procurement:export_letter", args=[c.pk]),
    ]


def _api_urls(c, scan, finding):
    base = f"/api/v1/contracts/{c.pk}/"
    return [base, base + "versions/", base + "versions/1/file/", base + "scans/", base + "findings/",
            base + "comments/", base + "history/", f"/api/v1/scans/{scan.pk}/", f"/api/v1/scans/{scan.pk}/report/",
            f"/api/v1/findings/{finding.pk}/"]


@pytest.mark.django_db
def test_outsider_gets_403_on_every_page_download_and_api_url_of_another_teams_contract(client, users,
                                                                                      scanned_contract):
    c = scanned_contract
    scan, finding = c.current_scan, c.current_scan.findings.first()
    client.force_login(users.outsider)
    for url in _web_urls(c, scan, finding) + _api_urls(c, scan, finding):
        response = client.get(url)
        assert response.status_code == 403, url
        assert SAMPLE_TEXT[:40].encode() not in response.content, url
        assert c.title.encode() not in response.content, url
    # Writes too.
    assert client.post(reverse("procurement:contract_comment", args=[c.pk]), {"body": "x"}).status_code == 403
    assert client.post(f"/api/v1/contracts/{c.pk}/comments/", {"body": "x"}).status_code == 403
    # Lists do not include it.
    assert c.title not in client.get(reverse("procurement:contract_list")).content.decode()
    assert client.get("/api/v1/contracts/").json()["count"] == 0


@pytest.mark.django_db
def test_unknown_ids_are_404_on_pages_and_api(client, users, scanned_contract):
    c = scanned_contract
    client.force_login(users.outsider)
    missing = c.pk + 1000
    assert client.get(reverse("procurement:contract_detail", args=[missing])).status_code == 404
    assert client.get(reverse("procurement:contract_file", args=[missing, 1])).status_code == 404
    assert client.get(f"/api/v1/contracts/{missing}/").status_code == 404
    assert client.get(f"/api/v1/scans/{c.current_scan_id + 1000}/").status_code == 404
    # A scan id of another contract under a contract the user may see is 404, not a way round the check.
    client.force_login(users.procurement)
    other = services.contract_upload(vendor_name="Other", title="o", profile="auto", data=b"1. Other terms here",
                                     filename="o.txt", actor=users.outsider)
    assert client.get(reverse("procurement:scan_report_json", args=[c.pk, other.contract.current_scan_id])
                      ).status_code == 404


@pytest.mark.django_db
def test_teammates_see_each_others_contracts_and_leaving_the_team_removes_access(client, users, scanned_contract):
    c = scanned_contract
    client.force_login(users.teammate)
    assert client.get(reverse("procurement:contract_detail", args=[c.pk])).status_code == 200
    assert client.get(f"/api/v1/contracts/{c.pk}/versions/1/file/").status_code == 200
    assert client.get("/api/v1/contracts/").json()["count"] == 1
    # Joining the other team's group grants access; leaving revokes it (checked on every request).
    users.outsider.groups.add(Group.objects.get(name="team:alpha"))
    client.force_login(users.outsider)
    assert client.get(reverse("procurement:contract_file", args=[c.pk, 1])).status_code == 200
    users.outsider.groups.remove(Group.objects.get(name="team:alpha"))
    assert client.get(reverse("procurement:contract_file", args=[c.pk, 1])).status_code == 403
    assert client.get(f"/api/v1/contracts/{c.pk}/").status_code == 403


@pytest.mark.django_db
def test_api_token_of_outsider_cannot_read_by_guessing_ids(client, users, scanned_contract):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=users.outsider)
    c = scanned_contract
    for url in _api_urls(c, c.current_scan, c.current_scan.findings.first()):
        response = client.get(url, HTTP_AUTHORIZATION=f"Token {token.key}")
        assert response.status_code == 403, url
        assert response.json()["error"]["code"]
