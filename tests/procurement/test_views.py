"""Pages of the review workflow with the scanning seam faked: upload, report, decisions, exports."""
import csv
import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from procurement import services
from procurement.models import Contract, ContractVersion, Finding
from tests.procurement.conftest import SAMPLE_TEXT

pytestmark = pytest.mark.django_db


def _upload(client, data=None, name="terms.txt", vendor="Acme AI", **extra):
    data = SAMPLE_TEXT.encode() if data is None else data
    payload = {"new_vendor": vendor, "title": "Chat assistant", "profile": "auto",
               "file": SimpleUploadedFile(name, data), **extra}
    return client.post(reverse("procurement:contract_upload"), payload, follow=True)


def test_upload_page_runs_scan_in_process_and_shows_report(client, users, fake_scanner,
                                                         django_capture_on_commit_callbacks):
    client.force_login(users.procurement)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("procurement:contract_upload"),
                               {"new_vendor": "Acme AI", "title": "Chat assistant", "profile": "auto",
                                "file": SimpleUploadedFile("terms.txt", SAMPLE_TEXT.encode())})
    contract = Contract.objects.get()
    assert response["Location"] == reverse("procurement:contract_detail", args=[contract.pk])
    html = client.get(response["Location"]).content.decode()
    assert contract.status == "needs_review"
    assert "Coverage by topic" in html and html.count('class="tid"') >= 31
    # evidence highlighted at its offsets, and the finding links to it
    assert '<mark class="hl-conflict" id="ev-' in html
    assert "may use customer content to improve its models</mark>" in html
    assert "section 2" in html


