"""Data retention: we practise what we check (issue 6 "Data retention"; README "Security").

What is deleted: every uploaded file of a contract (removed from storage under MEDIA_ROOT) and the text
extraction produced from it (`text`, `sections`, `pages` blanked). What is kept: the contract row, its
versions' metadata (sanitised file name, sha256, size, uploader, dates), scans with their reports,
findings with legal's decisions, comments and the whole audit trail.

Evidence quotes: findings (and the stored scan reports) keep their evidence quotes — the short
sentences a finding cites. They are part of the finding: without them a decision ("accepted risk",
"change requested") could not be justified later. The full document is gone; only cited sentences stay.

When:
- `documents_purge_expired()` — periodic (Celery beat "purge-expired-documents", or
  `manage.py purge_expired` from cron): contracts whose review closed (approved or rejected) more than
  RETENTION_DAYS_AFTER_CLOSE days ago (default 90).
- `contract_data_delete()` — a manager, on request, at any time (contract page action).
Each purge writes one audit row (kind `data_deleted`) naming who (or "retention policy") and how many
files were removed.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from procurement.models import Contract, ContractVersion
from procurement.statuses import FINAL_STATUSES, EventKind

logger = logging.getLogger(__name__)


class DataDeleteRefused(ValueError):
    """The user may not delete this contract's data; str() is one sentence for the user."""


def retention_days() -> int:
    """Return RETENTION_DAYS_AFTER_CLOSE (days after approval/rejection before documents are deleted)."""
    return int(getattr(settings, "RETENTION_DAYS_AFTER_CLOSE", 90))


def _holds_data() -> Q:
    """Versions that still hold a file or extracted text."""
    return ~Q(file="") | ~Q(text="")


def _purge_versions(contract_id: int) -> dict[str, int]:
    """Delete the files and blank the extracted text of every version of a contract (inside a transaction;
    files are removed from storage after commit so a rollback never leaves rows pointing at nothing)."""
    files, versions = [], 0
    for version in ContractVersion.objects.select_for_update().filter(contract_id=contract_id).filter(_holds_data()):
        if version.file.name:
            files.append((version.file.storage, version.file.name))
        ContractVersion.objects.filter(pk=version.pk).update(file="", text="", sections=[], pages=[])
        versions += 1

    def remove_files():
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError:  # already gone or unreadable: the row no longer points at it either way
                logger.warning("contract %s: could not delete a stored file", contract_id)

    transaction.on_commit(remove_files)
    return {"versions": versions, "files": len(files)}


def contract_purge(*, contract_id: int, actor=None, note: str) -> dict[str, int]:
    """Delete the documents of one contract (files + extracted text) and write one audit row.

    Returns {"versions": n, "files": n}. Findings, reports, decisions, comments and history are kept.
    """
    from procurement.services import audit_record

    with transaction.atomic():
        Contract.objects.select_for_update().get(pk=contract_id)
        counts = _purge_versions(contract_id)
        audit_record(contract_id=contract_id, kind=EventKind.DATA_DELETED, actor=actor, note=note,
                     data={**counts, "kept": ["findings", "reports", "decisions", "comments", "history"]})
    return counts


def contract_data_delete(*, contract_id: int, actor) -> dict[str, int]:
    """Delete a contract's files and extracted text on request; managers (and superusers) only.

    Raises DataDeleteRefused for anyone else, and while a scan is running (it would write the text back).
    The audit row reads "data deleted by <username>".
    """
    from procurement.permissions import can_delete_contract_data
    from procurement.statuses import ContractStatus

    if not can_delete_contract_data(actor):
        raise DataDeleteRefused("Only a manager can delete a contract's documents.")
    if Contract.objects.filter(pk=contract_id, status=ContractStatus.SCANNING).exists():
        raise DataDeleteRefused("This contract is being scanned; delete its documents when the scan has finished.")
    return contract_purge(contract_id=contract_id, actor=actor, note=f"data deleted by {actor.get_username()}")


def documents_purge_expired(*, now=None, days: int | None = None) -> dict[str, int]:
    """Purge every contract closed (approved/rejected) more than `days` (RETENTION_DAYS_AFTER_CLOSE) ago
    that still holds files or text; return {"contracts": n, "versions": n, "files": n}."""
    days = retention_days() if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    holding = ContractVersion.objects.filter(_holds_data()).values("contract_id")
    ids = list(Contract.objects.filter(status__in=FINAL_STATUSES, closed_at__lt=cutoff, pk__in=holding)
               .order_by("pk").values_list("pk", flat=True))
    totals = {"contracts": 0, "versions": 0, "files": 0}
    for contract_id in ids:
        counts = contract_purge(contract_id=contract_id, actor=None,
                                note=f"retention policy: documents deleted {days} days after the review closed")
        totals["contracts"] += 1
        totals["versions"] += counts["versions"]
        totals["files"] += counts["files"]
    return totals
