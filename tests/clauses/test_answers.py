"""Answers validation (shared/spec/answers.md): every problem named at once."""
import pytest

from clauses.answers import EXAMPLE_ANSWERS, AnswersError, validate_answers
from tests.clauses.generator_helpers import make_answers

KNOWN = {"input.retention": {"preferred", "fallback", "walk_away"}, "input.audit": {"preferred", "fallback"}}


def problems_of(data, doc_type="sow", known=KNOWN):
    with pytest.raises(AnswersError) as info:
        validate_answers(data, doc_type, known_positions=known)
    return info.value.problems


def test_spec_example_is_valid_and_cleaned():
    cleaned = validate_answers(EXAMPLE_ANSWERS, "dpa", known_positions=KNOWN)
    assert cleaned["customer"]["name"] == "Northwind Health & Care Ltd"
    assert cleaned["positions"] == {"input.retention": "fallback"}
    assert cleaned["retention_days"] == 30


def test_optional_keys_default_to_empty():
    data = make_answers()
    del data["subprocessors"], data["positions"]
    cleaned = validate_answers(data, "sow", known_positions=KNOWN)
    assert cleaned["subprocessors"] == [] and cleaned["positions"] == {}


def test_names_every_missing_and_unknown_key_at_every_level():
    data = make_answers()
    del data["governing_law"], data["customer"]["signatory"], data["engagement"]["deployment"]
    data["colour"] = "blue"
    data["provider"]["vat"] = "GB1"
    data["subprocessors"][0]["sla"] = "99.9"
    problems = problems_of(data)
    assert sorted(problems) == sorted([
        "customer.signatory: missing", "provider.vat: unknown key", "colour: unknown key",
        "governing_law: missing", "engagement.deployment: missing", "subprocessors[0].sla: unknown key"])
    assert len(problems) == 6


def test_wrong_types_bad_dates_and_choices():
    data = make_answers(retention_days="30", breach_notice_hours=True, personal_data="yes",
                        effective_date="01/12/2026", engagement__deployment="cloud", engagement__fine_tuning=1,
                        change_notice_days=1.5, subprocessors={"name": "x"})
    problems = problems_of(data)
    assert "retention_days: must be an integer (got text)" in problems
    assert "breach_notice_hours: must be an integer (got true/false)" in problems
    assert "personal_data: must be true or false (got text)" in problems
    assert "effective_date: '01/12/2026' is not an ISO 8601 date such as 2026-12-01" in problems
    assert "engagement.deployment: must be one of hosted, self_hosted, hybrid (got 'cloud')" in problems
    assert "engagement.fine_tuning: must be true or false (got integer)" in problems
    assert "change_notice_days: must be an integer (got number)" in problems
    assert "subprocessors: must be a list (got object)" in problems
    assert len(problems) == 8


def test_impossible_calendar_date_is_rejected():
    assert problems_of(make_answers(effective_date="2026-02-30")) == [
        "effective_date: '2026-02-30' is not an ISO 8601 date such as 2026-12-01"]


def test_unknown_topics_and_positions_are_named():
    data = make_answers(positions={"input.nope": "fallback", "input.retention": "best", "input.audit": "walk_away"})
    problems = problems_of(data)
    assert problems == [
        "positions.input.nope: unknown topic id",
        "positions.input.retention: unknown position 'best' (use one of preferred, fallback, walk_away)",
        "positions.input.audit: the clause library has no approved 'walk_away' wording for this topic "
        "(available: preferred, fallback)",
    ]


def test_dpa_without_personal_data_is_refused_clearly():
    problems = problems_of(make_answers(personal_data=False), "dpa")
    assert len(problems) == 1
    assert problems[0].startswith("personal_data: is false, so no personal data is processed and a DPA is not needed")
    # the same answers are fine for a SOW
    assert validate_answers(make_answers(personal_data=False), "sow", known_positions=KNOWN)["personal_data"] is False


def test_empty_text_control_characters_and_template_markers_are_rejected():
    data = make_answers(customer__name="  ", provider__name="Evil {{ x }} Ltd", governing_law="Eng\x07land",
                        liability_cap="two\nlines")
    problems = problems_of(data)
    assert "customer.name: must not be empty" in problems
    assert "provider.name: must not contain template markers such as '{{' or '{%'" in problems
    assert "governing_law: contains control characters" in problems
    assert "liability_cap: must be a single line" in problems


def test_multiline_address_keeps_its_lines_and_normalises_line_endings():
    cleaned = validate_answers(make_answers(customer__address="1 Harbour Road\r\nBristol BS1 4XX\r\n"),
                               "sow", known_positions=KNOWN)
    assert cleaned["customer"]["address"] == "1 Harbour Road\nBristol BS1 4XX"


def test_non_object_answers_and_unknown_doc_type():
    with pytest.raises(AnswersError) as info:
        validate_answers([1, 2], "memo", known_positions=KNOWN)
    assert info.value.problems == ["doc_type: must be one of sow, dpa (got 'memo')",
                                   "answers: must be a JSON object (got list)"]
    assert str(info.value).startswith("2 problem(s) in the answers:\n- doc_type")
