"""Topic matcher (`topic_matcher`): runs the rule files' token patterns over a Doc.

Each rule's first segment (the tokens before its first bounded wildcard) goes to spaCy's Matcher; the
remaining segments are then found within their gaps, inside the same sentence (see Rule.segments). Each
match becomes a raw hit `(rule_index, start, end)` in `doc._.topic_hits`, at most one per rule and
sentence (overlapping matches of one rule collapse to the first, spaCy #4627). Whether a hit counts and
with which polarity is decided by `clause_polarity`.

Speed (bench/scan_bench.py): LOWER / LEMMA / ORTH constraints are compared as string hashes on plain int
lists (`token_columns`, read once per Doc and shared with the lemmatizer), never through Token objects;
the token strings that `clause_polarity` reads (`TokenTable.lists`) are built only when a Doc has a hit.
"""
from itertools import compress

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from clauses.nlp.components.ext import set_doc_ext
from clauses.nlp.rules import default_rules

if not Doc.has_extension("topic_hits"):
    Doc.set_extension("topic_hits", default=None)

_ATTR = {"LOWER": "lower_", "LEMMA": "lemma_", "ORTH": "text", "TEXT": "text", "IS_PUNCT": "is_punct",
         "IS_DIGIT": "is_digit", "LIKE_NUM": "like_num", "IS_SPACE": "is_space", "IS_TITLE": "is_title",
         "IS_UPPER": "is_upper", "IS_ALPHA": "is_alpha", "IS_STOP": "is_stop", "SHAPE": "shape_",
         "IS_SENT_START": "is_sent_start", "LENGTH": None, "ROLE": None}
# column of `token_columns` holding each hashed attribute
_COLUMN = {"LOWER": 0, "LEMMA": 1, "ORTH": 2, "TEXT": 2}
_EQ, _IN, _NOT_IN, _GENERIC = 0, 1, 2, 3
# boolean lexical attributes read as per-Doc columns (the same values as token.is_punct, token.like_num ...)
_FLAGS = frozenset({"IS_PUNCT", "IS_DIGIT", "LIKE_NUM", "IS_SPACE", "IS_TITLE", "IS_UPPER", "IS_ALPHA", "IS_STOP"})
_STRINGS: dict[int, str] = {}  # hash -> string, process-wide (the StringStore lookup costs more than a dict)
_STRINGS_MAX = 500_000
CANDIDATE_CACHE_MAX = 200_000  # entries of each TopicMatcher candidate cache


def token_columns(doc) -> tuple[list[int], list[int], list[int]]:
    """Return (LOWER, LEMMA, ORTH) hashes of `doc`'s tokens as int lists, read with one `to_array` pass
    and cached in `doc.user_data["token_columns"]` (the lemmatizer fills it when it sets the lemmas)."""
    cols = doc.user_data.get("token_columns")
    if cols is None or len(cols[0]) != len(doc):
        from spacy.attrs import LEMMA, LOWER, ORTH

        rows = doc.to_array([LOWER, LEMMA, ORTH]).T.tolist() if len(doc) else [[], [], []]
        cols = (rows[0], rows[1], rows[2])
        doc.user_data["token_columns"] = cols
    return cols


def hashes_to_strings(strings, hashes: list[int]) -> list[str]:
    """Return the strings of `hashes` (a list of StringStore keys), through a process-wide cache."""
    cache = _STRINGS
    out = list(map(cache.get, hashes))
    if None in out:
        if len(cache) > _STRINGS_MAX:
            cache.clear()
        for i, s in enumerate(out):
            if s is None:
                h = hashes[i]
                s = out[i] = cache[h] = strings[h]
    return out


def _compile_spec(spec: dict, strings=None):
    """Return (optional, [(kind, column or attribute, argument)]) for one token spec.

    With a StringStore, string constraints on LOWER/LEMMA/ORTH/TEXT compare hashes in a column of
    `token_columns`; everything else is a predicate on the attribute value read from the Token."""
    checks = []
    for attr, val in spec.items():
        if attr == "OP":
            continue
        col = _COLUMN.get(attr) if strings is not None else None
        if isinstance(val, dict):
            if "IN" in val:
                allowed = frozenset(val["IN"])
                if col is not None and all(isinstance(v, str) for v in allowed):
                    checks.append((_IN, col, frozenset(strings.add(v) for v in allowed)))
                else:
                    checks.append((_GENERIC, attr, lambda v, a=allowed: v in a))
            elif "NOT_IN" in val:
                banned = frozenset(val["NOT_IN"])
                if col is not None and all(isinstance(v, str) for v in banned):
                    checks.append((_NOT_IN, col, frozenset(strings.add(v) for v in banned)))
                else:
                    checks.append((_GENERIC, attr, lambda v, b=banned: v not in b))
            else:
                raise ValueError(f"unsupported predicate {val!r}")
        elif col is not None and isinstance(val, str):
            checks.append((_EQ, col, strings.add(val)))
        else:
            checks.append((_GENERIC, attr, lambda v, want=val: v == want))
    return spec.get("OP") == "?", checks


