"""The fast paths of `party_roles` and `clause_polarity` equal straightforward reference paths.

- `reference_roles`: every token visited through Token objects, as PartyRoles did before it read hash
  columns; compared on the role map and on `token._.role` of every token.
- `reference_evidence`: `resolve` per hit over a full `view` of the Doc (all token strings built, the
  string `lemmas` set and `context_ok`), as ClausePolarity did before it tested hits on hashes first and
  filled token strings per sentence. The lazy View is run with a poisoned placeholder, so a read of a
  token string that was never filled fails instead of silently comparing unequal.
The texts are our own (plus bench/scan_bench.py's generator), written to reach lead-ins, passives,
possessives, double negation, definitions, recitals and context terms.
"""
import pytest

from bench.scan_bench import boilerplate_contract, synthetic_contract
from clauses.nlp.components import polarity as P
from clauses.nlp.components.roles import DEFAULT_ROLES, POSSESSIVE, PartyRoles, find_party_roles
from clauses.nlp.pipeline import get_nlp
from clauses.nlp.rules import default_rules
from clauses.nlp.structure import iter_blocks
from tests.clauses.nlp.helpers import run_pipes
from tests.clauses.nlp.test_speed_equivalence import TEXTS as SHARED_TEXTS

LISTS = """SUPPLY TERMS
These terms are agreed between Brightwell Tools Ltd ("Supplier") and Marrow Foods plc ("Marrow").

"Deliverables" means the tooling the Supplier builds for Marrow under an order.
WHEREAS, the Supplier makes industrial tooling and Marrow wishes to buy some of it.

1. Restrictions
Marrow shall not:
(a) resell the Deliverables to a competitor of the Supplier;
(b) copy or otherwise reproduce the tooling designs; or
(c) remove the Supplier's marks from any Deliverable.
The Supplier may not:
- subcontract the work without written consent of Marrow;
- use Marrow's recipes to train any model.
Marrow may, except for testing, use the Deliverables at any site.

2. Data
Marrow Data is used by the Supplier only to perform the order, and will not be sold by the Supplier.
Nothing in these terms prevents Marrow from disclosing information required by law.
Neither party shall assign this agreement, and each party will keep the other's secrets.
The Supplier's total liability is limited to the fees paid, but not limited to direct losses for fraud.
In no event will Marrow owe more than the price of the order; Marrow can terminate on notice.
The Supplier is prohibited from using personal data for marketing, unless Marrow agrees.
Under no circumstances may the Supplier retain Marrow Data after the term.
Marrow or the Supplier may end an order early. The Supplier agrees to indemnify Marrow against claims.
Use of the Prohibited Content Policy is required; the Supplier will not use Marrow Data to train models.
"""

TEXTS = dict(SHARED_TEXTS, lists=LISTS, dense=synthetic_contract(40_000, seed=11),
             boiler=boilerplate_contract(40_000))


class _Poison:
    """An unread token string: any use of it (compare, hash, len, a string method) raises."""

    def _fail(self, *args, **kwargs):
        raise AssertionError("read a token string the lazy View never filled")

    __eq__ = __ne__ = __hash__ = __len__ = __bool__ = __contains__ = _fail

    def __getattr__(self, name):
        self._fail()


def reference_roles(doc, roles: dict) -> dict[int, str]:
    """{token index: role} of PartyRoles, one Token at a time."""
    table = {doc.vocab.strings.add(k): (k, v) for k, v in roles.items()}
    table.update({doc.vocab.strings.add(k): (k, v) for k, v in POSSESSIVE.items()})
    found = {}
    for tok in doc:
        hit = table.get(tok.lower)
        if hit is None:
            continue
        low, role = hit
        if low not in DEFAULT_ROLES and low not in POSSESSIVE and not tok.text[:1].isupper():
            continue
        if low in PartyRoles._CAPITALISED_ONLY and not tok.text[:1].isupper():
            continue
        found[tok.i] = role
    return found


def reference_evidence(doc, rules) -> list[dict]:
    """`resolve` per hit of `doc`, over a full View (the component before its fast path)."""
    v = P.view(doc)
    out = []
    for ridx, start, end in doc._.topic_hits:
        s = next(s for s in doc.sents if s.start <= start < s.end)
        sent = P.Sent(s.start, s.end, s.start_char, s.end_char)
        lemmas = set(v.lem[s.start:s.end]) | set(v.low[s.start:s.end])
        ev = P.resolve(rules[ridx], doc, sent, start, end, lemmas, s.text.lower())
        if ev is not None:
            out.append(ev)
    return out


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_party_roles_equal_visiting_every_token(name):
    text = TEXTS[name]
    roles = find_party_roles(text)
    for start, end in iter_blocks(text):
        doc = run_pipes(text[start:end], roles)
        want = reference_roles(doc, roles)
        assert doc.user_data["roles"] == want
        assert list(doc.user_data["roles"]) == sorted(want)
        assert {t.i: t._.role for t in doc if t._.role is not None} == want


def test_party_roles_reread_a_map_changed_in_place():
    """The component remembers the last map it saw; a map edited in place between Docs is read afresh."""
    roles = dict(DEFAULT_ROLES)
    text = "Acme shall deliver the goods to you."
    assert 0 not in run_pipes(text, roles).user_data["roles"]
    roles["acme"] = "provider"
    assert run_pipes(text, roles).user_data["roles"][0] == "provider"
    assert run_pipes(text, dict(DEFAULT_ROLES)).user_data["roles"].get(0) is None


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_clause_polarity_equals_resolve_per_hit(name, monkeypatch):
    monkeypatch.setattr(P.View, "UNREAD", _Poison())
    text = TEXTS[name]
    roles = find_party_roles(text)
    rules = default_rules()
    kept = 0
    for start, end in iter_blocks(text):
        doc = run_pipes(text[start:end], roles)
        fast = doc._.topic_evidence
        doc.user_data.pop("_view", None)
        assert fast == reference_evidence(doc, rules), text[start:end][:80]
        kept += len(fast)
    if name not in ("boilerplate", "boiler"):
        assert kept


def test_the_texts_reach_the_slow_branches():
    """The comparison above means something only if the texts take the negation, subject, modality and
    list lead-in branches, both ways."""
    evs, leadins = [], 0
    for name in ("all", "lists", "dense"):
        text = TEXTS[name]
        roles = find_party_roles(text)
        for start, end in iter_blocks(text):
            doc = run_pipes(text[start:end], roles)
            evs += doc._.topic_evidence
            for ev in doc._.topic_evidence:
                a, b = next((a, b) for a, b in doc.user_data["sent_bounds"]
                            if doc.user_data["idx"][a] == ev["sent_start"])
                leadins += P.list_leadin(doc, P.Sent(a, b, 0, 0)) is not None
    assert {e["negated"] for e in evs} == {True, False}
    assert {e["subject"] for e in evs} == {"customer", "provider", None}
    assert {e["modality"] for e in evs} == {"permission", "obligation", None}
    assert leadins


def test_no_hit_leaves_empty_evidence():
    doc = get_nlp()("The steering group meets on Mondays.")
    assert doc._.topic_evidence == []
