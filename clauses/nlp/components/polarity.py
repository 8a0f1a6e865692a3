"""Negation, modality, exception and role handling (`clause_polarity`).

Turns raw matcher hits into evidence with a final polarity:
- the clause's subject is the nearest party mention before the match in its sentence (possessives,
  "Customer Data"-style compounds, objects of prepositions ("consent of the Licensor") and passives
  without a "by <party>" agent give no subject);
- a match is negated by a cue in its clause before it ("shall not", "will not", "may not", "never",
  "no ... shall", "cannot", "prohibited from") or right after it ("is prohibited", "not permitted");
  "not limited to", "no later than", "not only" are not negations; "nothing ... prevents/restricts/
  prohibits" is a double negation; "neither party shall", "in no event", "under no circumstances" negate;
- a list item ("(b) distribute the Model", "- resell outputs") under a lead-in ending in ":" in an earlier
  line or paragraph of the same block is negated when the lead-in prohibits ("Customer shall not:", "Do
  not:", "You are not permitted to:"; see `list_leadin`; structure.iter_blocks keeps a lead-in and its
  items in one block);
- a clause boundary (";", "except", "unless", "provided that", "but", "however") stops the search;
- the rule's own `negation`, `subject` and `subject_polarity` then decide (see clauses/nlp/rules.py).

Speed (`ClausePolarity`, the per-Doc path; the public functions below read the same rules through a full
`view`): most matcher hits fail a cheap sentence-level test, so those run first and on hashes -- the
"your own" test, definition and recital sentences (one regex match per sentence), and the rule's context
terms (the sentence's LEMMA / LOWER hashes against each rule's term hashes, compiled once; party roles of
the sentence through the sorted role marks). Only a surviving hit's sentence gets token strings: a lazy
`View` fills the lower-case strings of that sentence, not of the whole Doc; lemmas are only ever tested
for membership in word sets, so they stay hashes, and the token text is looked up for the few tokens
where case matters. The clause start is computed once per hit (negation, subject and modality share
it), the list lead-in once per sentence (`_SentenceContext`), and set tests on list slices tell a clause
with no cue word without a Python loop. No Token or Span objects are created.
"""
import re
from bisect import bisect_left, bisect_right
from collections import namedtuple

from spacy.attrs import IDX
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc

from clauses.nlp.components.ext import get_doc_ext, set_doc_ext
from clauses.nlp.components.sentences import is_list_label
from clauses.nlp.components.topics import hashes_to_strings, token_columns
from clauses.nlp.rules import default_rules

if not Doc.has_extension("topic_evidence"):
    Doc.set_extension("topic_evidence", default=None)

NEG_CUES = frozenset({"not", "n't", "never", "no", "neither", "nor", "cannot", "nothing", "none"})
NEG_LEMMAS = frozenset({"prohibit", "forbid", "refrain"})
DOUBLE_NEG = frozenset({"prevent", "restrict", "limit", "prohibit", "preclude", "impair"})
NOT_NEG_NEXT = frozenset({"-", "limited", "later", "less", "more", "fewer", "only", "exceeding", "withstanding",
                          "earlier", "greater", "sooner", "longer", "applicable", "exclusive"})
BOUNDARIES = frozenset({";", "except", "unless", "provided", "but", "however", "whereas", "although",
                        "otherwise", "if", "where", "when"})
BE_FORMS = frozenset({"be", "is", "are", "was", "were", "been", "being"})
# the lemma sets as StringStore hashes (lemmas are compared on the LEMMA hash column)
_NEG_LEMMAS_H = frozenset(map(get_string_id, NEG_LEMMAS))
_DOUBLE_NEG_H = frozenset(map(get_string_id, DOUBLE_NEG))
_PROHIBIT_H = frozenset(map(get_string_id, ("prohibit", "forbid")))
COMPOUND_HEADS = frozenset({"data", "content", "contents", "materials", "material", "information", "input",
                            "inputs", "output", "outputs", "personal", "confidential", "account", "accounts",
                            "applications", "application", "property", "products", "product", "services",
                            "service", "policies", "policy", "model", "models", "offerings", "platform",
                            "technology", "tools", "code", "software", "marks", "trademarks", "'s", "’s",
                            "indemnified", "affiliates", "end", "users", "user", "representatives"})
PREPOSITIONS = frozenset({"by", "of", "to", "from", "with", "between", "and", "for", "against", "on", "upon",
                          "than", "under", "via", "about", "toward", "towards"})
LEADIN_WINDOW = 20
LEADIN_CUES = frozenset({"not", "n't", "never", "cannot"})  # in the words before a prohibition list's opener
POSSESSIVE_DETS = frozenset({"your", "its", "their", "our", "his", "her", "my", "the"})
MODALS = {"may": "permission", "can": "permission", "might": "permission", "shall": "obligation",
          "must": "obligation", "will": "obligation", "agrees": "obligation", "agree": "obligation"}
