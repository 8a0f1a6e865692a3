"""Celery tasks: thin — ids in, call a service (HOUSE-STYLE "Celery").

Options follow KNOWN-FAILURES "Celery on Redis": acks_late + reject_on_worker_lost so a killed worker's
message is redelivered (scan_run is idempotent), soft/hard time limits against documents that loop the
parser, retries only for named transient errors. The database state plus `scans_requeue_stale`
(periodic) is the real guarantee that no scan is lost.
"""
from celery import shared_task
from django.conf import settings

from procurement import services


@shared_task(
    name="procurement.scan_version",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=5,
)
def scan_version(scan_id: int) -> str:
    """Run scan `scan_id` (see services.scan_run); returns its outcome string."""
    return services.scan_run(scan_id=scan_id)


@shared_task(name="procurement.scans_requeue_stale", acks_late=True, time_limit=120)
def scans_requeue_stale() -> int:
    """Periodic reaper: re-enqueue scans stuck in running/queued past the time limit."""
    return services.scans_requeue_stale()


@shared_task(name="procurement.purge_expired", acks_late=True, time_limit=600)
def purge_expired() -> dict:
    """Periodic retention purge (procurement/retention.py): documents of reviews closed long enough ago."""
    from procurement.retention import documents_purge_expired

    return documents_purge_expired()
