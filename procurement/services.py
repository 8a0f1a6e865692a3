"""Writes of the review workflow (issue 4): uploads, scans, status transitions, decisions, assignments.

Every status change goes through `contract_transition`; every scan through `scan_request` (enqueue on
commit) and `scan_run` (idempotent claim → reset → store). Views and commands call these and nothing else.
"""
import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from procurement import scanning
from procurement.models import AuditEvent, Comment, Contract, ContractVersion, Finding, Scan, Vendor
from procurement.roles import LEGAL
from procurement.statuses import (
    ALLOWED_TRANSITIONS,
    FINAL_STATUSES,
    ContractStatus,
    Decision,
    EventKind,
    ScanStatus,
)

logger = logging.getLogger(__name__)
S = ContractStatus

# Errors worth retrying a scan task for: the database went away for a moment. Everything else is a
# property of the document or a bug, and retrying would only repeat it.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)

# Decisions that must say why (they close a finding without a change to the document).
COMMENT_REQUIRED = frozenset({Decision.ACCEPTED_RISK, Decision.FALSE_POSITIVE})
DECIDABLE_STATUSES = frozenset({S.NEEDS_REVIEW, S.IN_REVIEW, S.CHANGES_REQUESTED})


class ReviewError(ValueError):
    """A workflow rule refused the action; str() is a sentence for the user."""


class TransitionError(ReviewError):
    """The requested status move is not in ALLOWED_TRANSITIONS (or approval is blocked)."""


@dataclass(frozen=True)
class UploadResult:
    """What an upload produced: the contract, its version, and whether the bytes were already known."""

    contract: Contract
    version: ContractVersion
    duplicate: bool


# --- audit ------------------------------------------------------------------------------------------

def audit_record(*, contract_id: int, kind: str, actor=None, note: str = "", from_status: str = "",
                 to_status: str = "", data: dict | None = None) -> AuditEvent:
    """Append one audit row to a contract's history and return it."""
    return AuditEvent.objects.create(
        contract_id=contract_id, kind=kind, actor=actor if actor and actor.is_authenticated else None,
        note=note, from_status=from_status, to_status=to_status, data=data or {},
    )


# --- status -----------------------------------------------------------------------------------------

def high_awaiting_vendor_count(*, scan_id: int | None) -> int:
    """Return the number of high-severity findings of a scan decided `change_requested` (0 when no scan).

    They do not block approval (only `open` ones do, README "Review workflow"); the pages warn about them.
    """
    if scan_id is None:
        return 0
    return Finding.objects.filter(scan_id=scan_id, severity="high", decision=Decision.CHANGE_REQUESTED).count()


def open_high_findings_count(*, scan_id: int | None) -> int:
    """Return the number of high-severity findings still `open` in a scan (0 when no scan)."""
    if scan_id is None:
        return 0
    return Finding.objects.filter(scan_id=scan_id, severity="high", decision=Decision.OPEN).count()


def contract_transition(*, contract_id: int, to_status: str, actor, note: str = "") -> Contract:
    """Move a contract to `to_status` under a row lock and write one audit row; return the contract.

    Raises TransitionError when the move is not in ALLOWED_TRANSITIONS (message names both states), and
    when approving while high-severity findings of the current scan are still open (names the count).
    """
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract_id)
        from_status = contract.status
        if to_status not in ALLOWED_TRANSITIONS.get(from_status, ()):
            allowed = ", ".join(sorted(ALLOWED_TRANSITIONS.get(from_status, ()))) or "nothing"
            raise TransitionError(
                f"A contract cannot move from '{from_status}' to '{to_status}' "
                f"(from '{from_status}' it can move to: {allowed})."
            )
        if to_status == S.APPROVED:
            n = open_high_findings_count(scan_id=contract.current_scan_id)
            if n:
                raise TransitionError(
                    f"Cannot approve: {n} high-severity finding{'s are' if n != 1 else ' is'} still open. "
                    "Decide each one (accepted risk, change requested, resolved or false positive) first."
                )
        now = timezone.now()
        contract.status = to_status
        contract.status_changed_at = now
        fields = ["status", "status_changed_at"]
        if to_status == S.IN_REVIEW and contract.review_started_at is None:
            contract.review_started_at = now
            fields.append("review_started_at")
        if to_status in FINAL_STATUSES:
            contract.closed_at = now
            fields.append("closed_at")
        elif from_status in FINAL_STATUSES:
            contract.closed_at = None
            fields.append("closed_at")
        contract.save(update_fields=fields)
        audit_record(contract_id=contract.pk, kind=EventKind.TRANSITION, actor=actor, note=note,
                     from_status=from_status, to_status=to_status)
    return contract


