"""Worker failures (issue 6): a killed worker, a broker that is down at upload time, a file that cannot be
decrypted, a scan interrupted too often. procurement/reliability.py is the guarantee under test.

The `services` tests start real Celery workers on the local Redis against the test database (as
tests/procurement/test_worker.py does; PostgreSQL or a file SQLite database). The slow scan uses the
test-only `SCAN_TEST_DELAY_SECONDS` (honoured by workers running with DEBUG settings only). Every wait is
bounded (WAIT_SECONDS).
"""
import hashlib
import os
import signal
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from procurement import reliability, services
from procurement.models import AuditEvent, Contract, Finding, Scan
from tests.procurement.conftest import SAMPLE_TEXT
from tests.procurement.workers import broker as _broker

WAIT_SECONDS = 60
CLOSED_BROKER = "redis://127.0.0.1:6390/0"  # nothing listens here: "Redis is down"


# --- helpers ------------------------------------------------------------------------------------------

def broker(url: str):
    """Publish to `url` from this process; a dead broker fails fast (1 s connection timeout)."""
    return _broker(url, connection_timeout=1)


def _wait(predicate, what: str, logs=()):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    tails = "\n".join(p.read_text()[-3000:] for p in logs if p.exists())
    pytest.fail(f"timed out after {WAIT_SECONDS}s waiting for {what}\n{tails}")


def _assert_one_set_of_findings(scan: Scan):
    findings = list(Finding.objects.filter(scan=scan).values_list("topic", flat=True))
    assert len(findings) == len(set(findings)) == scan.report["summary"]["findings"] > 0
    assert AuditEvent.objects.filter(contract_id=scan.version.contract_id, kind="scan_succeeded").count() == 1


def _assert_upload_intact(version):
    with version.file.open("rb") as fh:
        data = fh.read()
    assert hashlib.sha256(data).hexdigest() == version.sha256
    assert data == SAMPLE_TEXT.encode() or len(data) == version.size


# --- in-process: the reaper's rules -----------------------------------------------------------------

def _stuck(contract, *, attempts: int, minutes_ago: int = 30) -> Scan:
    Scan.objects.filter(pk=contract.current_scan_id).update(
        status="running", attempts=attempts, started_at=timezone.now() - timedelta(minutes=minutes_ago))
    Contract.objects.filter(pk=contract.pk).update(status="scanning")
    return Scan.objects.get(pk=contract.current_scan_id)


@pytest.mark.django_db
def test_reaper_requeues_scan_of_dead_worker_and_it_completes_with_one_set_of_findings(
        scanned_contract, run_on_commit):
    scan = _stuck(scanned_contract, attempts=1)
    before = Finding.objects.filter(scan=scan).count()
    counts = run_on_commit(reliability.scans_reap_stale)  # eager here: the requeued scan runs inline
    assert counts == {"requeued": 1, "failed": 0, "republished": 0}
    scan.refresh_from_db()
    assert scan.status == "succeeded" and scan.attempts == 2
    assert Finding.objects.filter(scan=scan).count() == before
    assert Contract.objects.get(pk=scanned_contract.pk).status == "needs_review"
    note = AuditEvent.objects.filter(contract=scanned_contract, kind="scan_queued").last().note
    assert note == "attempt 1 of 3 stopped (worker lost); scan queued again"


@pytest.mark.django_db
def test_reaper_leaves_running_scans_inside_the_window_alone(scanned_contract, run_on_commit):
    scan = _stuck(scanned_contract, attempts=1, minutes_ago=1)
    assert run_on_commit(reliability.scans_reap_stale) == {"requeued": 0, "failed": 0, "republished": 0}
    scan.refresh_from_db()
    assert scan.status == "running"


@pytest.mark.django_db
def test_reaper_fails_scan_after_max_attempts_with_clear_message(scanned_contract, run_on_commit, settings):
    settings.SCAN_MAX_ATTEMPTS = 2
    scan = _stuck(scanned_contract, attempts=2)
    counts = run_on_commit(reliability.scans_reap_stale)
    assert counts == {"requeued": 0, "failed": 1, "republished": 0}
    scan.refresh_from_db()
    assert scan.status == "failed"
    assert scan.error.startswith("The scan was interrupted 2 times") and "\n" not in scan.error
    assert Contract.objects.get(pk=scanned_contract.pk).status == "scan_failed"
    # A redelivered message cannot take the exhausted scan over either.
    assert not services._claim(scan.pk, timezone.now())


@pytest.mark.django_db
def test_stale_takeover_by_redelivered_message_respects_the_attempt_bound(scanned_contract, settings):
    settings.SCAN_MAX_ATTEMPTS = 3
    scan = _stuck(scanned_contract, attempts=3)
    assert services.scan_run(scan_id=scan.pk) == "skipped"
    scan = _stuck(scanned_contract, attempts=2)
    assert services.scan_run(scan_id=scan.pk) == "succeeded"


