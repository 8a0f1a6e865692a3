"""A scan's findings never depend on what the same process scanned before (issue 3).

The bug of this kind: the role tagger cached its per-document table under `id(roles)`; once a document's
party map was freed, the next document's map could get the same id and be read with the previous
document's parties ("Zentrix" stayed the provider in a contract where Zentrix is the customer).
"""
import gc

import pytest

from clauses.nlp.check import check_text
from clauses.nlp.components.roles import find_party_roles
from tests.clauses.nlp.helpers import run_pipes

# Two contracts with opposite parties under the same names: in A Zentrix is the vendor, in B the customer.
VENDOR_ZENTRIX = """SERVICES AGREEMENT
This Agreement is between Zentrix Labs Ltd ("Zentrix", "Provider") and Orvane plc ("Orvane", "Customer").
1. Zentrix owns all derivatives of the models created with the services.
2. Zentrix may use Orvane's prompts to train its models.
"""
CUSTOMER_ZENTRIX = """SERVICES AGREEMENT
This Agreement is between Orvane plc ("Orvane", "Provider") and Zentrix Labs Ltd ("Zentrix", "Customer").
1. Zentrix owns all derivatives of the models created with the services.
2. Orvane shall not use Zentrix's prompts to train any model.
"""
THIRD = """MODEL LICENCE
"Licensor" or "we" means Halvard AI. "You" means the licensee.
You own the outputs you generate. We may change these terms at any time without notice.
"""


def statuses(text: str) -> dict[str, str]:
    report = check_text(text, name="t.txt", profile="hosted_service")
    return {t["topic"]: t["status"] for t in report["topics"]}


def tag(text: str, roles: dict) -> list:
    return [t._.role for t in run_pipes(text, roles)]


def test_role_table_follows_the_map_not_its_identity():
    roles = {"zentrix": "provider"}
    assert tag("Zentrix owns derivatives.", roles)[0] == "provider"
    roles["zentrix"] = "customer"  # the same object (same id) now says otherwise
    assert tag("Zentrix owns derivatives.", roles)[0] == "customer"


def test_freed_party_maps_do_not_leak_into_the_next_document():
    for _ in range(20):  # ids of freed dicts are reused quickly in CPython; give it many chances
        first = tag("Zentrix owns derivatives.", find_party_roles(VENDOR_ZENTRIX))
        gc.collect()
        second = tag("Zentrix owns derivatives.", find_party_roles(CUSTOMER_ZENTRIX))
        assert first[0] == "provider" and second[0] == "customer"


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 0, 2), (1, 2, 0)])
def test_findings_do_not_depend_on_scan_order(order):
    texts = [VENDOR_ZENTRIX, CUSTOMER_ZENTRIX, THIRD]
    alone = [statuses(t) for t in texts]
    for i in order:
        gc.collect()
        assert statuses(texts[i]) == alone[i]


def test_opposite_parties_give_opposite_findings():
    a, b = statuses(VENDOR_ZENTRIX), statuses(CUSTOMER_ZENTRIX)
    assert a["derivatives.ownership"] == "conflict"
    assert b["derivatives.ownership"] == "present"
    assert a["input.no_training"] == "conflict"
    assert b["input.no_training"] == "present"


def test_whole_reports_do_not_depend_on_what_was_scanned_before():
    """Every process-wide cache (candidate rules, lemmas, hash strings, party tables, memoised value readers)
    must be exact: each full report, evidence offsets and values included, is the same whether the text is
    scanned first, last, or twice."""
    from tests.clauses.nlp.test_speed_equivalence import GLUED, TEXTS

    texts = [VENDOR_ZENTRIX, CUSTOMER_ZENTRIX, THIRD, GLUED, *(TEXTS[k] for k in sorted(TEXTS))]
    forward = [check_text(t, profile="hosted_service") for t in texts]
    backward = [check_text(t, profile="hosted_service") for t in reversed(texts)][::-1]
    assert backward == forward
    assert [check_text(t, profile="hosted_service") for t in texts] == forward
    assert sum(r["summary"]["present"] + r["summary"]["conflict"] for r in forward) >= 30


def test_reports_do_not_change_when_every_bounded_cache_is_cleared_at_every_use(monkeypatch):
    """A bounded process-wide cache is cleared when it is full, in the middle of some scan. The kind of bug:
    the sentencizer's token classification was cleared after it had computed which of the Doc's texts were
    new, so the texts it had already seen were lost for that Doc and its sentences merged. With every limit
    at 0 each cache is cleared at every use; every report must stay the same."""
    from clauses.nlp import check as check_mod
    from clauses.nlp.components import lemmas, roles, sentences, topics
    from clauses.nlp.pipeline import get_nlp
    from tests.clauses.nlp.test_speed_equivalence import GLUED, TEXTS

    texts = [VENDOR_ZENTRIX, CUSTOMER_ZENTRIX, THIRD, GLUED, *(TEXTS[k] for k in sorted(TEXTS))]
    normal = [check_text(t, profile="dpa") for t in texts]
    monkeypatch.setattr(sentences, "GAP_CACHE_MAX", 0)
    monkeypatch.setattr(topics, "CANDIDATE_CACHE_MAX", 0)
    monkeypatch.setattr(topics, "_STRINGS_MAX", 0)
    monkeypatch.setattr(lemmas, "LEMMA_CACHE_MAX", 0)
    monkeypatch.setattr(roles.PartyRoles, "MAX_TABLES", 0)
    monkeypatch.setattr(check_mod, "_MEMO_MAX_CHARS", 0)
    check_mod.party_roles.cache_clear()
    check_mod._read_memo.cache_clear()
    # start empty, so that each scan meets texts it has seen and texts it has not (the clear happens between)
    pipes = dict(get_nlp().pipeline)
    for cache in (sentences._GAP, sentences._NO_GAP, topics._STRINGS, pipes["legal_lemmatizer"].cache,
                  pipes["topic_matcher"]._cands, pipes["topic_matcher"]._cands_by_lower, pipes["party_roles"]._tables):
        cache.clear()
    assert [check_text(t, profile="dpa") for t in texts] == normal


def test_a_pipeline_whose_vocabulary_passed_the_limit_is_rebuilt_and_reports_stay_the_same(monkeypatch):
    """spaCy's vocabulary keeps every string it has seen; past MAX_VOCAB_STRINGS get_nlp() builds a fresh
    pipeline (the memory bound of a long-running process). The fresh pipeline reports exactly what the old
    one did."""
    from clauses.nlp import pipeline

    before = check_text(VENDOR_ZENTRIX, profile="hosted_service")
    nlp = pipeline.get_nlp()
    monkeypatch.setattr(pipeline, "MAX_VOCAB_STRINGS", len(nlp.vocab.strings) + 50)
    assert pipeline.get_nlp() is nlp  # under the limit: the same pipeline
    check_text(" ".join(f"Kq{i}zx" for i in range(200)))  # 200 new words
    fresh = pipeline.get_nlp()
    assert fresh is not nlp and len(fresh.vocab.strings) < len(nlp.vocab.strings)
    assert check_text(VENDOR_ZENTRIX, profile="hosted_service") == before
    assert pipeline.get_nlp() is fresh