FLIP = {"favourable": "unfavourable", "unfavourable": "favourable"}
# a sentence as the resolver needs it: token bounds [start, end) and char bounds [start_char, end_char)
Sent = namedtuple("Sent", "start end start_char end_char")


class View:
    """Lower-case forms, lemmas, texts and party roles of a Doc's tokens as plain lists (no Token objects).

    `low` (lower-case strings) and `lem_h` (LEMMA hashes) have one entry per token; `orth(i)` is the text
    of token i; `role` is {token index: role}. The rules compare lemmas as hashes (they only test
    membership in word sets) and read punctuation and spaces from `low` (lower-casing changes letters
    only, so `low[i] == ":"` exactly when the text is ":"); the text itself is read only where case
    matters (list labels, Title-Case names).

    A full View (the default) also keeps `lem` and `text` string lists. A lazy View (`lazy=True`) starts
    `low` as a list of `UNREAD` and fills a sentence's entries (and the tokens either side) when `fill` is
    called: the resolver reads only the sentences of hits that pass the cheap tests."""

    UNREAD = None  # an entry no `fill` has reached (tests swap in a value that fails loudly when read)

    def __init__(self, doc, lazy: bool = False):
        low_h, self.lem_h, self._orth_h = token_columns(doc)
        self._strings = doc.vocab.strings
        self._filled: set | None = None
        if lazy:
            self._low_h = low_h
            self.low = [self.UNREAD] * len(low_h)
            self.lem = self.text = None
            self._filled = set()
        else:
            table = doc.user_data.get("token_table")
            if table is not None:
                self.low, self.lem, self.text = table.lists["LOWER"], table.lists["LEMMA"], table.lists["ORTH"]
            else:
                self.low = [t.lower_ for t in doc]
                self.lem = [t.lemma_ for t in doc]
                self.text = [t.text for t in doc]
        roles = doc.user_data.get("roles")
        if roles is None:
            roles = {t.i: t._.role for t in doc if t._.role}
        self.role = roles
        self._role_keys: list[int] | None = None

    def orth(self, i: int) -> str:
        """Return the text of token `i`."""
        return self.text[i] if self.text is not None else self._strings[self._orth_h[i]]

    def fill(self, start: int, end: int) -> None:
        """Make `low` of the sentence [start, end) and of the tokens either side of it readable (the rules
        peek at the token after a match and before a "not"); a no-op for a full View or a sentence
        already filled."""
        if self._filled is None or start in self._filled:
            return
        self._filled.add(start)
        end = min(end + 1, len(self.low))
        start = max(start - 1, 0)
        self.low[start:end] = hashes_to_strings(self._strings, self._low_h[start:end])

    def roles_in(self, start: int, end: int) -> set:
        """Return the set of party roles of the tokens [start, end)."""
        keys = self._role_keys
        if keys is None:
            keys = self._role_keys = sorted(self.role)
        role = self.role
        return {role[k] for k in keys[bisect_left(keys, start):bisect_left(keys, end)]}


def view(doc) -> View:
    """Return the cached View of `doc`."""
    v = doc.user_data.get("_view")
    if v is None or len(v.low) != len(doc):
        v = View(doc)
        doc.user_data["_view"] = v
    return v


# a coordinated predicate with a modal of its own ("..., and shall cooperate") starts a new clause
COORD = frozenset({"and", "or"})
CLAUSE_MODALS = frozenset({"shall", "will", "must", "may", "can", "should", "agrees", "agree"})
# "otherwise" after these words is an adverb of the same clause, not "..., otherwise X may ..."
OTHERWISE_INSIDE = frozenset({"not", "n't", "never", "cannot", "or", "and", "nor", "shall", "will", "may", "must",
                              "to"})


def clause_start(doc, sent, start: int) -> int:
    """Return the first token index of the clause holding token `start` (after the last boundary): a
    BOUNDARIES word, or "and"/"or" followed by a modal ("shall not hide records, and shall cooperate")."""
    return _clause_start(view(doc), sent.start, start)


def _clause_start(v: View, lo: int, start: int) -> int:
    """`clause_start` over a View, for the sentence starting at token `lo`."""
    if BOUNDARIES.isdisjoint(v.low[lo:start]) and COORD.isdisjoint(v.low[lo:start - 1]):
        return lo  # no boundary word before the match (the usual case), found without a Python loop
    i = start - 1
    while i >= lo:
        low = v.low[i]
        if low in BOUNDARIES or (low in COORD and i + 1 < start and v.low[i + 1] in CLAUSE_MODALS):
            if low == "otherwise" and i > lo and v.low[i - 1] in OTHERWISE_INSIDE:
                i -= 1  # "may not otherwise modify", "copy or otherwise distribute": same clause
                continue
            return i + 1
        i -= 1
    return lo


