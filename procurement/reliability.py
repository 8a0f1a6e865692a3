"""Worker-failure guarantees of scans (issue 6 "Worker failures"; KNOWN-FAILURES "Celery on Redis").

Celery's `acks_late` + `reject_on_worker_lost` are not enough on Redis: a worker killed like an OOM kill
leaves its message unacked until the broker's visibility timeout (an hour by default) and a message
published while Redis is down is simply not sent. The guarantee is the scan's state in our database
plus the reaper here:

- `scan_enqueue(scan_id)` publishes the task and never raises for a broker that is down: the scan stays
  `queued` in the database (the upload is already committed) and the reaper publishes it again later.
- `scans_reap_stale()` (Celery beat every `SCAN_REAPER_INTERVAL_SECONDS`, or `manage.py reap_stale_scans`)
  finds scans `running` longer than the staleness window (a dead worker), marks that attempt failed and
  puts the scan back to `queued` (republished), up to `SCAN_MAX_ATTEMPTS` claims; past that the scan
  fails with a clear message and the contract goes to `scan_failed` (a person can retry it). Scans
  `queued` longer than the window (message lost, broker was down) are published again; duplicates are
  harmless because `services.scan_run` claims a scan once.

Test-only slow path: with `SCAN_TEST_DELAY_SECONDS=N` in the environment, `scan_test_delay()` sleeps N
seconds inside a claimed scan, so a test can kill a worker mid-scan. It is honoured only when
`settings.DEBUG` or `settings.SCAN_TEST_DELAY_ALLOWED` is true (never in production settings).
"""
from __future__ import annotations

import logging
import os
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from procurement.models import Scan
from procurement.statuses import EventKind, ScanStatus

logger = logging.getLogger(__name__)


