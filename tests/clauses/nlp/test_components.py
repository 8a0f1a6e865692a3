"""Each component on literal sentences: splitter, lemmatizer, roles, negation; plus the pipeline build."""
import pytest

from clauses.nlp.components.roles import find_party_roles
from clauses.nlp.pipeline import CHECKER_VERSION, build_nlp, get_nlp, run_self_test
from tests.clauses.nlp.helpers import run_pipes


def sents(text):
    return [s.text.strip() for s in get_nlp()(text).sents if s.text.strip()]


@pytest.mark.parametrize("text", [
    "See Section 2.1 for details about the fees.",
    "Use tools, e.g. scripts, to call the API.",
    "Data is shared with vendors, i.e. subprocessors, only.",
    "Example Labs Inc. provides the Service.",
    "Example Ltd. is the Provider.",
    "See Order No. 5 for prices.",
    "Export to the U.S. government is restricted.",
])
def test_splitter_keeps_abbreviations_and_numbers_inside_one_sentence(text):
    assert sents(text) == [text]


def test_splitter_splits_at_blank_lines_and_list_items():
    text = "1. Definitions\n\nThe Provider hosts the model.\n(a) first item;\n(b) second item."
    assert sents(text) == ["1. Definitions", "The Provider hosts the model.", "(a) first item;", "(b) second item."]


def test_splitter_does_not_split_after_a_list_label():
    assert sents("1. The Customer owns its data. 2. The Provider hosts it.") == [
        "1. The Customer owns its data.", "2. The Provider hosts it."]


def test_splitter_keeps_hard_wrapped_lines_together():
    assert sents("The Provider will not use\ncustomer data for training.") == [
        "The Provider will not use\ncustomer data for training."]


def test_lemmatizer_is_case_insensitive():
    doc = get_nlp()("Outputs Trained Using Models")
    assert [t.lemma_ for t in doc] == ["output", "train", "use", "model"]


def test_roles_from_definitions():
    text = ('"Licensor" or "we" means Acme Models Ltd.\n"Licensee" or "you" means the person accepting this Agreement.\n'
            'Acme Cloud, Inc. ("Acme Cloud", "us") provides the API.')
    roles = find_party_roles(text)
    assert roles["acme"] == "provider"
    assert roles["licensee"] == "customer" and roles["you"] == "customer"
    assert roles["licensor"] == "provider"


def test_role_tagging_uses_document_names():
    doc = run_pipes("Zentrix owns derivatives you make.", find_party_roles('"Zentrix" or "we" means Zentrix Labs.'))
    assert doc[0]._.role == "provider" and doc[3]._.role == "customer"
    assert {(e["topic"], e["polarity"]) for e in doc._.topic_evidence} == {("derivatives.ownership", "unfavourable")}


@pytest.mark.parametrize(("sentence", "polarity"), [
    ("We will not use your content to train our models.", "favourable"),
    ("We shall never use your content to train models.", "favourable"),
    ("We may use your content to train our models.", "unfavourable"),
    ("No customer content shall be used by us to train models.", "favourable"),
    ("We may use your content, including but not limited to prompts, to train our models.", "unfavourable"),
])
def test_negation_and_modality(sentence, polarity):
    doc = get_nlp()(sentence)
    got = {e["polarity"] for e in doc._.topic_evidence if e["topic"] == "input.no_training"}
    assert got == {polarity}


def test_get_nlp_is_built_once():
    assert get_nlp() is get_nlp()
    assert list(get_nlp().pipe_names) == ["legal_sentencizer", "legal_lemmatizer", "party_roles", "topic_matcher",
                                          "clause_polarity"]


def test_self_test_fails_loudly_without_lemmas():
    nlp = build_nlp(self_test=False)
    nlp.remove_pipe("legal_lemmatizer")
    with pytest.raises(RuntimeError, match="lemmatizer"):
        run_self_test(nlp)


def test_checker_version_has_pattern_hash():
    version, digest = CHECKER_VERSION.split("+")
    assert version == "1.0.0" and len(digest) == 12