BULLETS = frozenset({"-", "•", "*", "–", "—", "▪", "◦", "·", "‣"})
LEADIN_NEG = frozenset({"not", "n't", "never", "cannot", "neither", "nor"})
MAX_LIST_ITEMS = 40


def _first_word(v: View, a: int, b: int) -> int:
    while a < b and v.low[a].isspace():
        a += 1
    return a


def _is_item(v: View, a: int, b: int) -> bool:
    """Return True when the sentence [a, b) opens with a list label ("(a)", "b)", "1.", "ii"), a bullet, or
    a lower-case word (a sentence never does, an item whose Word numbering was lost does)."""
    i = _first_word(v, a, b)
    if i >= b:
        return False
    t = v.orth(i)
    if t in BULLETS or (t[:1].isalpha() and t[:1].islower()):  # lower case: a label lost on extraction
        return True
    if t == "(" and i + 2 < b and v.low[i + 2] == ")":
        return is_list_label(f"({v.orth(i + 1)})")
    return i + 1 < b and v.low[i + 1] in (")", ".") and (is_list_label(t) or is_list_label(t + ")"))


def _sentence_table(doc) -> tuple[list[tuple[int, int]], list[int]]:
    """Return (sentence bounds, sentence starts) of `doc`, the starts cached in `doc.user_data`."""
    starts = doc.user_data.get("_sent_starts")
    bounds = doc.user_data.get("sent_bounds")
    if bounds is None:
        bounds = [(s.start, s.end) for s in doc.sents]
    if starts is None or len(starts) != len(bounds):
        starts = [a for a, _b in bounds]
        doc.user_data["_sent_starts"] = starts
    return bounds, starts


def list_leadin(doc, sent) -> tuple[int, int] | None:
    """Return the token span of the lead-in ("Customer shall not:", "Do not:") whose list holds `sent`, or
    None when `sent` is not a list item or its list has no lead-in in this Doc. Walks back over the
    items before it (at most MAX_LIST_ITEMS) to the first sentence ending in ":"."""
    return _list_leadin(view(doc), sent, *_sentence_table(doc))


def _list_leadin(v: View, sent, bounds: list, starts: list) -> tuple[int, int] | None:
    """`list_leadin` over a View, given the Doc's sentence bounds and starts (fills what it reads)."""
    v.fill(sent.start, sent.end)
    if not _is_item(v, sent.start, sent.end):
        return None
    k = bisect_right(starts, sent.start) - 1
    for j in range(k - 1, max(-1, k - 1 - MAX_LIST_ITEMS), -1):
        a, b = bounds[j]
        v.fill(a, b)
        last = b - 1
        while last > a and v.low[last].isspace():
            last -= 1
        if v.low[last] == ":":
            return a, last
        if not _is_item(v, a, b):
            return None
    return None


def leadin_negated(doc, lead: tuple[int, int]) -> bool:
    """Return True when the lead-in [a, b) prohibits: "shall not:", "may not:", "Do not:", "are not
    permitted to:", "is prohibited from:" ("including, but not limited to:" does not)."""
    return _leadin_negated(view(doc), lead)


def _leadin_negated(v: View, lead: tuple[int, int]) -> bool:
    """`leadin_negated` over a View (the lead-in's sentence must be filled)."""
    a, b = lead
    for i in range(a, b):
        low = v.low[i]
        if low in LEADIN_NEG:
            nxt = v.low[i + 1] if i + 1 < len(v.low) else ""
            if nxt not in NOT_NEG_NEXT:
                return True
        elif v.lem_h[i] in _NEG_LEMMAS_H:
            return True
    return False


_UNSET = object()


class _SentenceContext:
    """One sentence of a Doc as the resolver reads it, with its list lead-in (and whether the lead-in
    prohibits) worked out at most once however many hits the sentence holds."""

    __slots__ = ("v", "sent", "bounds", "starts", "_lead", "_lead_neg")

    def __init__(self, v: View, sent, bounds: list, starts: list):
        self.v, self.sent, self.bounds, self.starts = v, sent, bounds, starts
        self._lead = self._lead_neg = _UNSET

    def leadin(self) -> tuple[int, int] | None:
        """`list_leadin` of the sentence."""
        if self._lead is _UNSET:
            self._lead = _list_leadin(self.v, self.sent, self.bounds, self.starts)
        return self._lead

    def leadin_negated(self) -> bool:
        """True when the sentence is a list item under a prohibiting lead-in."""
        if self._lead_neg is _UNSET:
            lead = self.leadin()
            self._lead_neg = lead is not None and _leadin_negated(self.v, lead)
        return self._lead_neg


