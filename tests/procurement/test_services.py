"""Uploads, scans (idempotent, failures, retries, rescans), decisions, approval rule, assignment."""
import datetime

import pytest
from django.core.files.storage import default_storage

from procurement import services, tasks
from procurement.models import AuditEvent, Contract, ContractVersion, Finding, Scan
from procurement.statuses import Decision, EventKind, ScanStatus
from tests.procurement.conftest import FAKE_CHECKER_VERSION, SAMPLE_TEXT

pytestmark = pytest.mark.django_db


def test_upload_stores_file_under_generated_key_with_sha256_and_scans(scanned_contract):
    contract = scanned_contract
    version = contract.current_version
    assert contract.status == "needs_review"
    assert version.original_filename == "acme-terms.txt"
    assert "acme" not in version.file.name and version.file.name.startswith("contracts/")
    assert default_storage.open(version.file.name).read() == SAMPLE_TEXT.encode()
    assert len(version.sha256) == 64 and version.size == len(SAMPLE_TEXT.encode())
    assert version.text == SAMPLE_TEXT and version.format == "txt"
    assert version.sections[0]["label"] == "1"
    scan = contract.current_scan
    assert (scan.status, scan.checker_version, scan.attempts) == ("succeeded", FAKE_CHECKER_VERSION, 1)
    assert scan.report["schema"] == "scan-report/1" and len(scan.report["topics"]) == 31
    topics = sorted(scan.findings.values_list("topic", "severity"))
    assert topics == [("continuity.terms_changes", "medium"), ("input.breach_notification", "medium"),
                      ("input.no_training", "high"), ("input.retention", "high")]
    kinds = list(AuditEvent.objects.filter(contract=contract).values_list("kind", "to_status"))
    assert kinds == [("created", "uploaded"), ("version_uploaded", ""), ("transition", "scanning"),
                     ("scan_queued", ""), ("scan_succeeded", ""), ("transition", "needs_review")]


def test_hostile_file_name_is_sanitised_metadata_only(users, fake_scanner, run_on_commit):
    name = "../../etc/\u202epasswd\x00" + "x" * 300 + ".txt"
    result = run_on_commit(services.contract_upload, vendor_name="V", title="t", profile="auto",
                           data=SAMPLE_TEXT.encode(), filename=name, actor=users.procurement)
    version = result.version
    assert "/" not in version.original_filename and "\u202e" not in version.original_filename
    assert "\x00" not in version.original_filename and len(version.original_filename) <= 160
    assert version.original_filename.endswith(".txt")
    assert ".." not in version.file.name


def test_identical_reupload_for_same_vendor_returns_existing_record(scanned_contract, users, run_on_commit):
    again = run_on_commit(services.contract_upload, vendor_name="acme ai", title="Other title", profile="auto",
                          data=SAMPLE_TEXT.encode(), filename="copy.txt", actor=users.teammate)
    assert again.duplicate is True and again.contract.pk == scanned_contract.pk
    assert Contract.objects.count() == 1 and ContractVersion.objects.count() == 1
    assert AuditEvent.objects.filter(kind=EventKind.DUPLICATE_UPLOAD, contract=scanned_contract).count() == 1


def test_same_bytes_for_another_vendor_is_a_new_contract(scanned_contract, users, run_on_commit):
    other = run_on_commit(services.contract_upload, vendor_name="Beta Labs", title="t", profile="auto",
                          data=SAMPLE_TEXT.encode(), filename="b.txt", actor=users.procurement)
    assert other.duplicate is False and other.contract.pk != scanned_contract.pk


def test_new_version_keeps_history_and_rescans(scanned_contract, users, run_on_commit):
    first_scan = scanned_contract.current_scan
    new_text = SAMPLE_TEXT.replace("retains data indefinitely", "deletes data within 30 days")
    result = run_on_commit(services.contract_version_upload, contract_id=scanned_contract.pk,
                           data=new_text.encode(), filename="v2.txt", actor=users.procurement)
    contract = Contract.objects.get(pk=scanned_contract.pk)
    assert result.duplicate is False and result.version.number == 2
    assert contract.current_version == result.version and contract.status == "needs_review"
    assert contract.versions.count() == 2
    assert Scan.objects.get(pk=first_scan.pk).findings.count() == 4  # history kept
    assert "input.retention" not in set(contract.current_scan.findings.values_list("topic", flat=True))


