"""A real Celery worker process on the local Redis scans an uploaded contract (issue 4).

Both processes must see one database: PostgreSQL in CI (pytest-django's test_<name> database is passed to
the worker), or a file SQLite database. An in-memory SQLite test database cannot be shared: the test
skips locally then, and fails under REQUIRE_SERVICES=1 (CI runs it on PostgreSQL).
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from procurement import services
from procurement.models import Contract, Finding
from tests.conftest import REQUIRE_SERVICES
from tests.procurement.conftest import SAMPLE_TEXT

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 150  # generous: the machine (2 cores) may be busy with other test runs


def _database_url() -> str | None:
    s = connection.settings_dict
    if "postgresql" in s["ENGINE"]:
        auth = quote(s["USER"] or "") + (":" + quote(s["PASSWORD"]) if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    name = str(s["NAME"])
    if "sqlite" in s["ENGINE"] and name and ":memory:" not in name and "mode=memory" not in name:
        return f"sqlite:///{name}"
    return None


@pytest.fixture
def celery_worker_process(redis_url, tmp_path):
    """Start `celery -A config worker` on `redis_url` against the test database; yield (proc, log path)."""
    db_url = _database_url()
    if db_url is None:
        message = ("the test database is in-memory SQLite; run with DATABASE_URL (PostgreSQL) or "
                   "SQLITE_TEST_FILE=1 (a file SQLite test database) to share it")
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", DATABASE_URL=db_url, CELERY_BROKER_URL=redis_url,
               DJANGO_MEDIA_ROOT=str(settings.MEDIA_ROOT), FILE_ENCRYPTION_KEYS=",".join(settings.FILE_ENCRYPTION_KEYS),
               DJANGO_SECRET_KEY="worker-test-key")
    log_path = tmp_path / "worker.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    from config.celery_app import app

    def reset_pools():
        # Earlier eager tests may have created connection/producer pools for the empty broker URL
        # (kombu falls back to amqp://localhost); publishing must use a pool for `redis_url`.
        app._pool = None
        if "amqp" in app.__dict__:
            app.__dict__["amqp"]._producer_pool = None

    saved = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = redis_url
    reset_pools()
    try:
        yield proc, log_path
    finally:
        app.conf.task_always_eager, app.conf.broker_url = saved
        reset_pools()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        log.close()


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