class _HitSentence(_SentenceContext):
    """A sentence holding matcher hits, with what `resolve` tests before any token string is read: its
    lower-case text, whether it is a definition or a recital, the LEMMA and LOWER hashes of its tokens (the
    `lemmas` of `context_ok`, hashed) and, when a rule asks, its party roles."""

    __slots__ = ("low_text", "definition", "recital", "hashes", "_roles")

    def __init__(self, v: View, sent, bounds: list, starts: list, low_text: str, low_h: list, lem_h: list):
        self.v, self.sent, self.bounds, self.starts = v, sent, bounds, starts
        self._lead = self._lead_neg = _UNSET
        self.low_text = low_text
        self.definition = DEFINITION.match(low_text.lstrip("-•* ")) is not None
        self.recital = RECITAL.match(low_text) is not None
        self.hashes = set(lem_h[sent.start:sent.end])
        self.hashes.update(low_h[sent.start:sent.end])
        self._roles = None

    def roles(self) -> set:
        """The party roles of the sentence's tokens."""
        if self._roles is None:
            self._roles = self.v.roles_in(self.sent.start, self.sent.end)
        return self._roles


def _context(doc, v: View, sent) -> _SentenceContext:
    """Return a fresh `_SentenceContext` for `sent` (a Span or a `Sent`) of `doc`."""
    return _SentenceContext(v, sent, *_sentence_table(doc))


def in_title_name(v: View, i: int) -> bool:
    """Return True when token `i` is a Title-Case word followed by another Title-Case word, i.e. part of a
    name ("the Prohibited Use Policy", "Forbidden Content Guidelines"), not the verb ("is prohibited")."""
    t = v.orth(i)
    nxt = v.orth(i + 1) if i + 1 < len(v.low) else ""
    return t.istitle() and nxt.isalpha() and nxt.istitle()


def _fronted_exception(v: View, sent, b: int, start: int) -> bool:
    """Return True when the boundary word at `b` ("except", "unless") opens a list item or a clause after
    ";" / ":" and a comma closes it before the match: "(e) except for testing, use Output ..." -- the item's
    own act (and the lead-in's negation over it) follows the comma."""
    if v.low[b] not in ("except", "unless", "save"):
        return False
    k = b - 1
    while k >= sent.start and _label_like(v.orth(k)):
        k -= 1
    if k >= sent.start and v.low[k] not in (";", ":"):
        return False
    return "," in v.low[b + 1:start]


def _label_like(t: str) -> bool:
    """Return True for a token that can precede an item's first word: a space, a bullet, a bracket or a
    list label ("b", "iv", "2.1")."""
    return t.isspace() or t in BULLETS or t in ("(", ")", ".") or (len(t) <= 4 and is_list_label(t + ")"))


def is_negated(doc, sent, start: int, end: int) -> bool:
    """Return True when the match [start, end) is negated within its clause (rules in the module doc)."""
    v = view(doc)
    return _is_negated(v, _context(doc, v, sent), sent, start, end, _clause_start(v, sent.start, start))