# --- uploads ----------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _fallback_sanitize_filename(name: str, max_length: int = 150) -> str:
    """Return a display-safe file name: last path part, no control/bidi characters, bounded length."""
    name = unicodedata.normalize("NFKC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _CONTROL.sub("", name).strip().strip(".") or "document"
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:10] if dot else ""
        name = (stem if dot else name)[: max_length - len(ext) - 1].rstrip() + ("." + ext if ext else "")
    return name


def sanitize_filename(name: str) -> str:
    """Sanitise a user-supplied file name (procurement.validators when present, else a local rule)."""
    try:
        from procurement.validators import sanitize_filename as shared_sanitize
    except ImportError:
        return _fallback_sanitize_filename(name)
    return shared_sanitize(name)


def vendor_get_or_create(*, name: str) -> Vendor:
    """Return the vendor with this name (case-insensitive), creating it if new."""
    name = " ".join(name.split())
    if not name:
        raise ReviewError("Give the vendor's name.")
    vendor = Vendor.objects.filter(name__iexact=name).first()
    return vendor or Vendor.objects.create(name=name)


def _version_create(*, contract: Contract, data: bytes, sha256: str, filename: str, actor) -> ContractVersion:
    number = (contract.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ContractVersion(
        contract=contract, number=number, original_filename=sanitize_filename(filename), sha256=sha256,
        size=len(data), uploaded_by=actor,
    )
    # upload_to generates the key; the name passed here is ignored on purpose (KNOWN-FAILURES: hostile names).
    version.file.save("upload", ContentFile(data), save=False)
    version.save()
    Contract.objects.filter(pk=contract.pk).update(current_version=version)
    contract.current_version = version
    audit_record(contract_id=contract.pk, kind=EventKind.VERSION_UPLOADED, actor=actor,
                 note=f"v{number}: {version.original_filename}",
                 data={"version": number, "sha256": sha256, "size": len(data), "version_id": version.pk})
    return version


def contract_upload(*, vendor_name: str, title: str, profile: str, data: bytes, filename: str, actor,
                    draft_reference: str = "", draft_id: int | None = None) -> UploadResult:
    """Create a contract with its first version and queue its scan (runs after commit).

    An identical file (same sha256) already uploaded for the same vendor is not stored again: the
    existing contract and version come back with `duplicate=True` and an audit row notes the attempt.
    """
    sha = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        vendor = vendor_get_or_create(name=vendor_name)
        existing = (ContractVersion.objects.select_related("contract")
                    .filter(contract__vendor=vendor, sha256=sha).order_by("pk").first())
        if existing:
            audit_record(contract_id=existing.contract_id, kind=EventKind.DUPLICATE_UPLOAD, actor=actor,
                         note=f"identical file {sanitize_filename(filename)} re-uploaded", data={"sha256": sha})
            return UploadResult(existing.contract, existing, duplicate=True)
        contract = Contract.objects.create(
            vendor=vendor, title=title.strip(), profile=profile or "auto", draft_reference=draft_reference.strip(),
            draft_id=draft_id, created_by=actor,
        )
        audit_record(contract_id=contract.pk, kind=EventKind.CREATED, actor=actor, to_status=contract.status)
        version = _version_create(contract=contract, data=data, sha256=sha, filename=filename, actor=actor)
        contract_transition(contract_id=contract.pk, to_status=S.SCANNING, actor=actor, note="first version uploaded")
        scan_request(version=version, actor=actor)
    contract.refresh_from_db()
    return UploadResult(contract, version, duplicate=False)


def contract_version_upload(*, contract_id: int, data: bytes, filename: str, actor) -> UploadResult:
    """Add a new version to a contract, send it back to `scanning` and queue the scan.

    Earlier versions and their scans stay as history. The same bytes as any earlier version of this
    contract (or of another contract of the vendor) come back as a duplicate without a new version.
    """
    sha = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        contract = Contract.objects.select_related("vendor").get(pk=contract_id)
        existing = (ContractVersion.objects.select_related("contract")
                    .filter(contract__vendor_id=contract.vendor_id, sha256=sha).order_by("pk").first())
        if existing:
            audit_record(contract_id=existing.contract_id, kind=EventKind.DUPLICATE_UPLOAD, actor=actor,
                         note=f"identical file {sanitize_filename(filename)} re-uploaded", data={"sha256": sha})
            return UploadResult(existing.contract, existing, duplicate=True)
        version = _version_create(contract=contract, data=data, sha256=sha, filename=filename, actor=actor)
        contract_transition(contract_id=contract.pk, to_status=S.SCANNING, actor=actor,
                            note=f"version {version.number} uploaded")
        scan_request(version=version, actor=actor)
    contract.refresh_from_db()
    return UploadResult(contract, version, duplicate=False)


# --- scans ------------------------------------------------------------------------------------------

def current_checker_version() -> str:
    """Return CHECKER_VERSION, or "unavailable" when the checker is not installed (the scan then fails
    with a clear message instead of the upload failing)."""
    try:
        return scanning.checker_version()
    except ImportError:
        return "unavailable"


def scan_stale_after() -> timedelta:
    """A `running` scan older than this belongs to a dead worker (procurement/reliability.py)."""
    from procurement.reliability import scan_stale_after as stale_after

    return stale_after()


def scan_request(*, version: ContractVersion, actor=None, force: bool = False) -> Scan:
    """Get or create the scan of `version` for the current checker version and enqueue it on commit.

    A succeeded scan is rerun only with `force` (rescan); a failed one is reset to `queued`.
    Queued/running scans are enqueued again (harmless: `scan_run` claims each scan once).
    """
    checker_version = current_checker_version()
    contract = version.contract
    scan, created = Scan.objects.get_or_create(
        version=version, checker_version=checker_version,
        defaults={"profile": contract.profile, "requested_by": actor if actor and actor.is_authenticated else None},
    )
    if not created and (scan.status == ScanStatus.FAILED or (scan.status == ScanStatus.SUCCEEDED and force)):
        Scan.objects.filter(pk=scan.pk).update(status=ScanStatus.QUEUED, error="", finished_at=None,
                                               profile=contract.profile)
        scan.refresh_from_db()
    Contract.objects.filter(pk=contract.pk).update(current_scan=scan)
    contract.current_scan = scan
    if scan.status == ScanStatus.QUEUED or scan.status == ScanStatus.RUNNING:
        audit_record(contract_id=contract.pk, kind=EventKind.SCAN_QUEUED, actor=actor,
                     note=f"version {version.number}, checker {checker_version}",
                     data={"scan_id": scan.pk, "version": version.number, "checker_version": checker_version})
        from procurement.reliability import scan_enqueue

        scan_id = scan.pk
        # A broker outage must not lose the committed upload: the scan stays queued for the reaper.
        transaction.on_commit(lambda: scan_enqueue(scan_id, record_failure=True))
    return scan


def _claim(scan_id: int, now) -> bool:
    """Atomically move a scan queued→running (or take over a stale running one with attempts left,
    procurement/reliability.py). True if we own it."""
    from procurement.reliability import scan_max_attempts

    stale = Q(status=ScanStatus.RUNNING, started_at__lt=now - scan_stale_after(), attempts__lt=scan_max_attempts())
    return bool(
        Scan.objects.filter(pk=scan_id)
        .filter(Q(status=ScanStatus.QUEUED) | stale)
        .update(status=ScanStatus.RUNNING, started_at=now, finished_at=None, error="", attempts=F("attempts") + 1)
    )


def scan_run(*, scan_id: int) -> str:
    """Run one scan: claim it, extract, check, store findings. Idempotent; returns what happened:
    "succeeded", "failed", "skipped" (not queued: already done or owned by a live worker) or "superseded".

    Transient database errors put the scan back to `queued` and propagate (the task retries them).
    """
    started = timezone.now()
    if not _claim(scan_id, started):
        return "skipped"
    scan = Scan.objects.select_related("version__contract").get(pk=scan_id)
    version = scan.version
    if not version.file.name:  # deleted by the retention policy or a manager (procurement/retention.py)
        return _scan_fail(scan, started, "The document was deleted (retention policy or a manager's request); "
                                         "upload it again to scan it.")
    from procurement.reliability import scan_test_delay
    from procurement.storage import FileDecryptionError

    try:
        scan_test_delay()  # test-only slow path (SCAN_TEST_DELAY_SECONDS; DEBUG/test settings only)
        with version.file.open("rb") as fh:
            data = fh.read()
        doc = scanning.extract(data, version.original_filename)
        report = scanning.check(doc, name=version.original_filename, sha256=version.sha256, profile=scan.profile)
    except scanning.ScanInputError as exc:
        return _scan_fail(scan, started, str(exc))
    except SoftTimeLimitExceeded:
        return _scan_fail(scan, started, "The scan took too long and was stopped. Try again; if it fails again, "
                                         "upload a smaller or cleaner copy (e.g. .docx instead of a scanned PDF).")
    except ImportError as exc:
        logger.exception("checker or extraction not installed")
        return _scan_fail(scan, started, f"The checker is not installed on this server ({exc.name or exc}). "
                                         "Ask an administrator.")
    except TRANSIENT_ERRORS:
        Scan.objects.filter(pk=scan_id, started_at=started).update(status=ScanStatus.QUEUED)
        raise
    except FileNotFoundError:
        return _scan_fail(scan, started, "The stored file is missing; upload the document again.")
    except FileDecryptionError:
        logger.error("scan %s: stored file cannot be decrypted with FILE_ENCRYPTION_KEYS", scan_id)
        return _scan_fail(scan, started, "The stored file cannot be decrypted on this server (an encryption key "
                                         "is missing); ask an administrator to restore FILE_ENCRYPTION_KEYS.")
    except Exception as exc:  # a bug: keep the worker alive, tell the user, keep the traceback in the log
        logger.exception("scan %s failed", scan_id)
        return _scan_fail(scan, started, f"Internal error while scanning ({type(exc).__name__}). "
                                         "Retry; if it fails again, report it to the administrators.")
    return _scan_store(scan, started, doc, report)


def _still_ours(scan_id: int, started) -> Scan | None:
    return Scan.objects.select_for_update().filter(pk=scan_id, status=ScanStatus.RUNNING, started_at=started).first()


def _prior_decisions(scan: Scan) -> dict[tuple, Finding]:
    """Decided findings that may carry over: this scan's own (a forced rerun), else the newest other
    succeeded scan of the same document (same sha256) in this contract."""
    own = [f for f in scan.findings.all() if f.decision != Decision.OPEN]
    if own:
        return {f.signature(): f for f in own}
    other = (Scan.objects.filter(version__contract_id=scan.version.contract_id, version__sha256=scan.version.sha256,
                                 status=ScanStatus.SUCCEEDED).exclude(pk=scan.pk).order_by("-finished_at", "-pk").first())
    if other is None:
        return {}
    return {f.signature(): f for f in other.findings.exclude(decision=Decision.OPEN)}


def _scan_store(scan: Scan, started, doc, report: dict) -> str:
    version = scan.version
    with transaction.atomic():
        if _still_ours(scan.pk, started) is None:
            return "superseded"
        prior = _prior_decisions(scan)
        scan.findings.all().delete()  # reset partial output of an earlier, interrupted attempt
        version.text = doc.text
        version.format = doc.format
        version.sections = scanning.structure_as_json(doc.sections)
        version.pages = scanning.structure_as_json(doc.pages)
        version.warnings = list(doc.warnings)
        version.save(update_fields=["text", "format", "sections", "pages", "warnings"])
        findings = []
        for order, t in enumerate(report.get("topics", [])):
            if not t.get("finding"):
                continue
            f = Finding(
                scan=scan, topic=t["topic"], order=order, status=t["status"], severity=t.get("severity") or "info",
                required=bool(t.get("required")), value=str(t.get("value") or "")[:500],
                explanation=t.get("explanation") or "", evidence=t.get("evidence") or [],
                suggested_clause=t.get("suggested_clause") or "",
            )
            old = prior.get(f.signature())
            if old is not None:
                f.decision, f.decision_comment = old.decision, old.decision_comment
                f.decided_by_id, f.decided_at, f.carried_over = old.decided_by_id, old.decided_at, True
            findings.append(f)
        Finding.objects.bulk_create(findings)
        scan.status = ScanStatus.SUCCEEDED
        scan.report = report
        scan.finished_at = timezone.now()
        scan.error = ""
        scan.save(update_fields=["status", "report", "finished_at", "error"])
        contract_id = version.contract_id
        summary = report.get("summary", {})
        audit_record(contract_id=contract_id, kind=EventKind.SCAN_SUCCEEDED,
                     note=f"version {version.number}: {summary.get('findings', len(findings))} findings",
                     data={"scan_id": scan.pk, "checker_version": report.get("checker_version", scan.checker_version),
                           "summary": summary})
        carried = sum(1 for f in findings if f.carried_over)
        if carried:
            audit_record(contract_id=contract_id, kind=EventKind.DECISIONS_CARRIED,
                         note=f"{carried} decision(s) carried over from an earlier scan of the same document",
                         data={"scan_id": scan.pk, "count": carried})
        contract = Contract.objects.select_for_update().get(pk=contract_id)
        if contract.current_scan_id == scan.pk and contract.status == S.SCANNING:
            contract_transition(contract_id=contract_id, to_status=S.NEEDS_REVIEW, actor=None, note="scan finished")
    return "succeeded"


def _scan_fail(scan: Scan, started, message: str) -> str:
    with transaction.atomic():
        if _still_ours(scan.pk, started) is None:
            return "superseded"
        Scan.objects.filter(pk=scan.pk).update(status=ScanStatus.FAILED, error=message, finished_at=timezone.now())
        contract_id = scan.version.contract_id
        audit_record(contract_id=contract_id, kind=EventKind.SCAN_FAILED, note=message, data={"scan_id": scan.pk})
        contract = Contract.objects.select_for_update().get(pk=contract_id)
        if contract.current_scan_id == scan.pk and contract.status == S.SCANNING:
            contract_transition(contract_id=contract_id, to_status=S.SCAN_FAILED, actor=None, note=message)
    return "failed"


def scan_retry(*, contract_id: int, actor) -> Scan:
    """Retry the failed scan of a contract's current version (scan_failed → scanning)."""
    with transaction.atomic():
        contract = Contract.objects.select_for_update(of=("self",)).select_related("current_version").get(pk=contract_id)
        if contract.status != S.SCAN_FAILED:
            raise ReviewError(f"Only a failed scan can be retried; this contract is '{contract.status}'.")
        contract_transition(contract_id=contract_id, to_status=S.SCANNING, actor=actor, note="retry scan")
        return scan_request(version=contract.current_version, actor=actor, force=True)


def contract_rescan(*, contract_id: int, actor, note: str = "rescan") -> Scan:
    """Scan the current version again with the current checker (after a catalogue/pattern change).

    The contract goes back to `scanning`; decisions carry over where a finding is unchanged.
    """
    with transaction.atomic():
        contract = Contract.objects.select_for_update(of=("self",)).select_related("current_version").get(pk=contract_id)
        if contract.current_version is None:
            raise ReviewError("This contract has no document to scan.")
        contract_transition(contract_id=contract_id, to_status=S.SCANNING, actor=actor, note=note)
        return scan_request(version=contract.current_version, actor=actor, force=True)


def scans_rescan_all(*, only_outdated: bool = False, include_closed: bool = False) -> dict:
    """Rescan every contract's current version; return {"rescanned": n, "skipped": n}.

    `only_outdated`: only contracts whose current scan used another checker version (or none).
    Approved/rejected contracts are skipped unless `include_closed` (a rescan reopens their review).
    """
    checker_version = current_checker_version()
    counts = {"rescanned": 0, "skipped": 0}
    rows = Contract.objects.filter(current_version__isnull=False).select_related("current_scan").order_by("pk")
    for contract in rows:
        outdated = contract.current_scan is None or contract.current_scan.checker_version != checker_version
        if (only_outdated and not outdated) or (contract.is_final and not include_closed):
            counts["skipped"] += 1
            continue
        contract_rescan(contract_id=contract.pk, actor=None, note="rescan_all")
        counts["rescanned"] += 1
    return counts


def scans_requeue_stale() -> int:
    """Recover scans stuck in `running` (dead worker) or `queued` (lost message) past the staleness window
    (procurement/reliability.scans_reap_stale); return how many were requeued, failed or republished."""
    from procurement.reliability import scans_reap_stale

    return sum(scans_reap_stale().values())


# --- decisions, assignment, comments ----------------------------------------------------------------

def finding_decide(*, finding_id: int, decision: str, actor, comment: str = "") -> Finding:
    """Record legal's decision on a finding of a contract's current scan, with an audit row.

    Raises ReviewError for an unknown decision, a finding of an older scan, a contract not under review,
    or a missing comment where one is required (accepted risk, false positive).
    """
    if decision not in Decision.values:
        raise ReviewError(f"Unknown decision '{decision}'.")
    comment = comment.strip()
    if decision in COMMENT_REQUIRED and not comment:
        raise ReviewError(f"Say why in a comment when marking a finding '{Decision(decision).label.lower()}'.")
    with transaction.atomic():
        finding = Finding.objects.select_for_update().select_related("scan__version").get(pk=finding_id)
        contract = Contract.objects.select_for_update().get(pk=finding.scan.version.contract_id)
        if contract.current_scan_id != finding.scan_id:
            raise ReviewError("This finding belongs to an earlier scan; decide the findings of the current report.")
        if contract.status not in DECIDABLE_STATUSES:
            raise ReviewError(f"Findings can be decided while the contract is under review, not while it is "
                              f"'{contract.status}'.")
        old = finding.decision
        finding.decision = decision
        finding.decision_comment = comment
        finding.decided_by = actor
        finding.decided_at = timezone.now()
        finding.carried_over = False
        finding.save(update_fields=["decision", "decision_comment", "decided_by", "decided_at", "carried_over"])
        audit_record(contract_id=contract.pk, kind=EventKind.DECISION, actor=actor, note=comment,
                     data={"finding_id": finding.pk, "topic": finding.topic, "from": old, "to": decision,
                           "severity": finding.severity})
    return finding


def contract_assign(*, contract_id: int, assignee_id: int | None, due_date, actor) -> Contract:
    """Set (or clear) the legal reviewer and due date of a contract.

    Raises ReviewError when the reviewer is not an active member of the legal group (a superuser outside
    it is refused too: being admin is not being a reviewer) or when a *new* due date is before today
    (a past deadline is a typo, not a plan; keeping a contract's existing, now overdue, date is allowed so
    a reviewer can be changed without inventing a date). README "Review workflow".
    """
    User = get_user_model()
    assignee = None
    if assignee_id is not None:
        assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
        if assignee is None or not assignee.groups.filter(name=LEGAL).exists():
            raise ReviewError("The reviewer must be an active member of the legal group.")
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract_id)
        today = timezone.localdate()
        if due_date is not None and due_date < today and due_date != contract.due_date:
            raise ReviewError(f"The due date {due_date.isoformat()} is in the past; choose today "
                              f"({today.isoformat()}) or a later date.")
        contract.assignee = assignee
        contract.due_date = due_date
        contract.save(update_fields=["assignee", "due_date"])
        audit_record(contract_id=contract.pk, kind=EventKind.ASSIGNED, actor=actor,
                     note=f"reviewer {assignee.username if assignee else '—'}, due {due_date or '—'}",
                     data={"assignee_id": assignee_id, "due_date": due_date.isoformat() if due_date else None})
    return contract


def comment_create(*, contract_id: int, author, body: str) -> Comment:
    """Add a comment to a contract's review (and a history row)."""
    body = body.strip()
    if not body:
        raise ReviewError("A comment cannot be empty.")
    with transaction.atomic():
        comment = Comment.objects.create(contract_id=contract_id, author=author, body=body)
        audit_record(contract_id=contract_id, kind=EventKind.COMMENT, actor=author, note=body[:500],
                     data={"comment_id": comment.pk})
    return comment