def _enqueue_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean "the broker is unreachable" when publishing (kombu, redis-py, sockets)."""
    from kombu.exceptions import OperationalError as KombuOperationalError

    errors: list[type[BaseException]] = [KombuOperationalError, ConnectionError, TimeoutError, OSError]
    try:
        import redis.exceptions

        errors += [redis.exceptions.ConnectionError, redis.exceptions.TimeoutError]
    except ImportError:  # redis-py is only needed with a Redis broker
        pass
    return tuple(errors)


def scan_stale_after() -> timedelta:
    """Return the staleness window of a `running` scan: setting SCAN_STALE_AFTER_SECONDS, by default the
    hard time limit + 60 s (no live worker runs a scan longer than its hard limit)."""
    seconds = getattr(settings, "SCAN_STALE_AFTER_SECONDS", None)
    if seconds is None:
        seconds = int(getattr(settings, "CELERY_TASK_TIME_LIMIT", 360) or 360) + 60
    return timedelta(seconds=int(seconds))


def scan_max_attempts() -> int:
    """Return how many times a scan may be claimed before the reaper fails it (SCAN_MAX_ATTEMPTS, default 3)."""
    return max(1, int(getattr(settings, "SCAN_MAX_ATTEMPTS", 3)))


def scan_enqueue(scan_id: int, *, record_failure: bool = False) -> bool:
    """Publish the scan task for `scan_id`; return False (and log) when the broker is unreachable.

    Never raises for a broker outage: the scan row stays `queued` and `scans_reap_stale` publishes it
    again once the broker is back. With `record_failure` a history row tells the contract's readers so.
    Run it after commit (`transaction.on_commit`).
    """
    from procurement.tasks import scan_version

    try:
        scan_version.delay(scan_id)
    except _enqueue_errors() as exc:
        logger.warning("scan %s not published, broker unreachable (%s); the reaper will publish it again",
                       scan_id, type(exc).__name__)
        if record_failure:
            _record_enqueue_failure(scan_id)
        return False
    return True


def _record_enqueue_failure(scan_id: int) -> None:
    from procurement.services import audit_record

    contract_id = Scan.objects.filter(pk=scan_id).values_list("version__contract_id", flat=True).first()
    if contract_id is not None:
        audit_record(contract_id=contract_id, kind=EventKind.SCAN_QUEUED, data={"scan_id": scan_id, "published": False},
                     note="the task queue is unavailable; the file is stored and the scan starts automatically "
                          "when the queue is back")


def scan_queue_health() -> dict:
    """Return {"queued": n, "running": n, "oldest_queued_seconds": s|None, "oldest_running_seconds": s|None}.

    An old queued scan with workers up means workers are alive but not consuming (KNOWN-FAILURES: celery
    #8082 after a Redis reconnect) or the broker is down; `manage.py scan_queue_health` alerts on it.
    """
    from django.db.models import Count, Min

    now = timezone.now()
    out = {}
    for status, field in ((ScanStatus.QUEUED, "created_at"), (ScanStatus.RUNNING, "started_at")):
        agg = Scan.objects.filter(status=status).aggregate(n=Count("pk"), oldest=Min(field))
        out[status.value] = agg["n"]
        out[f"oldest_{status.value}_seconds"] = (now - agg["oldest"]).total_seconds() if agg["oldest"] else None
    return out



def scan_test_delay() -> float:
    """Sleep SCAN_TEST_DELAY_SECONDS (environment) inside a claimed scan; return the seconds slept.

    Test-only: honoured only when settings.DEBUG or settings.SCAN_TEST_DELAY_ALLOWED is true.
    """
    if not (settings.DEBUG or getattr(settings, "SCAN_TEST_DELAY_ALLOWED", False)):
        return 0.0
    try:
        seconds = float(os.environ.get("SCAN_TEST_DELAY_SECONDS", "0") or 0)
    except ValueError:
        return 0.0
    if seconds > 0:
        time.sleep(min(seconds, 600.0))
    return max(seconds, 0.0)


def _interrupted_message(attempts: int) -> str:
    return (f"The scan was interrupted {attempts} times (the worker stopped while scanning, e.g. it ran out of "
            "memory or was restarted) and was given up. Retry the scan; if it fails again, upload a smaller "
            "or cleaner copy (e.g. .docx instead of a scanned PDF) or tell the administrators.")


def scans_reap_stale(*, stale_after: timedelta | None = None, max_attempts: int | None = None) -> dict[str, int]:
    """Recover scans left behind by dead workers or lost messages; return counts
    {"requeued": n, "failed": n, "republished": n}.

    - `running` longer than `stale_after` (default `scan_stale_after()`): with fewer than `max_attempts`
      claims (default SCAN_MAX_ATTEMPTS) the scan goes back to `queued` with an audit row and is published
      again; otherwise it fails with a one-line message and the contract moves to `scan_failed`.
    - `queued` and created longer than `stale_after` ago: published again (lost message or broker outage).

    Every change is a conditional update on the observed `started_at`, so a worker that finishes at the
    same moment wins (its store sees the scan is no longer its own only if the reaper got there first).
    """
    from procurement import services

    stale_after = scan_stale_after() if stale_after is None else stale_after
    max_attempts = scan_max_attempts() if max_attempts is None else max_attempts
    cutoff = timezone.now() - stale_after
    counts = {"requeued": 0, "failed": 0, "republished": 0}
    requeued: set[int] = set()

    stuck = (Scan.objects.filter(status=ScanStatus.RUNNING, started_at__lt=cutoff)
             .select_related("version").order_by("pk"))
    for scan in stuck:
        if scan.attempts >= max_attempts:
            if services._scan_fail(scan, scan.started_at, _interrupted_message(scan.attempts)) == "failed":
                counts["failed"] += 1
            continue
        with transaction.atomic():
            moved = Scan.objects.filter(pk=scan.pk, status=ScanStatus.RUNNING, started_at=scan.started_at).update(
                status=ScanStatus.QUEUED, error="")
            if not moved:
                continue
            services.audit_record(
                contract_id=scan.version.contract_id, kind=EventKind.SCAN_QUEUED,
                note=f"attempt {scan.attempts} of {max_attempts} stopped (worker lost); scan queued again",
                data={"scan_id": scan.pk, "attempts": scan.attempts, "reaped": True},
            )
            scan_id = scan.pk
            transaction.on_commit(lambda scan_id=scan_id: scan_enqueue(scan_id))
        counts["requeued"] += 1
        requeued.add(scan.pk)

    for scan_id in (Scan.objects.filter(status=ScanStatus.QUEUED, created_at__lt=cutoff)
                    .values_list("pk", flat=True).order_by("pk")):
        if scan_id not in requeued and scan_enqueue(scan_id):
            counts["republished"] += 1
    return counts
