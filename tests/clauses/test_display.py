"""Clause wording shown outside a generated document: playbook numbers filled, conditions resolved."""
import re

import pytest

from clauses import catalogue, library, selectors, services

NUMERIC = {"retention_days": "30 days", "breach_notice_hours": "72 hours", "price_change_notice_days": "90 days",
           "change_notice_days": "60 days"}
DEAL_SPECIFIC = {"[governing law]", "[data location]", "[liability cap]", "[customer name]", "[provider name]"}
BLANK = re.compile(r"\[[a-z ]+\]")


@pytest.mark.parametrize("entry", library.clause_entries(), ids=lambda e: f"{e.topic}/{e.position}")
def test_every_library_wording_displays_playbook_numbers_and_no_markup(entry, settings):
    settings.PLAYBOOK = catalogue.default_playbook()
    shown = selectors.clause_text_display(entry.text)
    for marker in ("{{", "{%", "}}", "%}"):
        assert marker not in shown
    for name, value in NUMERIC.items():
        assert f"[{name.replace('_', ' ')}]" not in shown
        if name in entry.variables:
            assert value in shown, (name, shown)
    assert set(BLANK.findall(shown)) <= DEAL_SPECIFIC


def test_display_uses_the_configured_playbook_and_one_accepted_governing_law(settings):
    settings.PLAYBOOK = {"max_retention_days": 14, "max_breach_notice_hours": 24,
                         "min_price_change_notice_days": 120, "accepted_governing_laws": ["Ireland"]}
    text = ("Delete within {{ retention_days }} days, notify within {{ breach_notice_hours }} hours, "
            "{{ price_change_notice_days }} days' price notice, {{ change_notice_days }} days' change notice, "
            "laws of {{ governing_law }}, {{ customer.name }}{% if engagement.fine_tuning %} and its Derivatives{% endif %}.")
    assert selectors.clause_text_display(text) == (
        "Delete within 14 days, notify within 24 hours, 120 days' price notice, 60 days' change notice, "
        "laws of Ireland, [customer name] and its Derivatives.")
    assert selectors.clause_text_display("{{ governing_law }}", playbook={"accepted_governing_laws": ["A", "B"]}) == \
        "[governing law]"


def test_unrenderable_wording_still_displays_without_raising():
    text = "Within {{ retention_days }} days {% if %} for {{ customer.name }} and {{ nonsense.value }}."
    assert selectors.clause_text_display(text, playbook={}) == \
        "Within 30 days  for [customer name] and [nonsense value]."


@pytest.mark.django_db
def test_report_wording_from_approved_versions_has_no_numeric_placeholders(settings):
    from procurement.selectors import clause_wordings

    settings.PLAYBOOK = catalogue.default_playbook()
    services.catalogue_load()
    wording = clause_wordings([f"{tid}/preferred" for tid in catalogue.topic_ids()])
    assert set(wording) == set(catalogue.topic_ids())
    texts = {f"{tid}/{pos}": w["text"] for tid, ws in wording.items() for pos, w in ws.items()}
    assert len(texts) == 62
    for ref, text in texts.items():
        assert not any(f"[{n.replace('_', ' ')}]" in text for n in NUMERIC), ref
        assert "{%" not in text and "{{" not in text, ref
    assert "at least 60 days' prior written notice" in texts["security.change_notice/preferred"]
    assert "within 72 hours" in texts["input.breach_notification/preferred"]
