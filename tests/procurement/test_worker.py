"""A real Celery worker process on the local Redis scans an uploaded contract (issue 4).

Workers are started and stopped by tests/procurement/workers.py (shared with test_worker_failures.py);
an in-memory SQLite test database cannot be shared with them: the test skips locally then, and fails
under REQUIRE_SERVICES=1 (CI runs it on PostgreSQL).
"""
import time

import pytest

from procurement import services
from procurement.models import Contract, Finding
from tests.procurement.conftest import SAMPLE_TEXT
from tests.procurement.workers import broker

WAIT_SECONDS = 150  # generous: the machine (2 cores) may be busy with other test runs


@pytest.fixture
def celery_worker_process(workers, redis_url):
    """One `celery -A config worker` on `redis_url` against the test database; yield (proc, log path)."""
    proc, log_path = workers.start("worker")
    with broker(redis_url):
        yield proc, log_path


def _wait(predicate, proc, log_path, what: str):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc.poll() is not None:
            pytest.fail(f"worker exited ({proc.returncode}) before {what}:\n{log_path.read_text()[-4000:]}")
        time.sleep(0.5)
    pytest.fail(f"timed out after {WAIT_SECONDS}s waiting for {what}:\n{log_path.read_text()[-4000:]}")


@pytest.mark.services
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_real_worker_scans_uploaded_contract_and_redelivery_is_idempotent(celery_worker_process, users):
    from clauses.nlp.pipeline import CHECKER_VERSION

    proc, log_path = celery_worker_process
    # Enqueued on commit of the upload's transaction → published to Redis → consumed by the worker.
    result = services.contract_upload(vendor_name="Acme AI", title="Worker test", profile="auto",
                                      data=SAMPLE_TEXT.encode(), filename="worker-terms.txt", actor=users.procurement)
    contract_id = result.contract.pk
    assert Contract.objects.get(pk=contract_id).status == "scanning"

    _wait(lambda: Contract.objects.get(pk=contract_id).status != "scanning", proc, log_path, "the scan")
    contract = Contract.objects.select_related("current_scan", "current_version").get(pk=contract_id)
    scan = contract.current_scan
    assert contract.status == "needs_review", scan.error
    assert scan.status == "succeeded" and scan.checker_version == CHECKER_VERSION and scan.attempts == 1
    assert scan.report["schema"] == "scan-report/1" and len(scan.report["topics"]) == 31
    assert contract.current_version.text == SAMPLE_TEXT
    findings = Finding.objects.filter(scan=scan).count()
    assert findings == scan.report["summary"]["findings"] > 0
    assert {"input.no_training", "input.retention"} <= set(Finding.objects.filter(scan=scan).values_list("topic", flat=True))

    # A redelivered message (same scan id) is skipped by the claim: no duplicate findings.
    from procurement.tasks import scan_version

    scan_version.delay(scan.pk)
    _wait(lambda: "'skipped'" in log_path.read_text(), proc, log_path, "the redelivered task")
    assert Finding.objects.filter(scan=scan).count() == findings
    assert contract.events.filter(kind="scan_succeeded").count() == 1


@pytest.mark.services
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_child_over_its_memory_limit_is_replaced_and_no_scan_is_lost(workers, redis_url, users):
    """CELERY_WORKER_MAX_MEMORY_KB (Celery worker_max_memory_per_child, prefork pool): spaCy's vocabulary grows
    with every new word a process sees, so a child past the limit is replaced after its task. With a limit
    of 1 KiB every child is replaced after every scan; each scan still completes once."""
    proc, log_path = workers.start("recycled", pool="prefork", CELERY_WORKER_MAX_MEMORY_KB=1)
    with broker(redis_url) as app:
        _wait(lambda: _pool_pids(app), proc, log_path, "the worker to answer")
        first_children = _pool_pids(app)
        ids = [services.contract_upload(vendor_name=f"Vendor {i}", title=f"Recycle {i}", profile="auto",
                                        data=SAMPLE_TEXT.encode(), filename=f"recycle-{i}.txt",
                                        actor=users.procurement).contract.pk for i in range(3)]
        _wait(lambda: not Contract.objects.filter(pk__in=ids, status="scanning").exists(), proc, log_path,
              "three scans")
        _wait(lambda: _pool_pids(app) and _pool_pids(app) != first_children, proc, log_path, "a new child")
    contracts = Contract.objects.select_related("current_scan").filter(pk__in=ids)
    assert [(c.status, c.current_scan.status, c.current_scan.attempts) for c in contracts] == \
        [("needs_review", "succeeded", 1)] * 3
    assert proc.poll() is None  # the worker itself lives on


def _pool_pids(app) -> set[int]:
    """Process ids of the worker's pool children (`celery inspect stats`), empty when no worker answers."""
    stats = app.control.inspect(timeout=2).stats() or {}
    return {pid for s in stats.values() for pid in s.get("pool", {}).get("processes", [])}


def test_worker_memory_limit_setting_reaches_celery():
    from config.celery_app import app

    assert app.conf.worker_max_memory_per_child == 1_000_000