@pytest.mark.django_db
def test_reap_stale_scans_command_prints_counts(scanned_contract, run_on_commit):
    from io import StringIO

    from django.core.management import call_command

    _stuck(scanned_contract, attempts=1, minutes_ago=2)
    out = StringIO()
    run_on_commit(call_command, "reap_stale_scans", "--stale-after", "60", stdout=out)
    assert out.getvalue().strip() == "requeued 1, failed 0, republished 0"


@pytest.mark.django_db
def test_scan_of_file_that_cannot_be_decrypted_fails_with_one_line_message(users, fake_scanner, run_on_commit,
                                                                           settings):
    from cryptography.fernet import Fernet

    settings.FILE_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with broker(CLOSED_BROKER):  # keep the scan queued: we change the key before it runs
        result = run_on_commit(services.contract_upload, vendor_name="Keyed AI", title="t", profile="auto",
                               data=SAMPLE_TEXT.encode(), filename="k.txt", actor=users.procurement)
    settings.FILE_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # the old key is lost
    scan_id = result.contract.current_scan_id
    assert services.scan_run(scan_id=scan_id) == "failed"
    scan = Scan.objects.get(pk=scan_id)
    assert scan.error == ("The stored file cannot be decrypted on this server (an encryption key is missing); "
                          "ask an administrator to restore FILE_ENCRYPTION_KEYS.")
    assert Contract.objects.get(pk=result.contract.pk).status == "scan_failed"


# --- broker down at upload time (no Redis needed: nothing listens on the port) ------------------------

@pytest.mark.django_db
def test_service_upload_with_broker_down_keeps_file_and_leaves_scan_queued(users, fake_scanner, run_on_commit):
    t0 = time.monotonic()
    with broker(CLOSED_BROKER):
        result = run_on_commit(services.contract_upload, vendor_name="Down AI", title="t", profile="auto",
                               data=SAMPLE_TEXT.encode(), filename="down.txt", actor=users.procurement)
    assert time.monotonic() - t0 < 15
    contract = Contract.objects.select_related("current_scan", "current_version").get(pk=result.contract.pk)
    assert contract.status == "scanning" and contract.current_scan.status == "queued"
    _assert_upload_intact(contract.current_version)
    # The broker is back (eager here): the reaper publishes the queued scan and it runs.
    counts = run_on_commit(reliability.scans_reap_stale, stale_after=timedelta(0))
    assert counts["republished"] == 1
    contract.refresh_from_db()
    assert contract.status == "needs_review"
    _assert_one_set_of_findings(Scan.objects.get(pk=contract.current_scan_id))


@pytest.mark.django_db
def test_web_upload_with_broker_down_is_not_a_500_and_keeps_the_file(client, users, fake_scanner,
                                                                     django_capture_on_commit_callbacks):
    client.force_login(users.procurement)
    t0 = time.monotonic()
    with broker(CLOSED_BROKER), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("procurement:contract_upload"), {
            "new_vendor": "Down Web AI", "title": "Web", "profile": "auto",
            "file": SimpleUploadedFile("web.txt", SAMPLE_TEXT.encode())})
    assert time.monotonic() - t0 < 15
    assert response.status_code == 302
    contract = Contract.objects.select_related("current_scan", "current_version").get(vendor__name="Down Web AI")
    assert response["Location"] == reverse("procurement:contract_detail", args=[contract.pk])
    assert contract.current_scan.status == "queued"
    _assert_upload_intact(contract.current_version)
    page = client.get(response["Location"])
    assert page.status_code == 200


# --- real Redis and real workers ----------------------------------------------------------------------

@pytest.mark.services
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_sigkilled_worker_mid_scan_scan_completes_on_another_worker_once(workers, users, redis_url):
    slow, slow_log = workers.start("slow", SCAN_TEST_DELAY_SECONDS=40)
    with broker(redis_url):
        result = services.contract_upload(vendor_name="Killed AI", title="Kill", profile="auto",
                                          data=SAMPLE_TEXT.encode(), filename="kill.txt", actor=users.procurement)
        scan_id = result.contract.current_scan_id
        _wait(lambda: Scan.objects.get(pk=scan_id).status == "running", "the slow worker to claim the scan",
              [slow_log])
        os.killpg(slow.pid, signal.SIGKILL)  # like an OOM kill: no cleanup, message left unacked
        slow.wait(timeout=10)
        assert Scan.objects.get(pk=scan_id).status == "running"  # what a dead worker leaves behind

        fresh, fresh_log = workers.start("fresh")
        counts = reliability.scans_reap_stale(stale_after=timedelta(0))
        assert counts["requeued"] == 1
        _wait(lambda: Scan.objects.get(pk=scan_id).status in ("succeeded", "failed"),
              "the scan on the second worker", [fresh_log])
    scan = Scan.objects.select_related("version").get(pk=scan_id)
    assert scan.status == "succeeded", scan.error
    assert scan.attempts == 2
    _assert_one_set_of_findings(scan)
    _assert_upload_intact(scan.version)
    assert Contract.objects.get(pk=result.contract.pk).status == "needs_review"
    assert scan.version.text == SAMPLE_TEXT


