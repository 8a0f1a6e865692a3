"""Shared helpers of the checker tests."""
from clauses.nlp.pipeline import get_nlp


def run_pipes(text: str, roles: dict):
    """Return a fresh Doc for `text` run through every pipe in turn with the party map `roles`
    (what check.find_evidence does per block, without its prefilters)."""
    nlp = get_nlp()
    doc = nlp.make_doc(text)
    doc._.party_roles = roles
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc
