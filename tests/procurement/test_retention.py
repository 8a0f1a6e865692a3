"""Data retention (issue 6): documents deleted after the retention window or on a manager's request;
findings, decisions and the audit trail kept (procurement/retention.py)."""
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from procurement import services
from procurement.models import AuditEvent, Contract, ContractVersion, Finding
from tests.procurement.conftest import SAMPLE_TEXT


def _media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _upload(run_on_commit, actor, text: str, vendor: str):
    result = run_on_commit(services.contract_upload, vendor_name=vendor, title="Terms", profile="auto",
                           data=text.encode(), filename="terms.txt", actor=actor)
    return Contract.objects.select_related("current_version").get(pk=result.contract.pk)


def _close(contract, status: str, days_ago: int):
    Contract.objects.filter(pk=contract.pk).update(status=status, closed_at=timezone.now() - timedelta(days=days_ago))


@pytest.mark.django_db
def test_purge_expired_deletes_files_and_text_of_reviews_closed_past_the_window_only(users, fake_scanner,
                                                                                      run_on_commit):
    old = _upload(run_on_commit, users.procurement, SAMPLE_TEXT, "Old Vendor")
    recent = _upload(run_on_commit, users.procurement, SAMPLE_TEXT + "\n4. Extra\nMore.", "Recent Vendor")
    open_ = _upload(run_on_commit, users.procurement, SAMPLE_TEXT + "\n5. Other\nMore.", "Open Vendor")
    _close(old, "rejected", days_ago=91)
    _close(recent, "approved", days_ago=89)
    old_key = old.current_version.file.name
    assert len(_media_files()) == 3 and old_key in _media_files()
    findings_before = Finding.objects.filter(scan__version__contract=old).count()
    assert findings_before > 0
    events_before = AuditEvent.objects.filter(contract=old).count()

    out = _call(run_on_commit, "purge_expired")
    assert "purged 1 contract(s): 1 file(s) deleted" in out
    assert old_key not in _media_files() and len(_media_files()) == 2
    version = ContractVersion.objects.get(pk=old.current_version.pk)
    assert (version.file.name, version.text, version.sections, version.pages) == ("", "", [], [])
    assert version.sha256 == old.current_version.sha256 and version.original_filename == "terms.txt"
    # Findings (with their evidence quotes), reports and history are kept; one audit row is added.
    assert Finding.objects.filter(scan__version__contract=old).count() == findings_before
    assert Finding.objects.filter(scan__version__contract=old).exclude(evidence=[]).exists()
    events = AuditEvent.objects.filter(contract=old)
    assert events.count() == events_before + 1
    last = events.last()
    assert last.kind == "data_deleted" and last.actor is None and "90 days" in last.note
    for c in (recent, open_):
        v = ContractVersion.objects.get(pk=c.current_version.pk)
        assert v.text and v.file.name in _media_files()
    # Idempotent: nothing left to purge.
    assert "purged 0 contract(s)" in _call(run_on_commit, "purge_expired")
    assert AuditEvent.objects.filter(contract=old).count() == events_before + 1


