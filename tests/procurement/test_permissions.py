"""Every cell of the permission matrix (README "Roles and permissions"), pages and actions alike.

Allowed: 200 for pages/downloads, 302 back to the contract for actions. Forbidden: 403 (not a hidden
button). Anonymous: redirect to the login page.
"""
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.procurement.conftest import SAMPLE_TEXT

ROLES = ("anon", "owner", "teammate", "outsider", "legal", "manager", "norole", "admin")
VIEWERS = {"owner", "teammate", "legal", "manager", "admin"}
PROCUREMENT_ALL = {"owner", "teammate", "outsider", "admin"}
TEAM = {"owner", "teammate", "admin"}
LEGAL = {"legal", "admin"}
MANAGER = {"manager", "admin"}
LEGAL_OR_MANAGER = {"legal", "manager", "admin"}


def _upload_payload():
    return {"new_vendor": "Zeta", "title": "New deal", "profile": "auto",
            "file": SimpleUploadedFile("z.txt", b"1. Terms\nSome fresh text for a new vendor.\n")}


# (name, method, url(contract, finding, scan) -> str, data() -> dict | None, allowed roles, ok status)
MATRIX = [
    ("contract list", "get", lambda c, f, s: reverse("procurement:contract_list"), None,
     VIEWERS | PROCUREMENT_ALL, 200),
    ("upload page", "get", lambda c, f, s: reverse("procurement:contract_upload"), None, PROCUREMENT_ALL, 200),
    ("upload", "post", lambda c, f, s: reverse("procurement:contract_upload"), _upload_payload, PROCUREMENT_ALL, 302),
    ("report page", "get", lambda c, f, s: reverse("procurement:contract_detail", args=[c.pk]), None, VIEWERS, 200),
    ("status json", "get", lambda c, f, s: reverse("procurement:contract_status", args=[c.pk]), None, VIEWERS, 200),
    ("history page", "get", lambda c, f, s: reverse("procurement:contract_history", args=[c.pk]), None, VIEWERS, 200),
    ("file download", "get", lambda c, f, s: reverse("procurement:contract_file", args=[c.pk, 1]), None, VIEWERS, 200),
    ("report json", "get", lambda c, f, s: reverse("procurement:scan_report_json", args=[c.pk, s.pk]), None,
     VIEWERS, 200),
    ("export csv", "get", lambda c, f, s: reverse("procurement:export_csv", args=[c.pk]), None, VIEWERS, 200),
    ("export letter", "get", lambda c, f, s: reverse("procurement:export_letter", args=[c.pk]), None, VIEWERS, 200),
    ("new version", "post", lambda c, f, s: reverse("procurement:contract_version_upload", args=[c.pk]),
     lambda: {"file": SimpleUploadedFile("v2.txt", SAMPLE_TEXT.encode() + b"\n4. More\nAdded.")}, TEAM, 302),
    ("start review", "post", lambda c, f, s: reverse("procurement:contract_transition", args=[c.pk]),
     lambda: {"to_status": "in_review"}, LEGAL, 302),
    ("decide finding", "post", lambda c, f, s: reverse("procurement:finding_decide", args=[f.pk]),
     lambda: {"decision": "resolved", "comment": ""}, LEGAL, 302),
    ("assign reviewer", "post", lambda c, f, s: reverse("procurement:contract_assign", args=[c.pk]),
     lambda: {"assignee": "", "due_date": "2030-01-01"}, MANAGER, 302),
    ("comment", "post", lambda c, f, s: reverse("procurement:contract_comment", args=[c.pk]),
     lambda: {"body": "hello"}, VIEWERS, 302),
    ("retry scan", "post", lambda c, f, s: reverse("procurement:contract_retry", args=[c.pk]), lambda: {},
     VIEWERS, 302),
    ("rescan", "post", lambda c, f, s: reverse("procurement:contract_rescan", args=[c.pk]), lambda: {},
     LEGAL_OR_MANAGER, 302),
    ("false positives jsonl", "get", lambda c, f, s: reverse("procurement:false_positives_jsonl"), None,
     LEGAL_OR_MANAGER, 200),
    ("dashboard", "get", lambda c, f, s: reverse("procurement:dashboard"), None, MANAGER, 200),
    ("delete data", "post", lambda c, f, s: reverse("procurement:contract_data_delete", args=[c.pk]),
     lambda: {"confirm": "delete"}, MANAGER, 302),
]


def _login(client, users, role):
    if role == "anon":
        return
    if role == "admin":
        user = get_user_model().objects.create_superuser("root", "root@example.test", "pw")
    else:
        user = {"owner": users.procurement, "teammate": users.teammate, "outsider": users.outsider,
                "legal": users.legal, "manager": users.manager, "norole": users.nobody}[role]
    client.force_login(user)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("cell", MATRIX, ids=[m[0] for m in MATRIX])
def test_permission_matrix(client, users, scanned_contract, role, cell, django_capture_on_commit_callbacks):
    name, method, url_fn, data_fn, allowed, ok_status = cell
    contract = scanned_contract
    finding = contract.current_scan.findings.first()
    _login(client, users, role)
    url = url_fn(contract, finding, contract.current_scan)
    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(client, method)(url, data_fn() if data_fn else None)
    if role == "anon":
        assert response.status_code == 302 and reverse("login") in response["Location"], name
    elif role in allowed:
        assert response.status_code == ok_status, (name, role, response.status_code)
    else:
        assert response.status_code == 403, (name, role, response.status_code)


def test_matrix_covers_every_url_of_the_app():
    from procurement import urls

    names = {p.name for p in urls.urlpatterns} - {"home"}
    covered = {"contract_list", "contract_upload", "contract_detail", "contract_status", "contract_history",
               "contract_file", "scan_report_json", "export_csv", "export_letter", "contract_version_upload",
               "contract_transition", "finding_decide", "contract_assign", "contract_comment", "contract_retry",
               "contract_rescan", "false_positives_jsonl", "dashboard", "contract_data_delete"}
    assert names == covered