def test_scan_task_run_twice_does_not_duplicate_findings(scanned_contract):
    scan = scanned_contract.current_scan
    assert tasks.scan_version.apply(args=[scan.pk]).get() == "skipped"
    assert tasks.scan_version.apply(args=[scan.pk]).get() == "skipped"
    assert Finding.objects.filter(scan=scan).count() == 4
    assert Scan.objects.get(pk=scan.pk).attempts == 1


def test_redelivered_task_of_a_queued_scan_runs_once(users, fake_scanner):
    # Upload without running on_commit: the scan stays queued, then two deliveries of the same message.
    result = services.contract_upload(vendor_name="V", title="t", profile="auto", data=SAMPLE_TEXT.encode(),
                                      filename="a.txt", actor=users.procurement)
    scan = Scan.objects.get(version=result.version)
    assert scan.status == "queued"
    assert tasks.scan_version.apply(args=[scan.pk]).get() == "succeeded"
    assert tasks.scan_version.apply(args=[scan.pk]).get() == "skipped"
    assert Finding.objects.filter(scan=scan).count() == 4
    assert len([c for c in fake_scanner if c[0] == "extract"]) == 1


def test_stale_running_scan_is_taken_over_and_partial_findings_reset(users, fake_scanner):
    result = services.contract_upload(vendor_name="V", title="t", profile="auto", data=SAMPLE_TEXT.encode(),
                                      filename="a.txt", actor=users.procurement)
    scan = Scan.objects.get(version=result.version)
    long_ago = scan.created_at - datetime.timedelta(hours=2)
    Scan.objects.filter(pk=scan.pk).update(status=ScanStatus.RUNNING, started_at=long_ago, attempts=1)
    Finding.objects.create(scan=scan, topic="input.no_training", status="conflict", severity="high")  # partial
    assert services.scan_run(scan_id=scan.pk) == "succeeded"
    scan.refresh_from_db()
    assert scan.attempts == 2 and scan.findings.count() == 4


def test_fresh_running_scan_is_not_claimed_twice(users, fake_scanner):
    result = services.contract_upload(vendor_name="V", title="t", profile="auto", data=SAMPLE_TEXT.encode(),
                                      filename="a.txt", actor=users.procurement)
    scan = Scan.objects.get(version=result.version)
    Scan.objects.filter(pk=scan.pk).update(status=ScanStatus.RUNNING, started_at=scan.created_at)
    from django.utils import timezone
    Scan.objects.filter(pk=scan.pk).update(started_at=timezone.now())
    assert services.scan_run(scan_id=scan.pk) == "skipped"


def test_extraction_error_fails_scan_with_message_and_retry_recovers(users, fake_scanner, run_on_commit, monkeypatch):
    result = run_on_commit(services.contract_upload, vendor_name="V", title="t", profile="auto",
                           data=b"%PDF-broken\n" + SAMPLE_TEXT.encode(), filename="x.pdf", actor=users.procurement)
    contract = Contract.objects.get(pk=result.contract.pk)
    assert contract.status == "scan_failed"
    assert contract.current_scan.status == "failed"
    assert contract.current_scan.error.startswith("The PDF is damaged")
    assert AuditEvent.objects.filter(contract=contract, kind="scan_failed").exists()
    # The extraction gets fixed (e.g. a new release): the retry succeeds on the same scan row.
    from tests.procurement import conftest
    monkeypatch.setattr(services.scanning, "extract", lambda d, f: conftest.fake_extract(d[len(b"%PDF-broken\n"):], "x.txt"))
    scan = run_on_commit(services.scan_retry, contract_id=contract.pk, actor=users.procurement)
    contract.refresh_from_db()
    assert contract.status == "needs_review" and scan.pk == contract.current_scan_id
    assert Scan.objects.get(pk=scan.pk).attempts == 2


def test_retry_refused_unless_scan_failed(scanned_contract, users):
    with pytest.raises(services.ReviewError, match="Only a failed scan"):
        services.scan_retry(contract_id=scanned_contract.pk, actor=users.procurement)


