"""Pure pieces of the report page and the task options."""
import pytest

from procurement import selectors, tasks
from procurement.models import Scan


def test_highlight_segments_cover_text_once_with_overlaps():
    text = "The provider may use content to train models."
    spans = [{"start": 4, "end": 20, "id": "a", "kind": "present"},
             {"start": 13, "end": 30, "id": "b", "kind": "conflict"}]
    segs = selectors.highlight_segments(text, spans)
    assert "".join(s["text"] for s in segs) == text
    assert [(s["text"], s["ids"], s["kind"], s["anchor"]) for s in segs] == [
        (text[:4], [], None, None),
        (text[4:13], ["a"], "present", "a"),
        (text[13:20], ["a", "b"], "conflict", "b"),
        (text[20:30], ["b"], "conflict", None),
        (text[30:], [], None, None),
    ]


def test_highlight_segments_without_spans_is_whole_text():
    assert selectors.highlight_segments("abc", []) == [{"text": "abc", "ids": [], "kind": None, "anchor": None}]


@pytest.mark.django_db
def test_report_context_flags_quotes_that_do_not_match_offsets(scanned_contract):
    scan = Scan.objects.get(pk=scanned_contract.current_scan_id)
    report = scan.report
    for t in report["topics"]:
        if t["topic"] == "input.retention":
            t["evidence"][0]["start"] += 3  # quote no longer at its offsets: a checker defect
    scan.report = report
    scan.save()
    ctx = selectors.report_context(contract=scanned_contract, scan=scan)
    assert [b["topic"] for b in ctx["bad_evidence"]] == ["input.retention"]
    marked = "".join(s["text"] for s in ctx["segments"] if s["kind"])
    assert "retains data indefinitely" not in marked
    assert "may use customer content to improve its models" in marked
    assert len(ctx["coverage"]) == 8 and sum(len(g["rows"]) for g in ctx["coverage"]) == 31
    assert ctx["open_high"] == 2
    assert [f.severity for f in ctx["findings"]] == ["high", "high", "medium", "medium"]


def test_scan_task_options_follow_house_style():
    task = tasks.scan_version
    assert task.acks_late is True and task.reject_on_worker_lost is True
    assert task.soft_time_limit and task.time_limit and task.soft_time_limit < task.time_limit
    from django.db import InterfaceError, OperationalError

    assert set(task.autoretry_for) == {OperationalError, InterfaceError}


def test_fill_placeholders_uses_playbook_and_brackets_the_rest(settings):
    settings.PLAYBOOK = {"max_retention_days": 30, "max_breach_notice_hours": 48}
    text = "Delete within {{ retention_days }} days, notify within {{breach_notice_hours}} hours, law of {{ governing_law }} for {{ customer.name }}."
    assert selectors.fill_placeholders(text) == (
        "Delete within 30 days, notify within 48 hours, law of [governing law] for [customer name].")
