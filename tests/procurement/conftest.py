"""Fixtures of the review workflow: role users, a fake of the scanning seam, sample documents."""
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from clauses import catalogue
from procurement import scanning
from procurement.roles import LEGAL, MANAGER, PROCUREMENT, roles_ensure
from tests.procurement import workers as workers_module

# Our own sentences (never corpus text). Each phrase triggers one fake finding below.
SAMPLE_TEXT = (
    "1. Services\nThe provider supplies a hosted text model to the customer.\n"
    "2. Data\nThe provider may use customer content to improve its models. "
    "The provider retains data indefinitely. All data is encrypted at rest and in transit.\n"
    "3. Changes\nThe provider may change these terms at any time by posting them online.\n"
)
FAKE_RULES = (
    ("input.no_training", "may use customer content to improve its models", "conflict", "high"),
    ("input.retention", "retains data indefinitely", "conflict", "high"),
    ("continuity.terms_changes", "may change these terms at any time", "conflict", "medium"),
    ("input.encryption", "encrypted at rest and in transit", "present", "info"),
)
FAKE_REQUIRED_MISSING = {"input.breach_notification": "medium"}
FAKE_CHECKER_VERSION = "fake-1.0"


def fake_extract(data: bytes, filename: str):
    """Decode text; bytes starting with %PDF-broken fail like a damaged PDF."""
    if data.startswith(b"%PDF-broken"):
        raise scanning.ScanInputError("The PDF is damaged and cannot be read; upload an unlocked, undamaged copy.")
    text = data.decode("utf-8")
    sections = []
    for label in ("1", "2", "3"):
        start = text.find(f"{label}. ")
        if start >= 0:
            sections.append({"label": label, "title": None, "start": start, "end": len(text)})
    return SimpleNamespace(text=text, format=filename.rsplit(".", 1)[-1] if "." in filename else "txt",
                           sections=tuple(sections), pages=(), warnings=())


def fake_check(doc, *, name, sha256, profile):
    """A report with the scan-report/1 shape: every catalogue topic, evidence quoted exactly."""
    rules = {r[0]: r for r in FAKE_RULES}
    topics = []
    for spec in catalogue.topics():
        rule = rules.get(spec.id)
        entry = {"topic": spec.id, "status": "missing", "required": False, "finding": False, "severity": "info",
                 "value": None, "explanation": spec.title, "evidence": [], "suggested_clause": None}
        if rule and rule[1] in doc.text:
            start = doc.text.find(rule[1])
            entry.update(status=rule[2], severity=rule[3], finding=rule[2] == "conflict",
                         evidence=[{"quote": rule[1], "start": start, "end": start + len(rule[1]),
                                    "section": "2" if "3. " not in doc.text[:start] else "3", "page": None,
                                    "polarity": "unfavourable" if rule[2] == "conflict" else "favourable"}],
                         suggested_clause=f"{spec.id}/preferred")
        elif spec.id in FAKE_REQUIRED_MISSING:
            entry.update(required=True, finding=True, severity=FAKE_REQUIRED_MISSING[spec.id],
                         suggested_clause=f"{spec.id}/preferred")
        topics.append(entry)
    findings = [t for t in topics if t["finding"]]
    return {
        "schema": "scan-report/1", "checker_version": FAKE_CHECKER_VERSION,
        "document": {"name": name, "sha256": sha256, "format": doc.format, "words": len(doc.text.split()),
                     "profile": "hosted_service" if profile == "auto" else profile,
                     "profile_detected": "hosted_service", "license": None},
        "topics": topics,
        "summary": {"findings": len(findings),
                    "conflict": sum(t["status"] == "conflict" for t in topics),
                    "missing": sum(t["status"] == "missing" for t in topics),
                    "present": sum(t["status"] == "present" for t in topics),
                    **{s: sum(t["severity"] == s for t in findings) for s in ("high", "medium", "low")}},
    }


@pytest.fixture
def fake_scanner(monkeypatch):
    """Replace the scanning seam (procurement/scanning.py) with the fakes above; returns a call log."""
    calls = []

    def extract(data, filename):
        calls.append(("extract", filename))
        return fake_extract(data, filename)

    monkeypatch.setattr(scanning, "extract", extract)
    monkeypatch.setattr(scanning, "check", fake_check)
    monkeypatch.setattr(scanning, "checker_version", lambda: FAKE_CHECKER_VERSION)
    return calls


def _user(username, *groups):
    user = get_user_model().objects.create_user(username=username, password="pw-" + username)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


@pytest.fixture
def users(db):
    """One user per role plus a second procurement user outside the first's team, and a teammate."""
    roles_ensure()
    return SimpleNamespace(
        procurement=_user("proc", PROCUREMENT, "team:alpha"),
        teammate=_user("proc_mate", PROCUREMENT, "team:alpha"),
        outsider=_user("proc_other", PROCUREMENT, "team:beta"),
        legal=_user("lawyer", LEGAL),
        legal2=_user("lawyer2", LEGAL),
        manager=_user("boss", MANAGER),
        nobody=_user("norole"),
    )


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (the eager scan task) inside a non-transactional test."""
    def runner(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)
    return runner


@pytest.fixture
def scanned_contract(users, fake_scanner, run_on_commit):
    """A contract uploaded by `users.procurement` whose scan has finished (needs_review)."""
    from procurement import services

    result = run_on_commit(services.contract_upload, vendor_name="Acme AI", title="Chat assistant",
                           profile="auto", data=SAMPLE_TEXT.encode(), filename="acme-terms.txt",
                           actor=users.procurement)
    result.contract.refresh_from_db()
    return result.contract


@pytest.fixture
def workers(redis_url, tmp_path):
    """A `Workers` pool on a flushed Redis database; every worker is stopped at teardown."""
    import redis

    workers_module.shared_db_url()
    redis.Redis.from_url(redis_url).flushdb()
    pool = workers_module.Workers(redis_url, tmp_path)
    try:
        yield pool
    finally:
        pool.stop_all()