def test_unexpected_checker_error_fails_scan_not_worker(users, fake_scanner, run_on_commit, monkeypatch):
    def boom(*a, **k):
        raise KeyError("bug")
    monkeypatch.setattr(services.scanning, "check", boom)
    result = run_on_commit(services.contract_upload, vendor_name="V", title="t", profile="auto",
                           data=SAMPLE_TEXT.encode(), filename="a.txt", actor=users.procurement)
    scan = Scan.objects.get(version=result.version)
    assert scan.status == "failed" and "Internal error while scanning (KeyError)" in scan.error


def test_missing_checker_gives_clear_failure(users, run_on_commit, monkeypatch):
    def missing(*a, **k):
        raise ImportError("no checker", name="clauses.nlp.check")
    monkeypatch.setattr(services.scanning, "extract", missing)
    monkeypatch.setattr(services.scanning, "checker_version", lambda: "1.0")
    result = run_on_commit(services.contract_upload, vendor_name="V", title="t", profile="auto",
                           data=SAMPLE_TEXT.encode(), filename="a.txt", actor=users.procurement)
    scan = Scan.objects.get(version=result.version)
    assert scan.status == "failed" and "checker is not installed" in scan.error


def _decide_all(contract, actor, decision=Decision.CHANGE_REQUESTED):
    for f in contract.current_scan.findings.all():
        services.finding_decide(finding_id=f.pk, decision=decision, actor=actor, comment="please fix")


def test_approval_blocked_while_high_findings_open(scanned_contract, users):
    services.contract_transition(contract_id=scanned_contract.pk, to_status="in_review", actor=users.legal)
    with pytest.raises(services.TransitionError, match="2 high-severity findings are still open"):
        services.contract_transition(contract_id=scanned_contract.pk, to_status="approved", actor=users.legal)
    high = scanned_contract.current_scan.findings.filter(severity="high")
    services.finding_decide(finding_id=high[0].pk, decision="accepted_risk", actor=users.legal, comment="ok")
    with pytest.raises(services.TransitionError, match="1 high-severity finding is still open"):
        services.contract_transition(contract_id=scanned_contract.pk, to_status="approved", actor=users.legal)
    services.finding_decide(finding_id=high[1].pk, decision="resolved", actor=users.legal)
    contract = services.contract_transition(contract_id=scanned_contract.pk, to_status="approved", actor=users.legal)
    assert contract.status == "approved" and contract.closed_at is not None


def test_decision_requires_comment_for_accepted_risk_and_false_positive(scanned_contract, users):
    f = scanned_contract.current_scan.findings.first()
    for decision in ("accepted_risk", "false_positive"):
        with pytest.raises(services.ReviewError, match="Say why"):
            services.finding_decide(finding_id=f.pk, decision=decision, actor=users.legal, comment="  ")
    services.finding_decide(finding_id=f.pk, decision="false_positive", actor=users.legal, comment="not a clause")
    f.refresh_from_db()
    assert (f.decision, f.decision_comment, f.decided_by) == ("false_positive", "not a clause", users.legal)
    event = AuditEvent.objects.filter(kind="decision").get()
    assert event.data["from"] == "open" and event.data["to"] == "false_positive"


def test_decision_refused_on_final_contract_and_old_scan(scanned_contract, users, run_on_commit):
    old = scanned_contract.current_scan.findings.first()
    run_on_commit(services.contract_version_upload, contract_id=scanned_contract.pk,
                  data=(SAMPLE_TEXT + "\n4. Extra\nMore text.").encode(), filename="v2.txt", actor=users.procurement)
    with pytest.raises(services.ReviewError, match="earlier scan"):
        services.finding_decide(finding_id=old.pk, decision="resolved", actor=users.legal)
    contract = Contract.objects.get(pk=scanned_contract.pk)
    services.contract_transition(contract_id=contract.pk, to_status="in_review", actor=users.legal)
    services.contract_transition(contract_id=contract.pk, to_status="rejected", actor=users.legal)
    f = contract.current_scan.findings.first()
    with pytest.raises(services.ReviewError, match="not while it is 'rejected'"):
        services.finding_decide(finding_id=f.pk, decision="resolved", actor=users.legal)


