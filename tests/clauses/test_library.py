"""The clause library data files: coverage of all 31 topics, checked variables and defined terms."""
import pytest

from clauses import assembly, catalogue, library
from clauses.answers import validate_answers
from tests.clauses.generator_helpers import make_answers


def test_every_topic_has_preferred_and_fallback_wording():
    have = library.positions_available()
    assert set(have) == set(catalogue.topic_ids())
    assert all({"preferred", "fallback"} <= positions for positions in have.values())
    assert len(library.clause_entries()) == 67
    assert sorted(t for t, p in have.items() if "walk_away" in p) == [
        "continuity.price_changes", "derivatives.ownership", "input.no_training", "input.retention", "liability.cap"]


def test_article_asks_are_in_the_preferred_wording():
    text = {(e.topic, e.position): e.text for e in library.clause_entries()}
    assert "The Provider shall not use Customer Inputs to train, retrain, fine-tune" in text[
        ("input.no_training", "preferred")]
    assert "at rest using AES-256" in text[("input.encryption", "preferred")]
    assert "in use by processing it only within hardware-based trusted execution environments" in text[
        ("input.encryption", "preferred")]
    assert "no more than {{ retention_days }} days" in text[("input.retention", "preferred")]
    assert "the Customer owns the Derivatives, including all fine-tuned models, adapters and weights" in text[
        ("derivatives.ownership", "preferred")]
    assert "SHA-256 hash" in text[("security.artifact_integrity", "preferred")]
    assert "The Customer may pin the model version" in text[("security.change_notice", "preferred")]
    assert "may be varied only by a written amendment" in text[("continuity.terms_changes", "preferred")]
    assert "The Fees are fixed for the term" in text[("continuity.price_changes", "preferred")]
    assert "governed by the laws of {{ governing_law }}" in text[("compliance.governing_law", "preferred")]
    assert "There are no usage caps" in text[("license.user_cap", "preferred")]
    assert "in any industry or sector" in text[("output.use_restrictions", "preferred")]


@pytest.mark.parametrize("text, terms, expected", [
    ("The Provider shall keep {{ retention_dayz }} days.", [], "unknown variables ['retention_dayz']"),
    ("The Provider shall {% if %} x.", [], "template syntax error on line 1"),
    ("The Provider shall protect Customer Data.", [], "defined terms ['Customer Data'] are used but not declared"),
    ("The Provider shall protect data.", ["Outputs"], "defined terms ['Outputs'] are declared but not used"),
    ("The Provider shall protect data.", ["Widgets"], "defined terms ['Widgets'] are not in definitions.toml"),
])
def test_check_clause_text_names_the_problem(text, terms, expected):
    problems = library.check_clause_text(text, terms)
    assert any(p.startswith(expected) for p in problems), problems


def test_longer_terms_win_over_their_prefixes():
    assert library.terms_used("deliver Model Artifacts to the Customer") == {"Model Artifacts"}
    assert library.terms_used("the Model and its Model Artifacts") == {"Model", "Model Artifacts"}
    assert library.terms_used("two Subprocessors") == {"Subprocessor"}


def test_definitions_are_closed_over_the_terms_they_use():
    closed = library.terms_closure(["Security Incident"])
    assert closed[:3] == ["Agreement", "Customer Data", "Customer Inputs"]
    assert "Subprocessor" in closed and "Fine-Tuning Data" in closed


@pytest.mark.parametrize("doc_type", ["sow", "dpa"])
def test_every_clause_renders_with_the_example_answers(doc_type):
    answers = validate_answers(make_answers(engagement__deployment="hybrid"), doc_type)
    for entry in library.clause_entries():
        rendered = library.render_text(entry.text, assembly.text_context(doc_type, answers))
        assert "{{" not in rendered and rendered.strip()


@pytest.mark.parametrize("fine_tuning, expected", [(True, {"Fine-Tuning Data", "Derivatives"}), (False, set())])
def test_definitions_close_over_their_rendered_wording(fine_tuning, expected):
    ctx = assembly.text_context("sow", validate_answers(make_answers(engagement__fine_tuning=fine_tuning), "sow"))
    closed = set(library.terms_closure(["Customer Data", "Deliverables"], ctx))
    assert closed & {"Fine-Tuning Data", "Derivatives"} == expected
    assert {"Customer Inputs", "Outputs", "Model Artifacts", "Model"} <= closed


def test_a_conditional_clause_declares_every_branch_but_uses_only_the_rendered_terms():
    text = "The Customer owns the Outputs{% if engagement.fine_tuning %} and the Derivatives{% endif %}."
    assert library.check_clause_text(text, ["Derivatives", "Outputs"], ["engagement"]) == []
    assert library.check_clause_text(text, ["Outputs"], ["engagement"]) == [
        "defined terms ['Derivatives'] are used but not declared"]
    for fine_tuning, terms in [(True, ("Derivatives", "Outputs")), (False, ("Outputs",))]:
        rendered = library.render_text(text, {"engagement": {"fine_tuning": fine_tuning}})
        assert library.terms_rendered(rendered, ["Derivatives", "Outputs"]) == terms
