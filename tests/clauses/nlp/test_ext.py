"""components/ext.py reads and writes extension values where spaCy's Underscore keeps them: the same values
as `doc._.name` / `token._.name`, both ways, for every extension the checker registers."""
import pytest

from clauses.nlp.components import ext
from clauses.nlp.pipeline import get_nlp

DOC_EXTENSIONS = ("topic_hits", "topic_evidence", "party_roles")


@pytest.mark.parametrize("name", DOC_EXTENSIONS)
def test_doc_extension_values_are_the_underscore_values(name):
    doc = get_nlp().make_doc("Zentrix will not train on Orvane's prompts.")
    assert ext.get_doc_ext(doc, name) is None is getattr(doc._, name)  # unset: the registered default
    value = [(1, 2, 3)]
    ext.set_doc_ext(doc, name, value)
    assert getattr(doc._, name) is value
    other = {"zentrix": "provider"}
    setattr(doc._, name, other)
    assert ext.get_doc_ext(doc, name) is other
    assert ext.doc_key(name) in doc.user_data


def test_token_role_written_by_key_reads_back_through_the_token():
    doc = get_nlp().make_doc("Zentrix will not train on Orvane's prompts.")
    zentrix, orvane = doc[0], doc[5]
    assert zentrix._.role is None
    doc.user_data[ext.token_key("role", zentrix.idx)] = "provider"
    orvane._.role = "customer"
    assert zentrix._.role == "provider"
    assert doc.user_data[ext.token_key("role", orvane.idx)] == "customer"
    assert [t._.role for t in doc].count(None) == len(doc) - 2


def test_the_pipeline_still_fills_the_public_attributes():
    doc = get_nlp()("The Provider will not use Customer Content to train its models.")
    assert doc._.topic_hits and doc._.topic_evidence
    assert {e["topic"] for e in doc._.topic_evidence} == {"input.no_training"}
    assert doc[1]._.role == "provider"
