"""Contracts through the API: uploads (idempotent, 413, 415), filters, reports, reviews, error bodies."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from procurement import services
from procurement.models import Contract, ContractVersion, Finding, Scan
from tests.procurement.conftest import SAMPLE_TEXT

pytestmark = pytest.mark.django_db


SAMPLE_BYTES = SAMPLE_TEXT.encode()


def _upload(client, data=SAMPLE_BYTES, name="terms.txt", vendor="Acme AI", **extra):
    return client.post("/api/v1/contracts/", {"vendor": vendor, "title": "Chat assistant",
                                              "file": SimpleUploadedFile(name, data), **extra}, format="multipart")


def _error(response) -> dict:
    body = response.json()
    assert list(body) == ["error"] and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


# --- uploads -----------------------------------------------------------------------------------------

def test_upload_creates_contract_scans_it_and_answers_201_with_location(api, users, fake_scanner,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(api(users.procurement))
    assert response.status_code == 201
    body = response.json()
    contract = Contract.objects.get()
    assert body["id"] == contract.pk and body["duplicate"] is False
    assert response["Location"] == f"/api/v1/contracts/{contract.pk}/"
    assert body["vendor"]["name"] == "Acme AI" and body["version"]["number"] == 1
    assert body["version"]["sha256"] == ContractVersion.objects.get().sha256
    contract.refresh_from_db()
    assert contract.status == "needs_review"
    scan = api(users.procurement).get(f"/api/v1/scans/{body['current_scan']['id']}/").json()
    assert scan["status"] == "succeeded" and scan["done"] is True and scan["summary"]["findings"] == 4


def test_identical_upload_for_same_vendor_returns_existing_record_200(api, users, scanned_contract):
    response = _upload(api(users.teammate), vendor="ACME ai", name="again.txt")
    assert response.status_code == 200
    body = response.json()
    assert body["duplicate"] is True and body["id"] == scanned_contract.pk and body["version"]["number"] == 1
    assert ContractVersion.objects.count() == 1 and Contract.objects.count() == 1


def test_identical_upload_for_another_vendor_is_a_new_contract(api, users, scanned_contract, fake_scanner):
    response = _upload(api(users.procurement), vendor="Other Vendor")
    assert response.status_code == 201 and response.json()["duplicate"] is False
    assert Contract.objects.count() == 2


def test_duplicate_of_a_contract_the_uploader_cannot_see_is_409_without_leaking_it(api, users, scanned_contract):
    response = _upload(api(users.outsider))
    assert response.status_code == 409
    error = _error(response)
    assert error["code"] == "conflict" and "cannot see" in error["message"]
    assert "Chat assistant" not in response.content.decode()


def test_new_version_upload_201_then_same_bytes_200_duplicate(api, users, scanned_contract, fake_scanner):
    client = api(users.procurement)
    url = f"/api/v1/contracts/{scanned_contract.pk}/versions/"
    v2 = SAMPLE_TEXT.encode() + b"\n4. Term\nOne year.\n"
    first = client.post(url, {"file": SimpleUploadedFile("v2.txt", v2)}, format="multipart")
    assert first.status_code == 201 and first.json()["version"]["number"] == 2
    assert first.json()["status"] == "scanning"
    again = client.post(url, {"file": SimpleUploadedFile("v2-again.txt", v2)}, format="multipart")
    assert again.status_code == 200 and again.json()["duplicate"] is True and again.json()["version"]["number"] == 2
    listed = client.get(url).json()
    assert [v["number"] for v in listed["results"]] == [2, 1] and listed["count"] == 2


def test_upload_over_limit_is_413(api, users, fake_scanner, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    response = _upload(api(users.procurement), data=b"x" * 200_000)
    assert response.status_code == 413
    error = _error(response)
    assert error["code"] == "upload_too_large" and "UPLOAD_MAX_BYTES" in error["message"]
    assert Contract.objects.count() == 0


def test_file_just_over_limit_in_small_body_is_413(api, users, fake_scanner, settings):
    settings.UPLOAD_MAX_BYTES = 5000  # body under limit + form overhead: the streaming handler stops it
    response = _upload(api(users.procurement), data=b"y" * 6000)
    assert response.status_code == 413 and _error(response)["code"] == "upload_too_large"
    assert Contract.objects.count() == 0


def test_upload_of_an_image_is_415_naming_what_it_is(api, users, fake_scanner):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = _upload(api(users.procurement), data=png, name="contract.pdf")
    assert response.status_code == 415
    error = _error(response)
    assert error["code"] == "unsupported_media_type" and "PNG image" in error["message"]
    assert Contract.objects.count() == 0


def test_upload_as_json_body_is_415(api, users):
    response = api(users.procurement).post("/api/v1/contracts/", {"vendor": "V", "title": "t"}, format="json")
    assert response.status_code == 415 and _error(response)["code"] == "unsupported_media_type"


def test_upload_missing_fields_400_names_each_field(api, users):
    response = api(users.procurement).post("/api/v1/contracts/", {"profile": "nonsense"}, format="multipart")
    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"vendor", "title", "file", "profile"}


def test_empty_file_is_400_on_the_file_field(api, users):
    response = _upload(api(users.procurement), data=b"")
    assert response.status_code == 400 and list(_error(response)["fields"]) == ["file"]


def test_unknown_draft_id_is_400_on_the_draft_field(api, users, fake_scanner):
    response = _upload(api(users.procurement), draft="999")
    assert response.status_code == 400 and _error(response)["fields"] == {"draft": ["No draft with id 999."]}


# --- lists, filters, pagination, unknown ids ---------------------------------------------------------

def test_contract_list_filters_by_status_vendor_assignee_overdue(api, users, scanned_contract, fake_scanner,
                                                                 run_on_commit):
    other = run_on_commit(services.contract_upload, vendor_name="Beta", title="Other", profile="auto",
                          data=b"1. Terms\nDifferent text.\n", filename="b.txt", actor=users.procurement).contract
    # A new past due date is refused on assignment; an assigned deadline that has passed is overdue.
    services.contract_assign(contract_id=other.pk, assignee_id=users.legal.pk, due_date=None, actor=users.manager)
    Contract.objects.filter(pk=other.pk).update(due_date=timezone.localdate() - timezone.timedelta(days=1))
    client = api(users.manager)

    def ids(**params):
        response = client.get("/api/v1/contracts/", params)
        assert response.status_code == 200, response.json()
        return {c["id"] for c in response.json()["results"]}

    assert ids() == {scanned_contract.pk, other.pk}
    assert ids(vendor=scanned_contract.vendor_id) == {scanned_contract.pk}
    assert ids(assignee=users.legal.pk) == {other.pk}
    assert ids(assignee="none") == {scanned_contract.pk}
    assert ids(overdue="true") == {other.pk}
    assert ids(status="needs_review") == {scanned_contract.pk, other.pk}
    assert ids(status="approved") == set()
    assert ids(q="beta") == {other.pk}
    listed = client.get("/api/v1/contracts/", {"overdue": "true"}).json()["results"][0]
    assert listed["overdue"] is True and listed["assignee"]["username"] == "lawyer" and listed["open_high"] == 0


def test_contract_list_bad_filters_are_400_naming_them(api, users):
    response = api(users.manager).get("/api/v1/contracts/", {"vendor": "abc", "status": "nope",
                                                             "assignee": "x", "overdue": "maybe"})
    assert response.status_code == 400
    assert set(_error(response)["fields"]) == {"vendor", "status", "assignee", "overdue"}


def test_procurement_sees_only_own_and_team_contracts_in_list(api, users, scanned_contract):
    assert api(users.teammate).get("/api/v1/contracts/").json()["count"] == 1
    assert api(users.outsider).get("/api/v1/contracts/").json()["count"] == 0


def test_list_is_paginated(api, users, scanned_contract, monkeypatch):
    from rest_framework.pagination import PageNumberPagination

    monkeypatch.setattr(PageNumberPagination, "page_size", 2)  # PAGE_SIZE is read once, at import
    body = api(users.legal).get(f"/api/v1/contracts/{scanned_contract.pk}/history/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert len(body["results"]) == 2 and body["count"] > 2 and "page=2" in body["next"]
    assert api(users.legal).get(f"/api/v1/contracts/{scanned_contract.pk}/history/?page=999").status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/contracts/424242/", "/api/v1/scans/424242/", "/api/v1/findings/424242/",
                                 "/api/v1/contracts/1/versions/9/file/", "/api/v1/drafts/7/"])
def test_unknown_ids_are_404_with_error_body(api, users, url):
    response = api(users.manager).get(url)
    assert response.status_code == 404 and _error(response)["code"] == "not_found"


def test_id_beyond_64_bits_is_404_not_a_server_error(api, users):
    response = api(users.manager).get("/api/v1/contracts/99999999999999999999999/")
    assert response.status_code == 404


def test_bad_token_is_401_authentication_failed(api, users):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    response = client.get("/api/v1/contracts/")
    assert response.status_code == 401 and _error(response)["code"] == "authentication_failed"


def test_session_login_works_for_the_browser(client, users, scanned_contract):
    client.force_login(users.legal)
    response = client.get(f"/api/v1/contracts/{scanned_contract.pk}/")
    assert response.status_code == 200 and response.json()["status"] == "needs_review"


# --- scans and reports -------------------------------------------------------------------------------

def test_report_is_exactly_the_stored_json(api, users, scanned_contract):
    scan = Scan.objects.get(pk=scanned_contract.current_scan_id)
    response = api(users.procurement).get(f"/api/v1/scans/{scan.pk}/report/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == scan.report
    assert response.json()["schema"] == "scan-report/1" and len(response.json()["topics"]) == 31


def test_report_of_an_unfinished_scan_is_409(api, users, scanned_contract, fake_scanner):
    scan = api(users.legal).post(f"/api/v1/contracts/{scanned_contract.pk}/rescan/").json()
    assert scan["status"] == "queued" and scan["done"] is False
    response = api(users.legal).get(f"/api/v1/scans/{scan['id']}/report/")
    assert response.status_code == 409 and "queued" in _error(response)["message"]


def test_failed_scan_then_retry(api, users, fake_scanner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        body = _upload(api(users.procurement), data=b"%PDF-broken file", name="x.pdf").json()
    scan = api(users.procurement).get(f"/api/v1/scans/{body['current_scan']['id']}/").json()
    assert scan["status"] == "failed" and "damaged" in scan["error"]
    assert api(users.procurement).get(f"/api/v1/scans/{scan['id']}/report/").status_code == 409
    response = api(users.procurement).post(f"/api/v1/contracts/{body['id']}/retry/")
    assert response.status_code == 202 and response.json()["status"] == "queued"
    assert Contract.objects.get().status == "scanning"


# --- reviews and findings ----------------------------------------------------------------------------

def test_approval_blocked_by_open_high_findings_is_409_then_allowed(api, users, scanned_contract):
    legal = api(users.legal)
    url = f"/api/v1/contracts/{scanned_contract.pk}/transition/"
    assert legal.post(url, {"to_status": "in_review"}, format="json").json()["allowed_transitions"] == [
        "changes_requested", "approved", "rejected"]
    blocked = legal.post(url, {"to_status": "approved"}, format="json")
    assert blocked.status_code == 409 and "2 high-severity findings are still open" in _error(blocked)["message"]
    findings = legal.get(f"/api/v1/contracts/{scanned_contract.pk}/findings/", {"severity": "high"}).json()
    assert findings["count"] == 2
    for f in findings["results"]:
        decided = legal.post(f"/api/v1/findings/{f['id']}/decision/", {"decision": "change_requested",
                                                                       "comment": "Ask for our wording."},
                             format="json")
        assert decided.status_code == 200 and decided.json()["decided_by"]["username"] == "lawyer"
    approved = legal.post(url, {"to_status": "approved", "note": "fine now"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    history = legal.get(f"/api/v1/contracts/{scanned_contract.pk}/history/").json()["results"]
    assert [e["to_status"] for e in history if e["kind"] == "transition"][-2:] == ["in_review", "approved"]


def test_disallowed_transition_is_409_naming_both_states(api, users, scanned_contract):
    response = api(users.legal).post(f"/api/v1/contracts/{scanned_contract.pk}/transition/",
                                     {"to_status": "approved"}, format="json")
    assert response.status_code == 409
    assert "'needs_review' to 'approved'" in _error(response)["message"]


def test_decision_needing_a_comment_is_400_on_comment(api, users, scanned_contract):
    finding = Finding.objects.filter(scan_id=scanned_contract.current_scan_id).first()
    response = api(users.legal).post(f"/api/v1/findings/{finding.pk}/decision/", {"decision": "accepted_risk"},
                                     format="json")
    assert response.status_code == 400 and list(_error(response)["fields"]) == ["comment"]
    finding.refresh_from_db()
    assert finding.decision == "open"


def test_decision_on_finding_of_an_older_scan_is_409(api, users, scanned_contract, fake_scanner, run_on_commit):
    old = Finding.objects.filter(scan_id=scanned_contract.current_scan_id).first()
    run_on_commit(services.contract_version_upload, contract_id=scanned_contract.pk,
                  data=SAMPLE_TEXT.encode() + b"\n4. Extra\n", filename="v2.txt", actor=users.procurement)
    response = api(users.legal).post(f"/api/v1/findings/{old.pk}/decision/", {"decision": "resolved"},
                                     format="json")
    assert response.status_code == 409 and "earlier scan" in _error(response)["message"]


def test_assign_non_legal_user_is_400_on_assignee_and_legal_user_is_saved(api, users, scanned_contract):
    url = f"/api/v1/contracts/{scanned_contract.pk}/assign/"
    bad = api(users.manager).post(url, {"assignee": users.procurement.pk}, format="json")
    assert bad.status_code == 400 and list(_error(bad)["fields"]) == ["assignee"]
    ok = api(users.manager).post(url, {"assignee": users.legal.pk, "due_date": "2030-02-01"}, format="json")
    assert ok.status_code == 200
    assert ok.json()["assignee"]["id"] == users.legal.pk and ok.json()["due_date"] == "2030-02-01"


def test_comments_round_trip_and_blank_is_400(api, users, scanned_contract):
    url = f"/api/v1/contracts/{scanned_contract.pk}/comments/"
    created = api(users.procurement).post(url, {"body": "Vendor says v2 next week & <soon>."}, format="json")
    assert created.status_code == 201 and created.json()["author"]["username"] == "proc"
    assert api(users.legal).get(url).json()["results"][0]["body"] == "Vendor says v2 next week & <soon>."
    blank = api(users.procurement).post(url, {"body": "   "}, format="json")
    assert blank.status_code == 400 and list(_error(blank)["fields"]) == ["body"]


def test_version_file_download_returns_the_uploaded_bytes(api, users, scanned_contract):
    response = api(users.procurement).get(f"/api/v1/contracts/{scanned_contract.pk}/versions/1/file/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == SAMPLE_TEXT.encode()
    assert 'filename="acme-terms.txt"' in response["Content-Disposition"]


# --- browser session (CSRF) and server-side failures ---------------------------------------------------

def _session_client(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies["csrftoken"] = "k" * 32  # a CSRF secret; the header repeats it, as a browser's JS would
    return client


def test_session_upload_needs_the_csrf_token(users, fake_scanner):
    client = _session_client(users.procurement)
    payload = {"vendor": "Acme AI", "title": "t", "file": SimpleUploadedFile("a.txt", SAMPLE_BYTES)}
    refused = client.post("/api/v1/contracts/", payload)
    assert refused.status_code == 403 and "CSRF" in _error(refused)["message"]
    payload["file"] = SimpleUploadedFile("a.txt", SAMPLE_BYTES)
    assert client.post("/api/v1/contracts/", payload, HTTP_X_CSRFTOKEN="k" * 32).status_code == 201


def test_session_upload_over_limit_is_413_even_though_the_csrf_check_reads_the_body(users, fake_scanner,
                                                                                   settings):
    settings.UPLOAD_MAX_BYTES = 5000
    client = _session_client(users.procurement)
    response = client.post("/api/v1/contracts/", {"vendor": "V", "title": "t",
                                                  "file": SimpleUploadedFile("a.txt", b"z" * 6000)},
                           HTTP_X_CSRFTOKEN="k" * 32)
    assert response.status_code == 413 and _error(response)["code"] == "upload_too_large"
    assert Contract.objects.count() == 0


def test_file_the_keys_cannot_decrypt_is_503_with_the_error_body(api, users, fake_scanner, run_on_commit,
                                                                  settings):
    from cryptography.fernet import Fernet

    settings.FILE_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    contract = run_on_commit(services.contract_upload, vendor_name="Enc", title="t", profile="auto",
                             data=SAMPLE_BYTES, filename="e.txt", actor=users.procurement).contract
    settings.FILE_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    response = api(users.procurement).get(f"/api/v1/contracts/{contract.pk}/versions/1/file/")
    assert response.status_code == 503
    error = _error(response)
    assert error["code"] == "file_unavailable" and "FILE_ENCRYPTION_KEYS" in error["message"]


def test_version_whose_stored_file_vanished_is_404_not_500(api, users, scanned_contract):
    version = scanned_contract.current_version
    version.file.storage.delete(version.file.name)
    response = api(users.procurement).get(f"/api/v1/contracts/{scanned_contract.pk}/versions/1/file/")
    assert response.status_code == 404 and "upload the document again" in _error(response)["message"]


def test_manager_deletes_contract_data_then_file_is_gone_and_history_says_so(api, users, scanned_contract):
    url = f"/api/v1/contracts/{scanned_contract.pk}/delete-data/"
    unconfirmed = api(users.manager).post(url, {}, format="json")
    assert unconfirmed.status_code == 400 and list(_error(unconfirmed)["fields"]) == ["confirm"]
    deleted = api(users.manager).post(url, {"confirm": "delete"}, format="json")
    assert deleted.status_code == 200 and deleted.json() == {"versions": 1, "files": 1}
    gone = api(users.procurement).get(f"/api/v1/contracts/{scanned_contract.pk}/versions/1/file/")
    assert gone.status_code == 404 and "deleted" in _error(gone)["message"]
    kinds = [e["kind"] for e in api(users.manager).get(f"/api/v1/contracts/{scanned_contract.pk}/history/")
             .json()["results"]]
    assert "data_deleted" in kinds
    # the report (stored JSON) and findings are kept
    scan_id = scanned_contract.current_scan_id
    assert api(users.legal).get(f"/api/v1/scans/{scan_id}/report/").status_code == 200


def test_deleting_data_while_scanning_is_409(api, users, scanned_contract, fake_scanner):
    api(users.legal).post(f"/api/v1/contracts/{scanned_contract.pk}/rescan/")
    response = api(users.manager).post(f"/api/v1/contracts/{scanned_contract.pk}/delete-data/",
                                       {"confirm": "delete"}, format="json")
    assert response.status_code == 409 and "being scanned" in _error(response)["message"]


def test_exports_and_dashboard_carry_the_pages_content(api, users, scanned_contract):
    csv_response = api(users.procurement).get(f"/api/v1/contracts/{scanned_contract.pk}/export.csv")
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    assert "input.no_training" in csv_response.content.decode()
    letter = api(users.legal).get(f"/api/v1/contracts/{scanned_contract.pk}/letter.docx")
    assert letter.status_code == 200 and letter.content[:2] == b"PK"
    stats = api(users.manager).get("/api/v1/dashboard/").json()
    assert stats["total"] == 1 and stats["open_high"] == 2
    assert {"status": "needs_review", "label": "Needs review", "count": 1} in stats["by_status"]
    assert stats["per_vendor"][0]["name"] == "Acme AI" and "chart" not in stats


def test_contract_list_query_count_does_not_grow_with_contracts(api, users, fake_scanner, run_on_commit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(users.manager)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/contracts/").status_code == 200
        return len(ctx.captured_queries)

    def add(n):
        for i in range(n):
            run_on_commit(services.contract_upload, vendor_name=f"V{i}", title="t", profile="auto",
                          data=f"1. Terms\nText number {i} {Contract.objects.count()}.\n".encode(),
                          filename="t.txt", actor=users.procurement)

    add(1)
    one = count_queries()
    add(6)
    assert Contract.objects.count() == 7 and count_queries() == one


def test_version_text_is_what_the_report_offsets_point_into(api, users, scanned_contract):
    client = api(users.procurement)
    text = client.get(f"/api/v1/contracts/{scanned_contract.pk}/versions/1/text/").json()
    assert text["text"] == SAMPLE_TEXT and text["format"] == "txt"
    assert [s["label"] for s in text["sections"]] == ["1", "2", "3"]
    report = client.get(f"/api/v1/scans/{scanned_contract.current_scan_id}/report/").json()
    quotes = [(e["quote"], e["start"], e["end"]) for t in report["topics"] for e in t["evidence"]]
    assert quotes and all(text["text"][start:end] == quote for quote, start, end in quotes)