def _call(run_on_commit, *args) -> str:
    from io import StringIO

    out = StringIO()
    run_on_commit(call_command, *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_retention_window_is_a_setting(users, fake_scanner, run_on_commit, settings):
    settings.RETENTION_DAYS_AFTER_CLOSE = 10
    c = _upload(run_on_commit, users.procurement, SAMPLE_TEXT, "Vendor Ten")
    _close(c, "approved", days_ago=11)
    assert "purged 1 contract(s)" in _call(run_on_commit, "purge_expired")
    assert _media_files() == set()


@pytest.mark.django_db
def test_manager_deletes_contract_data_from_the_page_with_an_audit_row(client, scanned_contract, users,
                                                                      django_capture_on_commit_callbacks):
    c = scanned_contract
    key = c.current_version.file.name
    assert key in _media_files()
    url = reverse("procurement:contract_data_delete", args=[c.pk])
    # Everyone but a manager gets 403, and nothing is deleted.
    for user in (users.procurement, users.teammate, users.outsider, users.legal, users.nobody):
        client.force_login(user)
        assert client.post(url, {"confirm": "delete"}).status_code == 403, user.username
    assert key in _media_files()
    client.force_login(users.manager)
    page = client.get(reverse("procurement:contract_detail", args=[c.pk])).content.decode()
    assert url in page
    findings = Finding.objects.filter(scan__version__contract=c).count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "delete"})
    assert response.status_code == 302
    assert _media_files() == set()
    v = ContractVersion.objects.get(pk=c.current_version.pk)
    assert v.text == "" and v.file.name == ""
    assert Finding.objects.filter(scan__version__contract=c).count() == findings
    event = AuditEvent.objects.filter(contract=c, kind="data_deleted").get()
    assert event.note == "data deleted by boss" and event.actor == users.manager and event.data["files"] == 1
    # The page still renders (findings kept), says the documents are gone; downloads are 404 on web and API.
    page = client.get(reverse("procurement:contract_detail", args=[c.pk]))
    assert page.status_code == 200 and "documents of this contract were deleted" in page.content.decode()
    assert client.get(reverse("procurement:contract_file", args=[c.pk, 1])).status_code == 404
    assert client.get(f"/api/v1/contracts/{c.pk}/versions/1/file/").status_code == 404
    history = client.get(reverse("procurement:contract_history", args=[c.pk])).content.decode()
    assert "data deleted by boss" in history


@pytest.mark.django_db
def test_data_delete_without_confirmation_deletes_nothing(client, scanned_contract, users):
    client.force_login(users.manager)
    response = client.post(reverse("procurement:contract_data_delete", args=[scanned_contract.pk]))
    assert response.status_code == 302
    assert scanned_contract.current_version.file.name in _media_files()
    assert not AuditEvent.objects.filter(kind="data_deleted").exists()


@pytest.mark.django_db
def test_data_delete_service_refuses_non_managers(scanned_contract, users):
    from procurement import retention

    with pytest.raises(retention.DataDeleteRefused, match="Only a manager"):
        retention.contract_data_delete(contract_id=scanned_contract.pk, actor=users.legal)
    assert ContractVersion.objects.get(pk=scanned_contract.current_version.pk).text == SAMPLE_TEXT


def test_beat_schedule_runs_the_reaper_and_the_retention_purge():
    import procurement.tasks  # noqa: F401 — registers the tasks
    from config.celery_app import app

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks == {"procurement.scans_requeue_stale", "procurement.purge_expired"}
    assert tasks <= set(app.tasks)
    assert settings.RETENTION_DAYS_AFTER_CLOSE == int(os.environ.get("RETENTION_DAYS_AFTER_CLOSE", 90))


@pytest.mark.django_db
def test_rescan_after_data_deletion_fails_with_a_clear_message(scanned_contract, users, run_on_commit):
    from procurement import retention

    run_on_commit(retention.contract_data_delete, contract_id=scanned_contract.pk, actor=users.manager)
    run_on_commit(services.contract_rescan, contract_id=scanned_contract.pk, actor=users.legal)
    c = Contract.objects.select_related("current_scan").get(pk=scanned_contract.pk)
    assert c.status == "scan_failed"
    assert c.current_scan.error == ("The document was deleted (retention policy or a manager's request); "
                                    "upload it again to scan it.")


@pytest.mark.django_db
def test_data_delete_is_refused_while_a_scan_runs(scanned_contract, users):
    from procurement import retention

    Contract.objects.filter(pk=scanned_contract.pk).update(status="scanning")
    with pytest.raises(retention.DataDeleteRefused, match="being scanned"):
        retention.contract_data_delete(contract_id=scanned_contract.pk, actor=users.manager)
    assert scanned_contract.current_version.file.name in _media_files()