@pytest.mark.services
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_upload_while_redis_down_is_scanned_when_redis_is_back(workers, users, redis_url):
    with broker(CLOSED_BROKER):
        result = services.contract_upload(vendor_name="Outage AI", title="Outage", profile="auto",
                                          data=SAMPLE_TEXT.encode(), filename="outage.txt", actor=users.procurement)
    scan_id = result.contract.current_scan_id
    assert Scan.objects.get(pk=scan_id).status == "queued"
    _proc, log = workers.start("after-outage")
    with broker(redis_url):
        assert reliability.scans_reap_stale(stale_after=timedelta(0))["republished"] == 1
        _wait(lambda: Scan.objects.get(pk=scan_id).status in ("succeeded", "failed"), "the republished scan", [log])
    scan = Scan.objects.select_related("version").get(pk=scan_id)
    assert scan.status == "succeeded", scan.error
    _assert_one_set_of_findings(scan)
    _assert_upload_intact(scan.version)


def test_celery_is_configured_for_reliability():
    """HOUSE-STYLE "Celery": late acks, requeue on worker loss, prefetch 1, JSON, time limits, visibility
    timeout above the hard limit, retries only for named transient errors, staleness window above it too."""
    from django.db import InterfaceError, OperationalError

    from config.celery_app import app
    from procurement.tasks import scan_version

    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost and conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == "json" and list(conf.accept_content) == ["json"]
    assert scan_version.acks_late and scan_version.reject_on_worker_lost
    assert 0 < scan_version.soft_time_limit < scan_version.time_limit
    assert conf.broker_transport_options["visibility_timeout"] > scan_version.time_limit
    assert scan_version.retry_backoff_max < conf.broker_transport_options["visibility_timeout"]
    assert set(scan_version.autoretry_for) == {OperationalError, InterfaceError}
    assert reliability.scan_stale_after().total_seconds() > scan_version.time_limit
    assert settings.CELERY_BEAT_SCHEDULE["reap-stale-scans"]["task"] == "procurement.scans_requeue_stale"


def test_test_delay_is_ignored_outside_debug_and_test_flag(settings, monkeypatch):
    monkeypatch.setenv("SCAN_TEST_DELAY_SECONDS", "30")
    settings.DEBUG = False
    settings.SCAN_TEST_DELAY_ALLOWED = False
    t0 = time.monotonic()
    assert reliability.scan_test_delay() == 0.0 and time.monotonic() - t0 < 1


@pytest.mark.django_db
def test_broker_down_at_upload_leaves_a_history_row_saying_the_scan_will_start_later(users, fake_scanner,
                                                                                     run_on_commit):
    with broker(CLOSED_BROKER):
        result = run_on_commit(services.contract_upload, vendor_name="Noted AI", title="t", profile="auto",
                               data=SAMPLE_TEXT.encode(), filename="n.txt", actor=users.procurement)
    notes = list(AuditEvent.objects.filter(contract=result.contract, kind="scan_queued").values_list("note", flat=True))
    assert notes[-1].startswith("the task queue is unavailable; the file is stored")


@pytest.mark.django_db
def test_scan_queue_health_command_fails_when_a_scan_waits_too_long(users, fake_scanner, run_on_commit):
    from io import StringIO

    from django.core.management import call_command

    with broker(CLOSED_BROKER):
        result = run_on_commit(services.contract_upload, vendor_name="Waiting AI", title="t", profile="auto",
                               data=SAMPLE_TEXT.encode(), filename="w.txt", actor=users.procurement)
    out = StringIO()
    call_command("scan_queue_health", "--max-queued-age", "600", stdout=out)
    assert out.getvalue().startswith("queued 1 (oldest ")
    Scan.objects.filter(pk=result.contract.current_scan_id).update(created_at=timezone.now() - timedelta(hours=1))
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("scan_queue_health", "--max-queued-age", "600", stdout=StringIO(), stderr=err)
    assert exit_info.value.code == 1 and "unhealthy: a scan has waited 36" in err.getvalue()


@pytest.mark.django_db
def test_api_upload_with_broker_down_is_201_and_keeps_the_file(client, users, fake_scanner,
                                                               django_capture_on_commit_callbacks):
    client.force_login(users.procurement)
    with broker(CLOSED_BROKER), django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/contracts/", {"vendor": "Down Api AI", "title": "Api", "profile": "auto",
                                                      "file": SimpleUploadedFile("api.txt", SAMPLE_TEXT.encode())})
    assert response.status_code == 201, response.content[:500]
    contract = Contract.objects.select_related("current_scan", "current_version").get(pk=response.json()["id"])
    assert contract.current_scan.status == "queued"
    _assert_upload_intact(contract.current_version)