def _is_negated(v: View, ctx: _SentenceContext, sent, start: int, end: int, bstart: int) -> bool:
    """`is_negated` over a View; `bstart` is `clause_start` of the match."""
    lows, lem_h, lo = v.low, v.lem_h, sent.start
    n = len(lows)
    cstart = max(bstart, start - 16)
    neg = False
    cancelled = -1  # the "prohibit" of "nothing ... prohibits" was used up by the double negation
    # cues before the match and inside it ("may not terminate" matched by "may ... terminate"); most
    # clauses hold none, which the two set tests tell without a Python loop
    cues = not (NEG_CUES.isdisjoint(lows[cstart:end]) and _NEG_LEMMAS_H.isdisjoint(lem_h[cstart:end]))
    for i in range(cstart, end if cues else cstart):
        low = lows[i]
        if low in NEG_CUES:
            nxt = lows[i + 1] if i + 1 < n else ""
            if nxt in NOT_NEG_NEXT or (low == "not" and i > 0 and lows[i - 1] in ("or", "whether")):
                continue
            neg = not neg if neg and low in ("nothing", "no") else True
            if low in ("nothing", "no", "none"):
                cancelled = next((j for j in range(i + 1, start) if lem_h[j] in _DOUBLE_NEG_H), -1)
                if cancelled >= 0:
                    neg = False
        elif lem_h[i] in _NEG_LEMMAS_H and i != cancelled and not in_title_name(v, i):
            neg = True
    after_exception = (bstart > lo and lows[bstart - 1] not in (";", ":", "and", "or")
                       and not _fronted_exception(v, sent, bstart - 1, start))
    if not neg and cstart > lo and not after_exception and _has_opener_mark(lows[lo:start]):
        # a prohibition list: "Customer will not (and will not allow anyone to): (i) ...; (ii) distribute ..."
        # or "The licensee must not, nor let its users, (a) copy ...; (b) ...; (c) distribute ..."
        opener = next((j for j in range(start - 1, lo - 1, -1)
                       if lows[j] == ":" or (lows[j] == "(" and j + 2 < n and lows[j + 2] == ")"
                                             and lows[j + 1] in ("a", "i", "1"))), None)
        if opener is not None and not LEADIN_CUES.isdisjoint(lows[max(lo, opener - LEADIN_WINDOW):opener]):
            neg = True
    if not neg and not after_exception:
        # a list item under a lead-in in an earlier line or paragraph: "You may not:" / "(b) distribute ..."
        if ctx.leadin_negated():
            neg = True
    after = lows[end:min(end + 6, sent.end)]
    if not neg and ("not" in after or not _PROHIBIT_H.isdisjoint(lem_h[end:end + len(after)])):
        # "is prohibited", "not permitted" right after the match (only these two set `neg` below)
        for j, low in enumerate(after):
            if low in (";", ",", "except", "unless", "and", "if"):
                break
            if (lem_h[end + j] in _PROHIBIT_H and not in_title_name(v, end + j)) or (low == "not" and j + 1 < len(after)
                                                               and after[j + 1] in ("permitted", "allowed", "authorized", "authorised")):
                neg = True
                break
    return neg


def _has_opener_mark(lows: list[str]) -> bool:
    """Return True when the tokens hold ":" or "(", which a prohibition list's opener needs."""
    return ":" in lows or "(" in lows


def subject_role(doc, sent, start: int, end: int) -> str | None:
    """Return "customer"/"provider" for the clause subject of the match, or None when unknown."""
    v = view(doc)
    return _subject_role(v, _context(doc, v, sent), sent, start, end, _clause_start(v, sent.start, start))


def _subject_role(v: View, ctx: _SentenceContext, sent, start: int, end: int, cstart: int) -> str | None:
    """`subject_role` over a View; `cstart` is `clause_start` of the match."""
    lows, roles, lo, hi = v.low, v.role, sent.start, sent.end
    # passive: "is used by us", "will not be used" -> the agent after "by", else unknown
    j = start - 1
    while j >= lo and lows[j] in ("not", "solely", "only", "also", "be", "ever", "n't"):
        if lows[j] == "be":
            break
        j -= 1
    if j >= lo and lows[j] in BE_FORMS and lows[start].endswith(("ed", "en", "wn", "ld", "de")):
        for k in range(end, min(end + 8, hi)):
            if lows[k] == "by" and k + 1 < hi:
                for m in range(k + 1, min(k + 4, hi)):
                    if roles.get(m) and lows[m] not in ("your", "our"):
                        return roles[m]
        return None
    owner = _possessor(v, lo, start)
    if owner is not None:
        return owner
    stop = max(lo, start - 25)
    if not MUTUAL.isdisjoint(lows[max(cstart, start - 12):start]):
        return None  # "Either party may terminate", "Each party will": mutual, no one side
    role = _nearest_subject(v, lo, start - 1, stop)
    if role is None and not any(map(roles.get, range(stop, start))):
        # a list item with no party of its own takes the lead-in's: "The Provider shall not:" / "(a) use ..."
        lead = ctx.leadin()
        if lead is not None and MUTUAL.isdisjoint(lows[lead[0]:lead[1]]):
            role = _nearest_subject(v, lead[0], lead[1] - 1, max(lead[0], lead[1] - 25))
    return role


MUTUAL = frozenset({"either", "each", "neither", "both"})
POSS_MARKS = frozenset({"'s", "’s", "'", "’"})
POSS_STOP = (frozenset(MODALS) | NEG_CUES | BE_FORMS | PREPOSITIONS
             | frozenset({"to", "that", "which", "who", "and", "or", "own", "hereby"}))