def test_upload_form_rejects_unreadable_content_and_missing_vendor(client, users, fake_scanner):
    client.force_login(users.procurement)
    response = client.post(reverse("procurement:contract_upload"),
                           {"title": "x", "profile": "auto", "file": SimpleUploadedFile("a.exe", b"MZ\x90\x00" * 50)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "“a.exe” cannot be scanned:" in html and "Choose a vendor" in html
    assert Contract.objects.count() == 0


@pytest.mark.parametrize(("name", "data", "fmt"), [
    ("page.html", b"<html><body><p>The Provider will not train on prompts.</p></body></html>", "html"),
    ("notes.pdf", b"The Provider will not train on prompts.", "txt"),  # the content decides, not the name
])
def test_upload_form_reads_the_content_whatever_the_name(client, users, fake_scanner, name, data, fmt):
    """The same rule as the API: the form refuses only content extraction cannot read."""
    client.force_login(users.procurement)
    response = client.post(reverse("procurement:contract_upload"),
                           {"title": "x", "profile": "auto", "new_vendor": "Kestrel", "file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Contract.objects.count() == 1


def test_upload_form_gives_the_old_word_advice_for_a_doc_file(client, users, fake_scanner):
    client.force_login(users.procurement)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    response = client.post(reverse("procurement:contract_upload"),
                           {"title": "x", "profile": "auto", "new_vendor": "Kestrel", "file": SimpleUploadedFile("old.doc", ole)})
    assert response.status_code == 200
    assert "save" in response.content.decode() and ".docx" in response.content.decode()
    assert Contract.objects.count() == 0


def test_upload_over_limit_is_413_with_clear_message(client, users, fake_scanner, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    client.force_login(users.procurement)
    response = client.post(reverse("procurement:contract_upload"),
                           {"new_vendor": "V", "title": "t", "profile": "auto",
                            "file": SimpleUploadedFile("big.txt", b"x" * 200_000)})
    assert response.status_code == 413
    assert "The upload is larger than the" in response.content.decode() and "UPLOAD_MAX_BYTES" in response.content.decode()
    assert Contract.objects.count() == 0


def test_upload_just_over_limit_without_big_content_length_is_413(client, users, fake_scanner, settings):
    # Body below limit + form overhead, file above the limit: the streaming handler catches it.
    settings.UPLOAD_MAX_BYTES = 5000
    client.force_login(users.procurement)
    response = client.post(reverse("procurement:contract_upload"),
                           {"new_vendor": "V", "title": "t", "profile": "auto",
                            "file": SimpleUploadedFile("big.txt", b"x" * 6000)})
    assert response.status_code == 413
    assert Contract.objects.count() == 0


def test_duplicate_upload_redirects_to_existing_record_with_message(client, users, scanned_contract):
    client.force_login(users.teammate)
    response = _upload(client, vendor="ACME AI", name="again.txt")
    assert response.redirect_chain[-1][0] == reverse("procurement:contract_detail", args=[scanned_contract.pk])
    assert "This exact file was already uploaded for Acme AI" in response.content.decode()
    assert ContractVersion.objects.count() == 1


def test_new_version_upload_on_contract_page(client, users, scanned_contract, django_capture_on_commit_callbacks):
    client.force_login(users.procurement)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("procurement:contract_version_upload", args=[scanned_contract.pk]),
                               {"file": SimpleUploadedFile("v2.md", (SAMPLE_TEXT + "\n4. New\nMore.").encode())},
                               follow=True)
    assert "Version 2 uploaded" in response.content.decode()
    html = client.get(response.redirect_chain[-1][0]).content.decode()
    assert "Coverage by topic" in html
    assert "v2.md" in html and "acme-terms.txt" in html  # both versions listed


def test_failed_scan_shows_message_and_retry_button(client, users, fake_scanner, django_capture_on_commit_callbacks):
    client.force_login(users.procurement)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, data=b"%PDF-broken rest", name="bad.pdf")
    html = client.get(response.redirect_chain[-1][0]).content.decode()
    assert "The scan failed" in html and "The PDF is damaged" in html and "Retry the scan" in html
    status = client.get(reverse("procurement:contract_status", args=[Contract.objects.get().pk])).json()
    assert status["status"] == "scan_failed" and status["done"] is True
    assert status["scan"]["error"].startswith("The PDF is damaged")


def test_pending_scan_page_polls_status_without_inline_script(client, users, fake_scanner):
    result = services.contract_upload(vendor_name="V", title="t", profile="auto", data=SAMPLE_TEXT.encode(),
                                      filename="a.txt", actor=users.procurement)  # on_commit not run: queued
    client.force_login(users.procurement)
    html = client.get(reverse("procurement:contract_detail", args=[result.contract.pk])).content.decode()
    assert f'data-status-url="/contracts/{result.contract.pk}/status.json"' in html
    assert "js/scan-status.js" in html
    assert "<script>" not in html
    status = client.get(reverse("procurement:contract_status", args=[result.contract.pk])).json()
    assert status == {"contract": result.contract.pk, "status": "scanning", "status_label": "Scanning",
                      "scan": {"id": status["scan"]["id"], "status": "queued", "error": "", "attempts": 0,
                               "checker_version": "fake-1.0"}, "done": False}


def test_legal_decides_and_approval_blocked_message(client, users, scanned_contract):
    client.force_login(users.legal)
    url = reverse("procurement:contract_transition", args=[scanned_contract.pk])
    client.post(url, {"to_status": "in_review"})
    response = client.post(url, {"to_status": "approved"}, follow=True)
    assert "Cannot approve: 2 high-severity findings are still open" in response.content.decode()
    for f in Finding.objects.filter(scan=scanned_contract.current_scan):
        r = client.post(reverse("procurement:finding_decide", args=[f.pk]),
                        {"decision": "change_requested", "comment": f"fix {f.topic}"})
        assert r.status_code == 302 and r["Location"].endswith(f"#finding-{f.pk}")
    response = client.post(url, {"to_status": "approved", "note": "all handled"}, follow=True)
    assert "Status changed to “Approved”" in response.content.decode()
    assert Contract.objects.get(pk=scanned_contract.pk).status == "approved"
    history = client.get(reverse("procurement:contract_history", args=[scanned_contract.pk])).content.decode()
    for text in ("Contract created", "Version uploaded", "Scan finished", "Finding decided",
                 "Needs review → In review", "In review → Approved", "all handled"):
        assert text in history


def test_missing_comment_on_accepted_risk_is_shown(client, users, scanned_contract):
    client.force_login(users.legal)
    f = scanned_contract.current_scan.findings.first()
    response = client.post(reverse("procurement:finding_decide", args=[f.pk]),
                           {"decision": "accepted_risk", "comment": ""}, follow=True)
    assert "Say why in a comment" in response.content.decode()
    assert Finding.objects.get(pk=f.pk).decision == "open"


def test_csv_export_lists_findings_with_formula_cells_neutralised(client, users, scanned_contract):
    f = scanned_contract.current_scan.findings.get(topic="input.no_training")
    services.finding_decide(finding_id=f.pk, decision="change_requested", actor=users.legal, comment="=HYPERLINK(1)")
    client.force_login(users.procurement)
    response = client.get(reverse("procurement:export_csv", args=[scanned_contract.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="acme-ai-chat-assistant-issues.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["topic"] for r in rows][:2] == ["input.no_training", "input.retention"]  # high first
    row = rows[0]
    assert row["decision"] == "change_requested" and row["decision_comment"] == "'=HYPERLINK(1)"
    assert row["evidence"] == "may use customer content to improve its models" and row["sections"] == "2"


def test_letter_docx_lists_requested_changes_with_quotes(client, users, scanned_contract):
    f = scanned_contract.current_scan.findings.get(topic="input.retention")
    services.finding_decide(finding_id=f.pk, decision="change_requested", actor=users.legal,
                            comment="Delete within 30 days & <confirm>")
    client.force_login(users.legal)
    response = client.get(reverse("procurement:export_letter", args=[scanned_contract.pk]))
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "To: Acme AI" in text and "Requested changes — Chat assistant" in text
    assert "“retains data indefinitely” (section 2)" in text
    assert "Our comment: Delete within 30 days & <confirm>" in text
    assert "input.no_training" not in text  # not a requested change


def test_false_positive_export_download_and_command(client, users, scanned_contract, tmp_path):
    f = scanned_contract.current_scan.findings.get(topic="continuity.terms_changes")
    services.finding_decide(finding_id=f.pk, decision="false_positive", actor=users.legal, comment="quoted a recital")
    client.force_login(users.manager)
    response = client.get(reverse("procurement:false_positives_jsonl"))
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 1
    row = json.loads(lines[0])
    assert row["topic"] == "continuity.terms_changes" and row["comment"] == "quoted a recital"
    assert row["evidence"][0]["quote"] == "may change these terms at any time"
    assert row["checker_version"] == "fake-1.0" and row["document_sha256"] == scanned_contract.current_version.sha256
    out = tmp_path / "fp.jsonl"
    call_command("export_false_positives", "-o", str(out))
    assert [json.loads(x) for x in out.read_text().splitlines()] == [row]


def test_rescan_all_command(scanned_contract, django_capture_on_commit_callbacks, capsys):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rescan_all", "--only-outdated")
    assert "0 rescanned, 1 skipped" in capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rescan_all")
    assert "1 rescanned, 0 skipped" in capsys.readouterr().out
    assert Contract.objects.get(pk=scanned_contract.pk).status == "needs_review"


def test_manager_assigns_reviewer_and_overdue_flag_shows(client, users, scanned_contract):
    client.force_login(users.manager)
    # A new due date in the past is refused (test_trial_fixes); the deadline passing later makes it overdue.
    Contract.objects.filter(pk=scanned_contract.pk).update(due_date=datetime.date(2020, 2, 1))
    response = client.post(reverse("procurement:contract_assign", args=[scanned_contract.pk]),
                           {"assignee": users.legal.pk, "due_date": "2020-02-01"}, follow=True)
    html = response.content.decode()
    assert "reviewer lawyer" in html and "overdue" in html
    listing = client.get(reverse("procurement:contract_list"), {"overdue": "on"}).content.decode()
    assert "Chat assistant" in listing
    listing = client.get(reverse("procurement:contract_list"), {"status": "approved"}).content.decode()
    assert "Chat assistant" not in listing


def test_procurement_list_shows_own_and_team_contracts_only(client, users, scanned_contract, fake_scanner,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.contract_upload(vendor_name="Other", title="Beta team deal", profile="auto",
                                 data=b"1. Other text", filename="o.txt", actor=users.outsider)
    client.force_login(users.teammate)
    html = client.get(reverse("procurement:contract_list")).content.decode()
    assert "Chat assistant" in html and "Beta team deal" not in html
    client.force_login(users.legal)
    html = client.get(reverse("procurement:contract_list")).content.decode()
    assert "Chat assistant" in html and "Beta team deal" in html


def test_report_shows_library_wording_when_clause_library_loaded(client, users, scanned_contract):
    from clauses.services import catalogue_load

    catalogue_load()
    try:
        from clauses.services import clause_library_load
    except ImportError:
        pytest.skip("clause library loader not available")
    clause_library_load()
    client.force_login(users.legal)
    html = client.get(reverse("procurement:contract_detail", args=[scanned_contract.pk])).content.decode()
    assert "Library clause that fixes it" in html
    assert 'data-copy-target="clause-' in html and "Preferred" in html and "Fallback" in html


def test_seed_demo_creates_a_scanned_demo_contract_once(db, fake_scanner, django_capture_on_commit_callbacks):
    from clauses.services import catalogue_load

    catalogue_load()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--force-demo", stdout=io.StringIO())
    contract = Contract.objects.get(vendor__name="Nimbus Text API (demo)")
    assert contract.status == "needs_review" and contract.created_by.username == "procurement"
    assert contract.current_version.original_filename == "demo_vendor_terms.md"
    out = io.StringIO()
    call_command("seed_demo", "--force-demo", stdout=out)
    assert "demo contract already present" in out.getvalue() and Contract.objects.count() == 1


def test_duplicate_from_another_team_goes_to_list_with_message_not_403(client, users, scanned_contract):
    client.force_login(users.outsider)
    response = _upload(client, vendor="Acme AI", name="same.txt")
    assert response.redirect_chain[-1][0] == reverse("procurement:contract_list")
    assert f"by another team (contract #{scanned_contract.pk})" in response.content.decode()
    assert ContractVersion.objects.count() == 1


def test_legal_quick_filter_assigned_to_me(client, users, scanned_contract):
    services.contract_assign(contract_id=scanned_contract.pk, assignee_id=users.legal2.pk, due_date=None,
                             actor=users.manager)
    client.force_login(users.legal)
    html = client.get(reverse("procurement:contract_list")).content.decode()
    assert f'href="?assignee={users.legal.pk}">Assigned to me' in html
    assert "Chat assistant" not in client.get(reverse("procurement:contract_list"),
                                              {"assignee": users.legal.pk}).content.decode()
    assert "Chat assistant" in client.get(reverse("procurement:contract_list"),
                                          {"assignee": users.legal2.pk}).content.decode()


def test_running_seed_demo_again_keeps_the_demo_users_signed_in(client, db, fake_scanner):
    """`make run` seeds the demo users every time: a password hash that does not change keeps existing sessions
    (Django ends every session of a user whose password hash changed); a changed password is put back."""
    from django.contrib.auth import get_user_model

    from clauses.services import catalogue_load

    catalogue_load()
    call_command("seed_demo", "--force-demo", stdout=io.StringIO())
    client.login(username="legal", password="legal-demo-2026")
    assert client.get(reverse("procurement:contract_list")).status_code == 200
    call_command("seed_demo", "--force-demo", stdout=io.StringIO())
    assert client.get(reverse("procurement:contract_list")).status_code == 200  # still signed in
    user = get_user_model().objects.get(username="legal")
    user.set_password("changed")
    user.save()
    call_command("seed_demo", "--force-demo", stdout=io.StringIO())
    user.refresh_from_db()
    assert user.check_password("legal-demo-2026")
