"""Statuses of contracts, scans and finding decisions, and the allowed contract moves as data.

Issue 4 ("Review status"): uploaded → scanning → needs_review → in_review → changes_requested ↔ in_review →
approved | rejected, plus scan_failed. Decisions taken here (documented in README "Review workflow"):

- `scanning → scan_failed → scanning`: a failed scan can be retried.
- A new contract version (or a rescan after the checker changed) sends the contract back to `scanning`
  from *every* state, final ones included: an approval applies to the document that was reviewed, and a
  new document (or new evidence about it) must be reviewed again. `scanning → scanning` is allowed so a
  version uploaded while an earlier one is still scanning is not refused.
- `approved` and `rejected` are final except for that return to `scanning`.
"""
from django.db import models


class ContractStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    SCANNING = "scanning", "Scanning"
    SCAN_FAILED = "scan_failed", "Scan failed"
    NEEDS_REVIEW = "needs_review", "Needs review"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


S = ContractStatus

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.UPLOADED: frozenset({S.SCANNING}),
    S.SCANNING: frozenset({S.NEEDS_REVIEW, S.SCAN_FAILED, S.SCANNING}),
    S.SCAN_FAILED: frozenset({S.SCANNING}),
    S.NEEDS_REVIEW: frozenset({S.IN_REVIEW, S.SCANNING}),
    S.IN_REVIEW: frozenset({S.CHANGES_REQUESTED, S.APPROVED, S.REJECTED, S.SCANNING}),
    S.CHANGES_REQUESTED: frozenset({S.IN_REVIEW, S.SCANNING}),
    S.APPROVED: frozenset({S.SCANNING}),
    S.REJECTED: frozenset({S.SCANNING}),
}

FINAL_STATUSES = frozenset({S.APPROVED, S.REJECTED})
# Statuses in which a contract waits for legal (counted as "open reviews" and for overdue flags).
OPEN_REVIEW_STATUSES = frozenset({S.NEEDS_REVIEW, S.IN_REVIEW, S.CHANGES_REQUESTED})
# Moves a person asks for on the contract page (legal). The scanning moves are made by the scan services.
REVIEW_ACTIONS = {
    S.IN_REVIEW: "Start review",
    S.CHANGES_REQUESTED: "Request changes",
    S.APPROVED: "Approve",
    S.REJECTED: "Reject",
}


class ScanStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Decision(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED_RISK = "accepted_risk", "Accepted risk"
    CHANGE_REQUESTED = "change_requested", "Change requested"
    RESOLVED = "resolved", "Resolved"
    FALSE_POSITIVE = "false_positive", "False positive"


class EventKind(models.TextChoices):
    CREATED = "created", "Contract created"
    VERSION_UPLOADED = "version_uploaded", "Version uploaded"
    DUPLICATE_UPLOAD = "duplicate_upload", "Identical file re-uploaded"
    SCAN_QUEUED = "scan_queued", "Scan queued"
    SCAN_SUCCEEDED = "scan_succeeded", "Scan finished"
    SCAN_FAILED = "scan_failed", "Scan failed"
    TRANSITION = "transition", "Status changed"
    DECISION = "decision", "Finding decided"
    DECISIONS_CARRIED = "decisions_carried", "Decisions carried over"
    ASSIGNED = "assigned", "Reviewer assigned"
    COMMENT = "comment", "Comment"
    DATA_DELETED = "data_deleted", "Document data deleted"


def transition_allowed(from_status: str, to_status: str) -> bool:
    """Return True when `from_status → to_status` is in ALLOWED_TRANSITIONS."""
    return to_status in ALLOWED_TRANSITIONS.get(from_status, frozenset())