def test_rescan_with_new_checker_carries_unchanged_decisions(scanned_contract, users, run_on_commit, monkeypatch):
    findings = {f.topic: f for f in scanned_contract.current_scan.findings.all()}
    services.finding_decide(finding_id=findings["input.no_training"].pk, decision="false_positive",
                            actor=users.legal, comment="we opted out")
    services.finding_decide(finding_id=findings["input.retention"].pk, decision="accepted_risk",
                            actor=users.legal, comment="fine")
    # New checker version: the retention finding now quotes different evidence, so its decision must not carry.
    from tests.procurement import conftest
    monkeypatch.setattr(services.scanning, "checker_version", lambda: "fake-2.0")

    def changed_check(doc, **kw):
        report = conftest.fake_check(doc, **kw)
        for t in report["topics"]:
            if t["topic"] == "input.retention":
                t["evidence"][0].update(quote="retains data", end=t["evidence"][0]["start"] + len("retains data"))
        return report
    monkeypatch.setattr(services.scanning, "check", changed_check)
    new_scan = run_on_commit(services.contract_rescan, contract_id=scanned_contract.pk, actor=users.manager)
    assert new_scan.checker_version == "fake-2.0"
    new = {f.topic: f for f in Scan.objects.get(pk=new_scan.pk).findings.all()}
    assert (new["input.no_training"].decision, new["input.no_training"].carried_over) == ("false_positive", True)
    assert new["input.no_training"].decision_comment == "we opted out"
    assert new["input.retention"].decision == "open"
    assert Scan.objects.filter(version=scanned_contract.current_version).count() == 2
    assert AuditEvent.objects.filter(kind="decisions_carried", data__count=1).exists()


def test_forced_rescan_same_checker_keeps_decisions(scanned_contract, users, run_on_commit):
    f = scanned_contract.current_scan.findings.get(topic="input.no_training")
    services.finding_decide(finding_id=f.pk, decision="change_requested", actor=users.legal, comment="fix")
    scan = run_on_commit(services.contract_rescan, contract_id=scanned_contract.pk, actor=users.legal)
    assert scan.pk == scanned_contract.current_scan_id
    assert Finding.objects.get(scan=scan, topic="input.no_training").decision == "change_requested"
    assert Finding.objects.filter(scan=scan).count() == 4


def test_rescan_all_only_outdated(scanned_contract, users, run_on_commit, monkeypatch):
    assert run_on_commit(services.scans_rescan_all, only_outdated=True) == {"rescanned": 0, "skipped": 1}
    monkeypatch.setattr(services.scanning, "checker_version", lambda: "fake-3.0")
    assert run_on_commit(services.scans_rescan_all, only_outdated=True) == {"rescanned": 1, "skipped": 0}
    contract = Contract.objects.get(pk=scanned_contract.pk)
    assert contract.current_scan.checker_version == "fake-3.0" and contract.status == "needs_review"


def test_assign_requires_legal_user(scanned_contract, users):
    with pytest.raises(services.ReviewError, match="legal group"):
        services.contract_assign(contract_id=scanned_contract.pk, assignee_id=users.procurement.pk,
                                 due_date=None, actor=users.manager)
    due = datetime.date(2020, 1, 1)
    Contract.objects.filter(pk=scanned_contract.pk).update(due_date=due)  # an existing, now overdue, date is kept
    contract = services.contract_assign(contract_id=scanned_contract.pk, assignee_id=users.legal.pk,
                                        due_date=due, actor=users.manager)
    assert contract.assignee == users.legal and contract.is_overdue
    assert AuditEvent.objects.filter(kind="assigned", actor=users.manager).exists()


def test_comment_create_and_empty_comment_refused(scanned_contract, users):
    c = services.comment_create(contract_id=scanned_contract.pk, author=users.legal, body=" Looks risky ")
    assert c.body == "Looks risky"
    with pytest.raises(services.ReviewError):
        services.comment_create(contract_id=scanned_contract.pk, author=users.legal, body="  ")


def test_real_extraction_error_fails_scan_with_its_one_line_message(users, run_on_commit):
    # No fake: procurement.extraction reads the bytes and refuses a damaged PDF.
    result = run_on_commit(services.contract_upload, vendor_name="V", title="t", profile="auto",
                           data=b"%PDF-1.7\nthis is not really a pdf\n", filename="broken.pdf", actor=users.procurement)
    contract = Contract.objects.get(pk=result.contract.pk)
    scan = contract.current_scan
    assert contract.status == "scan_failed" and scan.status == "failed"
    assert scan.error and "\n" not in scan.error and "Internal error" not in scan.error
