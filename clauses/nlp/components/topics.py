"""Topic matcher (`topic_matcher`): runs the rule files' token patterns over a Doc.

Each rule's first segment (the tokens before its first bounded wildcard) goes to spaCy's Matcher; the
remaining segments are then found within their gaps, inside the same sentence (see Rule.segments). Each
match becomes a raw hit `(rule_index, start, end)` in `doc._.topic_hits`, at most one per rule and
sentence (overlapping matches of one rule collapse to the first, spaCy #4627). Whether a hit counts and
with which polarity is decided by `clause_polarity`.
"""
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from clauses.nlp.components.sentences import sent_bounds_of
from clauses.nlp.rules import default_rules

if not Doc.has_extension("topic_hits"):
    Doc.set_extension("topic_hits", default=None)

_ATTR = {"LOWER": "lower_", "LEMMA": "lemma_", "ORTH": "text", "TEXT": "text", "IS_PUNCT": "is_punct",
         "IS_DIGIT": "is_digit", "LIKE_NUM": "like_num", "IS_SPACE": "is_space", "IS_TITLE": "is_title",
         "IS_UPPER": "is_upper", "IS_ALPHA": "is_alpha", "IS_STOP": "is_stop", "SHAPE": "shape_",
         "IS_SENT_START": "is_sent_start", "LENGTH": None}


def _compile_spec(spec: dict):
    """Return (optional, [(attribute, predicate)]) for one token spec."""
    checks = []
    for attr, val in spec.items():
        if attr == "OP":
            continue
        if isinstance(val, dict):
            if "IN" in val:
                allowed = frozenset(val["IN"])
                checks.append((attr, lambda v, a=allowed: v in a))
            elif "NOT_IN" in val:
                banned = frozenset(val["NOT_IN"])
                checks.append((attr, lambda v, b=banned: v not in b))
            else:
                raise ValueError(f"unsupported predicate {val!r}")
        else:
            checks.append((attr, lambda v, want=val: v == want))
    return spec.get("OP") == "?", checks


class TokenTable:
    """Per-Doc attribute lists (LOWER, LEMMA, ORTH strings) read with one `to_array` pass, so rules are
    checked without creating Token objects; other attributes fall back to the Token."""

    def __init__(self, doc):
        from spacy.attrs import LEMMA, LOWER, ORTH

        strings = doc.vocab.strings
        rows = doc.to_array([LOWER, LEMMA, ORTH]).tolist() if len(doc) else []
        self.doc = doc
        self.lists = {"LOWER": [strings[r[0]] for r in rows], "LEMMA": [strings[r[1]] for r in rows],
                      "ORTH": [strings[r[2]] for r in rows]}
        self.lists["TEXT"] = self.lists["ORTH"]

    def value(self, attr: str, i: int):
        lst = self.lists.get(attr)
        if lst is not None:
            return lst[i]
        tok = self.doc[i]
        return len(tok) if attr == "LENGTH" else getattr(tok, _ATTR[attr])


def _tok_ok(table, i, checks) -> bool:
    for attr, pred in checks:
        if not pred(table.value(attr, i)):
            return False
    return True


def _match_at(table, pos: int, limit: int, specs) -> int:
    """Return the end of `specs` matched starting at token `pos` (before `limit`), or -1."""
    if not specs:
        return pos
    optional, checks = specs[0]
    if pos < limit and _tok_ok(table, pos, checks):
        end = _match_at(table, pos + 1, limit, specs[1:])
        if end >= 0:
            return end
    if optional:
        return _match_at(table, pos, limit, specs[1:])
    return -1


@Language.factory("topic_matcher", requires=["token.lemma", "token.is_sent_start"], assigns=["doc._.topic_hits"])
def make_topic_matcher(nlp, name):
    """Build the matcher from the shipped, validated rule files."""
    return TopicMatcher(nlp.vocab, default_rules())


class TopicMatcher:
    """Add `doc._.topic_hits`: list of (rule_index, start_token, end_token).

    Every pattern is validated by spaCy's Matcher at build time. Matching itself starts from an index of
    each rule's first token (LOWER/LEMMA/ORTH hash -> rules) read with one `doc.to_array` pass, then
    checks the rest of the pattern token by token: spaCy's Matcher evaluates every `IN` predicate of
    every pattern on every token, which cost 30x bare tokenisation here (bench/scan_bench.py).
    """

    def __init__(self, vocab, rules):
        self.rules = rules
        validator = Matcher(vocab, validate=True)
        self.by_lower: dict[int, list[int]] = {}
        self.by_lemma: dict[int, list[int]] = {}
        self.always: list[int] = []
        self.compiled = []
        for i, rule in enumerate(rules):
            validator.add(rule.id, [list(rule.pattern)[:1]])
            segs = rule.segments()
            first = segs[0][1]
            self.compiled.append(([_compile_spec(sp) for sp in first],
                                  [(gap, [_compile_spec(sp) for sp in seg]) for gap, seg in segs[1:]]))
            spec = first[0]
            if spec.get("OP") == "?":
                self.always.append(i)
                continue
            for attr, table in (("LOWER", self.by_lower), ("LEMMA", self.by_lemma), ("ORTH", self.by_lower),
                                ("TEXT", self.by_lower)):
                if attr in spec:
                    val = spec[attr]
                    values = val.get("IN") if isinstance(val, dict) else [val]
                    if not values:
                        self.always.append(i)
                    for v in values or ():
                        key = vocab.strings.add(v.lower() if attr in ("ORTH", "TEXT") else v)
                        table.setdefault(key, []).append(i)
                    break
            else:
                self.always.append(i)

    def __call__(self, doc):
        from spacy.attrs import LEMMA, LOWER

        n = len(doc)
        hits = []
        if not n:
            doc._.topic_hits = hits
            return doc
        arr = doc.to_array([LOWER, LEMMA]).tolist()
        sent_bounds = sent_bounds_of(doc)
        table = TokenTable(doc)
        doc.user_data["token_table"] = table
        seen = set()
        by_lower, by_lemma, always = self.by_lower, self.by_lemma, self.always
        for i, (lo, le) in enumerate(arr):
            cands = by_lower.get(lo)
            c2 = by_lemma.get(le)
            if c2:
                cands = (cands + c2) if cands else c2
            if always:
                cands = (cands + always) if cands else always
            if not cands:
                continue
            sent_start, sent_end = sent_bounds[i]
            for idx in cands:
                if (idx, sent_start) in seen:
                    continue
                first, tails = self.compiled[idx]
                pos = _match_at(table, i, sent_end, first)
                if pos < 0:
                    continue
                for gap, specs in tails:
                    found = -1
                    for p in range(pos, min(pos + gap, sent_end) + 1):
                        found = _match_at(table, p, sent_end, specs)
                        if found >= 0:
                            break
                    if found < 0:
                        pos = -1
                        break
                    pos = found
                if pos < 0:
                    continue
                seen.add((idx, sent_start))
                hits.append((idx, i, pos))
        doc._.topic_hits = hits
        return doc