class TokenTable:
    """Per-Doc attribute lists (LOWER, LEMMA, ORTH strings, built on first use of `lists` from
    `token_columns`), so rules are checked without creating Token objects; other attributes fall back to
    the Token."""

    def __init__(self, doc):
        self.doc = doc
        self._lists = None
        self._flags: dict[str, list[bool]] = {}

    @property
    def lists(self) -> dict[str, list[str]]:
        """{"LOWER"|"LEMMA"|"ORTH"|"TEXT": list of token strings}."""
        if self._lists is None:
            strings = self.doc.vocab.strings
            low, lem, orth = token_columns(self.doc)
            texts = self.doc.user_data.get("orth_strings")  # the sentencizer's, when it ran
            if texts is None or len(texts) != len(orth):
                texts = hashes_to_strings(strings, orth)
            self._lists = {"LOWER": hashes_to_strings(strings, low), "LEMMA": hashes_to_strings(strings, lem),
                           "ORTH": texts, "TEXT": texts}
        return self._lists

    def value(self, attr: str, i: int):
        """Return attribute `attr` (a pattern key such as "LOWER", "IS_PUNCT", "LENGTH", "ROLE") of token `i`."""
        if attr in _FLAGS:  # lexical flags: one to_array per Doc and flag, no Token objects
            col = self._flags.get(attr)
            if col is None:
                col = self._flags[attr] = [bool(v) for v in self.doc.to_array(attr).tolist()]
            return col[i]
        if attr == "ROLE":  # the party role of the token ("customer" | "provider" | None), set by party_roles
            roles = self.doc.user_data.get("roles")
            return roles.get(i) if roles is not None else self.doc[i]._.role
        lst = self.lists.get(attr)
        if lst is not None:
            return lst[i]
        tok = self.doc[i]
        return len(tok) if attr == "LENGTH" else getattr(tok, _ATTR[attr])


def _tok_ok(cols, table, i, checks) -> bool:
    for kind, key, arg in checks:
        if kind == _EQ:
            if cols[key][i] != arg:
                return False
        elif kind == _IN:
            if cols[key][i] not in arg:
                return False
        elif kind == _NOT_IN:
            if cols[key][i] in arg:
                return False
        elif not arg(table.value(key, i)):
            return False
    return True


def _match_at(cols, table, pos: int, limit: int, specs, k: int = 0) -> int:
    """Return the end of `specs[k:]` matched starting at token `pos` (before `limit`), or -1. An optional
    spec first tries to take the token, then to skip it (the order spaCy's Matcher reports)."""
    n = len(specs)
    while k < n:
        optional, checks = specs[k]
        if optional:
            if pos < limit and _tok_ok(cols, table, pos, checks):
                end = _match_at(cols, table, pos + 1, limit, specs, k + 1)
                if end >= 0:
                    return end
        elif pos < limit and _tok_ok(cols, table, pos, checks):
            pos += 1
        else:
            return -1
        k += 1
    return pos


# Words frequent in any contract: a requirement made of them is met by most blocks, so it is checked last.
_COMMON = frozenset("""shall will may must not no any all the a an to of and or in on for by with be is are this that
    such its their your our we you party parties agreement provider customer data service services use used using
    term terms right rights content information include including other without only""".split())


def _commonness(strings, hashes: frozenset) -> tuple[int, int]:
    """Sort key of a requirement (a set of string hashes): (has a common word, number of values); smaller means
    likelier to be absent from a block."""
    return (any(strings[h].lower() in _COMMON for h in hashes), len(hashes))


