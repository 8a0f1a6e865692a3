"""One test per kind of bug found while measuring on real documents (own sentences, never corpus text)."""
import pytest

from clauses.nlp.check import check_text
from clauses.nlp.components.roles import find_party_roles
from clauses.nlp.pipeline import get_nlp


def status(text, topic, profile="model_license"):
    return next(t for t in check_text(text, profile=profile)["topics"] if t["topic"] == topic)["status"]


def test_hyphenated_no_is_not_a_negation():
    text = "Licensor grants you a perpetual, no-charge, royalty-free licence to prepare derivative works of the Model."
    assert status(text, "derivatives.right_to_modify") == "present"


def test_definition_sentences_never_count():
    text = '"Derivatives" means all modifications of the Model, including any models trained on its outputs.'
    report = check_text(text, profile="model_license")
    assert all(t["status"] == "missing" for t in report["topics"])


def test_defined_use_policy_at_url_is_an_incorporated_policy():
    text = '"AUP" means the acceptable use policy available at https://example.com/aup, as updated from time to time.'
    assert status(text, "license.acceptable_use") == "conflict"


def test_hard_wrapped_sentence_with_capitalised_next_line_stays_whole():
    text = "You will not use the outputs or results of the\nExample Materials to improve any other large language model."
    assert [s.text for s in get_nlp()(text).sents] == [text]
    assert status(text, "output.use_restrictions") == "conflict"


def test_prohibition_list_opened_by_item_labels_negates_later_items():
    text = ("Customer will not, and will not allow others to, (a) copy the Services; (b) reverse engineer them; "
            "or (c) sell, sublicense or distribute the Services.")
    assert status(text, "license.redistribution", "hosted_service") == "conflict"


def test_prohibition_does_not_reach_past_an_exception():
    text = ("You may not use our trademarks, except as needed to describe and distribute the Model and your "
            "derivative works.")
    assert status(text, "license.redistribution") == "present"


def test_your_own_is_not_ownership():
    assert status("You may post your own prompts and completions online.", "output.ownership") == "missing"


def test_provider_name_found_when_no_definition_names_it():
    text = ("Zentrix will host the Service. Zentrix may change the Service. Zentrix will notify Customer. "
            "Zentrix may suspend access to the Service at any time.")
    assert find_party_roles(text)["zentrix"] == "provider"
    assert status(text, "license.termination", "hosted_service") == "conflict"


@pytest.mark.parametrize(("text", "topic"), [
    ("We will delete Customer Data when you ask us to.", "input.retention"),
    ("We will notify you of security incidents.", "input.breach_notification"),
    ("This Agreement is governed by the applicable law.", "compliance.governing_law"),
])
def test_topics_that_need_a_stated_value_stay_missing_without_one(text, topic):
    assert status(text, topic, "hosted_service") == "missing"


def test_material_breach_termination_is_not_a_security_breach():
    text = "Either party may terminate for material breach that is not cured within 30 days after written notice."
    assert status(text, "input.breach_notification", "hosted_service") == "missing"


def test_uppercase_governing_law_clause_gives_the_state():
    report = check_text("ALL CLAIMS WILL BE GOVERNED BY CALIFORNIA LAW.", profile="hosted_service")
    row = next(t for t in report["topics"] if t["topic"] == "compliance.governing_law")
    assert (row["status"], row["value"]) == ("present", "California")