def _possessor(v: View, lo: int, start: int) -> str | None:
    """Return the role of a party owning the matched noun phrase: "Orvane's total liability", "the
    Provider's aggregate liability", "our entire liability" (at most 3 modifier words between), else None.
    A possessive after a preposition ("subject to Meta's ownership") names no actor of the clause. `lo` is
    the first token of the sentence."""
    lows, roles = v.low, v.role
    k = start - 1
    n = 0
    while k > lo and n < 3 and lows[k].isalpha() and lows[k] not in POSS_STOP:
        k -= 1
        n += 1
    if k < lo:
        return None
    if lows[k] in ("your", "our") and roles.get(k):
        owner = k
    elif k > lo and lows[k] in POSS_MARKS and roles.get(k - 1) and lows[k - 1] not in ("your", "our"):
        owner = k - 1
    else:
        return None
    p = _skip_det(v, lo, owner - 1)
    if p >= lo and lows[p] in PREPOSITIONS:
        return None  # "Subject to Meta's ownership of ...", "the consent of the Provider's counsel": not the actor
    return v.role[owner]


DETERMINERS = frozenset({"the", "a", "an", "such", "that", "each", "any"})


def _skip_det(v: View, lo: int, i: int) -> int:
    """Return the index at or before `i` (not below `lo` - 1) that is not a determiner."""
    lows = v.low
    while i >= lo and lows[i] in DETERMINERS:
        i -= 1
    return i


VERB_LEADERS = frozenset({"shall", "will", "must", "may", "can", "should", "would", "not", "n't", "to"})
NOT_VERBS = frozenset({"be", "is", "are", "was", "were", "been", "being", "have", "has", "that", "which", "who",
                       "and", "or", "nor", "not", "n't", "hereby", "also", "then"})


def _verb_object(v: View, lo: int, p: int) -> bool:
    """Return True when token `p` (just before a party mention, determiners skipped) is a verb after a modal,
    "not" or "to" ("shall give [the] Customer", "will promptly notify Orvane", "to serve Customer"): the
    party is then that verb's object, not the clause subject."""
    if p <= lo or not v.low[p].isalpha() or v.low[p] in NOT_VERBS or v.low[p] in MODALS or v.low[p] in VERB_LEADERS:
        return False
    q = p - 1
    if q > lo and v.low[q].endswith("ly") and v.low[q] not in ("only",):  # "will promptly notify"
        q -= 1
    return q >= lo and v.low[q] in VERB_LEADERS


def _nearest_subject(v: View, sent_start: int, i: int, stop: int) -> str | None:
    """Return the role of the nearest party mention at or before token `i` (down to `stop`) that can be a
    subject: not a possessive, not a compound head ("Customer Data"), not an object of a preposition."""
    lows, roles = v.low, v.role
    while i >= stop:
        role = roles.get(i)
        if role and lows[i] not in ("your", "our"):
            nxt = lows[i + 1] if i + 1 < len(lows) else None
            p = _skip_det(v, sent_start, i - 1)
            prv = lows[p] if p >= sent_start else ""  # "consent of the Licensor": still an object
            if prv in ("or", "and"):
                k = _skip_det(v, sent_start, p - 1)
                other = roles.get(k) if k >= sent_start else None
                if other and other != role and lows[k] not in ("your", "our"):
                    before = _skip_det(v, sent_start, k - 1)
                    if before < sent_start or lows[before] not in PREPOSITIONS:
                        return None  # "The Customer or the Provider may ...": both sides, no one subject
            # "owned by Meta", "between you and Meta", "to Customer": objects of prepositions are not subjects;
            # "shall give Customer notice", "only to serve Customer": objects of a verb are not either
            if (nxt is None or nxt not in COMPOUND_HEADS) and prv not in PREPOSITIONS and not _verb_object(v, sent_start, p):
                return role
        if lows[i] == ";":
            break
        i -= 1
    return None


def modality(doc, sent, start: int) -> str | None:
    """Return "permission" / "obligation" for the nearest modal before the match in its clause, or None."""
    v = view(doc)
    return _modality(v, start, _clause_start(v, sent.start, start))


def _modality(v: View, start: int, cstart: int) -> str | None:
    """`modality` over a View; `cstart` is `clause_start` of the match."""
    for i in range(start - 1, max(cstart, start - 6) - 1, -1):
        m = MODALS.get(v.low[i])
        if m:
            return m
    return None


def _context_terms(terms) -> tuple[frozenset, tuple, frozenset]:
    """Split context terms into (lemma words, substrings of the lower-cased sentence, party roles), the three
    ways `context_ok` reads a term; cached per term list."""
    key = tuple(terms)
    got = _CONTEXT_TERMS.get(key)
    if got is None:
        words, subs, roles = set(), [], set()
        for term in key:
            if term[:1] == "@":
                roles.add(term[1:])
            elif term.endswith("*"):
                subs.append(term[:-1])
            elif " " in term or not term.isalnum():
                subs.append(term)
            else:
                words.add(term)
        got = _CONTEXT_TERMS[key] = (frozenset(words), tuple(subs), frozenset(roles))
    return got


_CONTEXT_TERMS: dict[tuple, tuple] = {}