def _head(spec) -> tuple[int, frozenset] | None:
    """(column, allowed hashes) that a compiled, required spec's token must have, or None."""
    optional, checks = spec
    if optional:
        return None
    for kind, col, arg in checks:
        if kind == _EQ:
            return col, frozenset((arg,))
        if kind == _IN:
            return col, arg
    return None


@Language.factory("topic_matcher", requires=["token.lemma", "token.is_sent_start"], assigns=["doc._.topic_hits"])
def make_topic_matcher(nlp, name):
    """Build the matcher from the shipped, validated rule files."""
    return TopicMatcher(nlp.vocab, default_rules())


class TopicMatcher:
    """Add `doc._.topic_hits`: list of (rule_index, start_token, end_token).

    Every pattern is validated by spaCy's Matcher at build time. Matching itself starts from an index of
    each rule's first token (LOWER/LEMMA/ORTH hash -> rules) over `token_columns`, then checks the rest
    of the pattern token by token: spaCy's Matcher evaluates every `IN` predicate of every pattern on
    every token, which cost 30x bare tokenisation here (bench/scan_bench.py).
    """

    def __init__(self, vocab, rules):
        self.rules = rules
        validator = Matcher(vocab, validate=True)
        strings = vocab.strings
        self.by_lower: dict[int, list[int]] = {}
        self.by_lemma: dict[int, list[int]] = {}
        self.always: list[int] = []
        self.compiled = []
        for i, rule in enumerate(rules):
            # ROLE (a token's party role from party_roles) is ours, not a spaCy attribute
            validator.add(rule.id, [[{k: v for k, v in rule.pattern[0].items() if k != "ROLE"}]])
            segs = rule.segments()
            first = segs[0][1]
            tails = []
            for gap, seg in segs[1:]:
                specs = [_compile_spec(sp, strings) for sp in seg]
                tails.append((gap, specs, _head(specs[0])))
            self.compiled.append(([_compile_spec(sp, strings) for sp in first], tails))
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
                        key = strings.add(v.lower() if attr in ("ORTH", "TEXT") else v)
                        table.setdefault(key, []).append(i)
                    break
            else:
                self.always.append(i)
        # rule -> [(column, hashes)]: a token of the sentence must have one of `hashes` in `column`, for
        # each required (non-optional) spec with an equality or IN constraint on LOWER/LEMMA/ORTH
        self.required: list[tuple[tuple[int, frozenset], ...]] = []
        for first, tails in self.compiled:
            req = []
            for optional, checks in first + [spec for _gap, seg, _h in tails for spec in seg]:
                if optional:
                    continue
                for kind, col, arg in checks:
                    if kind == _EQ:
                        req.append((col, frozenset((arg,))))
                    elif kind == _IN:
                        req.append((col, arg))
            # checked likeliest-absent first (no common word, fewest values): the order never changes the outcome
            self.required.append(tuple(sorted(dict.fromkeys(req), key=lambda r: _commonness(strings, r[1]))))
        # possible_rules gates each rule on its first (likeliest-absent) requirement: hash -> rules, per column;
        # rules with no requirement at all are always checked
        self._gate: list[dict[int, list[int]]] = [{}, {}, {}]
        self._ungated: list[int] = []
        for i, req in enumerate(self.required):
            if not req:
                self._ungated.append(i)
                continue
            col, hashes = req[0]
            for h in hashes:
                self._gate[col].setdefault(h, []).append(i)
        self._gate_keys = [frozenset(g) for g in self._gate]
        # (lower, lemma) hashes -> candidate rules in the order lower, lemma, always (duplicates kept out:
        # a rule is tried once per token; the outcome does not depend on which index found it)
        self._cands: dict[tuple[int, int], tuple[int, ...]] = {}
        # LOWER hash -> the same tuple, for Docs of our lemmatizer (its lemma is a function of the lower-case
        # form, the same in every Doc of the process: legal_lemmatizer keys its cache on LOWER)
        self._cands_by_lower: dict[int, tuple[int, ...]] = {}

    def _candidates(self, lo: int, le: int) -> tuple[int, ...]:
        key = (lo, le)
        cands = self._cands.get(key)
        if cands is None:
            merged = (self.by_lower.get(lo) or []) + (self.by_lemma.get(le) or []) + self.always
            cands = tuple(dict.fromkeys(merged))
            if len(self._cands) > CANDIDATE_CACHE_MAX:
                self._cands.clear()
            self._cands[key] = cands
        return cands

    def possible_rules(self, doc) -> set[int]:
        """Return the indices of the rules that can match somewhere in `doc` (lemmas must be set): the rules
        whose every required LOWER/LEMMA/ORTH value (`required`) is present in the Doc. Exact, not a
        heuristic: a match needs each required spec satisfied by a token of one sentence. Cached in `doc.user_data["possible_rules"]` for this matcher (`__call__` then tries only these rules)."""
        cols = token_columns(doc)
        cached = doc.user_data.get("possible_rules")  # (matcher, token count, rules): valid for this matcher only
        if cached is not None and cached[0] is self and cached[1] == len(cols[0]):
            return cached[2]
        lows, lemmas = set(cols[0]), set(cols[1])
        present = [lows, lemmas, None]  # sets of the Doc's LOWER / LEMMA / ORTH hashes (ORTH built when needed)
        # candidates: rules whose gate requirement (their first) a token meets, and rules without requirements
        rules = set(self._ungated) if cols[0] else set()
        for col in (0, 1, 2):
            gate = self._gate[col]
            if gate:
                have = present[col]
                if have is None:
                    have = present[col] = set(cols[col])
                for h in self._gate_keys[col].intersection(have):
                    rules.update(gate[h])
        possible = set()
        for idx in rules:
            for col, hashes in self.required[idx][1:]:
                have = present[col]
                if have is None:
                    have = present[col] = set(cols[col])
                if hashes.isdisjoint(have):
                    break
            else:
                possible.add(idx)
        doc.user_data["possible_rules"] = (self, len(cols[0]), possible)
        return possible

    def can_match(self, doc) -> bool:
        """Return False when no rule can match anywhere in `doc` (`possible_rules` is empty). Lets the caller
        skip sentence splitting, roles, matching and polarity for boilerplate blocks."""
        return bool(len(doc)) and bool(self.possible_rules(doc))

    def __call__(self, doc):
        n = len(doc)
        hits = []
        table = TokenTable(doc)
        doc.user_data["token_table"] = table
        if not n:
            set_doc_ext(doc, "topic_hits", hits)
            return doc
        cols = token_columns(doc)
        possible = self.possible_rules(doc)
        if not possible:
            set_doc_ext(doc, "topic_hits", hits)
            return doc
        if doc.user_data.get("lemma_of_lower"):
            # one map over the LOWER column; a form not seen before in the process is looked up once
            by_lower = self._cands_by_lower
            cand_lists = list(map(by_lower.get, cols[0]))
            if None in cand_lists:
                if len(by_lower) > CANDIDATE_CACHE_MAX:
                    by_lower.clear()
                for i in [i for i, c in enumerate(cand_lists) if c is None]:
                    cand_lists[i] = by_lower[cols[0][i]] = self._candidates(cols[0][i], cols[1][i])
        else:
            cand_lists = [self._candidates(lo, le) for lo, le in zip(cols[0], cols[1], strict=True)]
        bounds = doc.user_data.get("sent_bounds")
        if bounds is None:
            bounds = [(s.start, s.end) for s in doc.sents]
        compiled = self.compiled
        for sent_start, sent_end in bounds:
            seen = set()  # rules already hit in this sentence
            for i in compress(range(sent_start, sent_end), cand_lists[sent_start:sent_end]):
                for idx in cand_lists[i]:
                    if idx in seen or idx not in possible:
                        continue
                    first, tails = compiled[idx]
                    pos = _match_at(cols, table, i, sent_end, first)
                    if pos < 0:
                        continue
                    for gap, specs, head in tails:
                        found = -1
                        if head is None:
                            for p in range(pos, min(pos + gap, sent_end) + 1):
                                found = _match_at(cols, table, p, sent_end, specs)
                                if found >= 0:
                                    break
                        else:  # the segment's first token must be one of `head`: test it before the full match
                            column, allowed = cols[head[0]], head[1]
                            for p in range(pos, min(pos + gap, sent_end - 1) + 1):
                                if column[p] in allowed:
                                    found = _match_at(cols, table, p, sent_end, specs)
                                    if found >= 0:
                                        break
                        if found < 0:
                            pos = -1
                            break
                        pos = found
                    if pos < 0:
                        continue
                    seen.add(idx)
                    hits.append((idx, i, pos))
        set_doc_ext(doc, "topic_hits", hits)  # == doc._.topic_hits = hits (components/ext.py)
        return doc