def context_ok(rule, sent, lemmas: set, low_text: str, doc=None) -> bool:
    """Apply the rule's context_any / context_also / context_none to the sentence ("@customer" and
    "@provider" stand for any mention of that party, e.g. a customer called "Orvane" or "your").

    A term is "@role" (a token of the sentence has that party role), "word*" (the sentence's lower-case text
    contains "word"), a phrase or a term with punctuation (contained in that text), else a lemma or
    lower-case form of a token (`lemmas`). `sent` is a Span or a `Sent` (then `doc` must be given)."""
    def has_any(terms) -> bool:
        words, subs, roles = _context_terms(terms)
        if not words.isdisjoint(lemmas):
            return True
        for sub in subs:
            if sub in low_text:
                return True
        if roles:  # "@customer": any token of the sentence tagged with that party role
            tagged = view(doc if doc is not None else sent.doc).role
            return any(tagged.get(k) in roles for k in range(sent.start, sent.end))
        return False

    if rule.context_any and not has_any(rule.context_any):
        return False
    if rule.context_also and not has_any(rule.context_also):
        return False
    if rule.context_none and has_any(rule.context_none):
        return False
    return True


# '"Output" means', 'The term "Output" means', '"Output" shall have the meaning', '(c) The
# terms "A" and "B" mean'. ('"X": means' is left out: a licence's colon definition of its permitted purpose
# carries the restriction, e.g. the Mistral research licence in the dev set.) Linear: every repeat is bounded and starts with a literal word or a quote mark.
DEFINITION = re.compile(r"^\W{0,3}(?:\(?[a-z0-9]{1,3}(?:\.[0-9]{1,3})*[.)]?\s+)?(?:the\s+(?:term|word|expression|phrase)s?\s+)?"
                        r"[“\"'‘][^“”\"]{1,80}[”\"'’]\s*(?:\([^)]{0,80}\)\s*)?(?:,\s*)?"
                        r"(?:(?:or|and)\s+[“\"'‘][^“”\"]{1,40}[”\"'’]\s*){0,6}(?:shall\s+|will\s+)?"
                        r"(?:means?|refers?\s+to|ha(?:s|ve)\s+the\s+meanings?|includes?)\b",
                        re.I)
# a recital: "WHEREAS, X is in the business of ...", "RECITALS A. X develops ..." describe, they do not agree
RECITAL = re.compile(r"^\W{0,3}(?:recitals?\W+(?:[a-z0-9]{1,2}[.)]\s+)?)?whereas\b")
# a defined "Governing Laws" term names the law; a defined "AUP" at a URL is how a policy is incorporated
DEFINITION_TOPICS = frozenset({"compliance.governing_law", "license.acceptable_use"})


def resolve(rule, doc, sent, start: int, end: int, lemmas: set, low_text: str) -> dict | None:
    """Return the evidence dict for one hit, or None when the rule does not apply here.

    Definition sentences ('"Output" means ...') say what a word means, not what the parties agreed, so
    they never count (except for the governing-law topic); nor do recitals ("WHEREAS, ...")."""
    if rule.topic not in DEFINITION_TOPICS and DEFINITION.match(low_text.lstrip("-•* ")):
        return None
    if RECITAL.match(low_text):
        return None  # "WHEREAS, Acme distributes software ...": what a party does, not what it agreed
    v = view(doc)
    if v.low[start] == "own" and start > sent.start and v.low[start - 1] in POSSESSIVE_DETS:
        return None  # "your own prompts": the adjective, not the verb
    if not context_ok(rule, sent, lemmas, low_text, doc):
        return None
    return _decide(rule, v, _context(doc, v, sent), start, end,
                   doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))


def _decide(rule, v: View, ctx: _SentenceContext, start: int, end: int, match_start: int,
            match_end: int) -> dict | None:
    """The part of `resolve` after the sentence-level tests: subject, negation and modality of the match
    [start, end) (character offsets `match_start`/`match_end`), then the rule's own settings decide."""
    sent = ctx.sent
    cstart = _clause_start(v, sent.start, start)  # shared by the subject, negation and modality
    subj = _subject_role(v, ctx, sent, start, end, cstart)
    if rule.subject:
        if subj is not None and subj != rule.subject:
            return None
        if subj is None and rule.subject_strict:
            return None
    polarity = rule.subject_polarity.get(subj, rule.polarity) if subj else rule.polarity
    negated = _is_negated(v, ctx, sent, start, end, cstart)
    if rule.negation == "require" and not negated:
        return None
    if negated:
        if rule.negation == "drop":
            return None
        if rule.negation in ("flip", "require"):
            polarity = FLIP[polarity]
    return {"topic": rule.topic, "polarity": polarity, "rule": rule.id, "negated": negated,
            "subject": subj, "modality": _modality(v, start, cstart),
            "sent_start": sent.start_char, "sent_end": sent.end_char,
            "match_start": match_start, "match_end": match_end}


def _hashed_context(rule) -> tuple:
    """Return the rule's context tests as ((word hashes, substrings, roles), wanted) pairs: context_any and
    context_also must find a term, context_none must not (`context_ok` with the words hashed, so they are
    compared with the LEMMA / LOWER hash columns)."""
    tests = []
    for terms, wanted in ((rule.context_any, True), (rule.context_also, True), (rule.context_none, False)):
        if terms:
            words, subs, roles = _context_terms(terms)
            tests.append(((frozenset(map(get_string_id, words)), subs, roles), wanted))
    return tuple(tests)


_OWN = get_string_id("own")
_POSSESSIVE_DET_HASHES = frozenset(map(get_string_id, POSSESSIVE_DETS))


@Language.factory("clause_polarity", requires=["doc._.topic_hits", "token._.role"], assigns=["doc._.topic_evidence"])
def make_clause_polarity(nlp, name):
    """Build the polarity resolver over the shipped rules."""
    return ClausePolarity(default_rules())


class ClausePolarity:
    """Add `doc._.topic_evidence`: list of evidence dicts (char offsets relative to the Doc), one per
    `doc._.topic_hits` entry that `resolve` keeps, in hit order. Same results as calling `resolve` per
    hit; the speed comes from the order of the tests (module docstring)."""

    def __init__(self, rules):
        self.rules = rules
        self._definitional = [r.topic not in DEFINITION_TOPICS for r in rules]
        self._contexts = [_hashed_context(r) for r in rules]

    def __call__(self, doc):
        hits = get_doc_ext(doc, "topic_hits") or ()  # == doc._.topic_hits (components/ext.py)
        set_doc_ext(doc, "topic_evidence", self._evidence(doc, hits) if hits else [])
        return doc

    def _evidence(self, doc, hits) -> list[dict]:
        """Return the evidence of `hits` ((rule index, start, end) token spans) in `doc`: per hit the
        sentence-level tests of `resolve` on hashes (cached per sentence), then, for a hit that passes,
        its sentence's strings and `_decide`."""
        user_data = doc.user_data
        bounds = user_data.get("sent_bounds")
        if bounds is None:
            bounds = [(s.start, s.end) for s in doc.sents]
        starts = [a for a, _b in bounds]
        text = user_data.get("text") or doc.text
        idx = user_data.get("idx") or doc.to_array(IDX).tolist()
        low_h, lem_h, orth_h = token_columns(doc)
        strings = doc.vocab.strings
        v = View(doc, lazy=True)
        rules, definitional, contexts = self.rules, self._definitional, self._contexts
        sentences: dict[int, _HitSentence] = {}
        a = b = -1  # the sentence of the previous hit (the matcher gives hits sentence by sentence)
        out = []
        for ridx, start, end in hits:
            if not a <= start < b:
                a, b = bounds[bisect_right(starts, start) - 1]
                hs = sentences.get(a)
                if hs is None:
                    sc, ec = idx[a], idx[b - 1] + len(strings[orth_h[b - 1]])
                    hs = sentences[a] = _HitSentence(v, Sent(a, b, sc, ec), bounds, starts, text[sc:ec].lower(),
                                                     low_h, lem_h)
            # the sentence-level tests of `resolve`, on hashes and cached per sentence
            if hs.recital or (hs.definition and definitional[ridx]):
                continue
            if low_h[start] == _OWN and start > a and low_h[start - 1] in _POSSESSIVE_DET_HASHES:
                continue  # "your own prompts": the adjective, not the verb
            tests = contexts[ridx]
            if tests and not self._context_holds(tests, hs):
                continue
            v.fill(a, b)
            match_end = idx[end - 1] + len(strings[orth_h[end - 1]])
            ev = _decide(rules[ridx], v, hs, start, end, idx[start], match_end)
            if ev is not None:
                out.append(ev)
        return out

    @staticmethod
    def _context_holds(tests: tuple, hs: _HitSentence) -> bool:
        """`context_ok` for a rule's `_hashed_context` in the sentence `hs`."""
        low_text = hs.low_text
        for (words, subs, roles), wanted in tests:
            found = bool(words) and not words.isdisjoint(hs.hashes)
            if not found:
                for sub in subs:  # a plain loop: twice as fast as any(<generator>) over ~10 short terms
                    if sub in low_text:
                        found = True
                        break
            if not found and roles:
                found = not roles.isdisjoint(hs.roles())
            if found != wanted:
                return False
        return True
