"""Legal-aware sentence splitter (`legal_sentencizer`).

Rules (why: contracts are full of dotted abbreviations and numbered labels that a plain
sentencizer cuts in the wrong place):
- never split after abbreviations ("e.g.", "i.e.", "Inc.", "Ltd.", "No.", "U.S.", "Sec.") or after a
  list label ("1.", "(a)", "2.1") that opens a line;
- always split at blank lines and where a new line starts a list item or a capitalised heading/sentence
  after a line that ended a sentence or was a heading;
- a hard-wrapped line (next line starts in lower case) is not a boundary;
- a "sentence" longer than MAX_SENTENCE_TOKENS (text that lost its punctuation, a table flattened into one
  line) is cut, preferably after a ";", "," or ":" or at a line break (`cap_sentence_length`): per-sentence
  work (context tests, clause search, value readers) would otherwise grow with the square of its length.
"""
import re
from itertools import compress

from spacy.language import Language

ABBREVIATIONS = frozenset(
    """e.g i.e etc inc ltd llc corp co no nos u.s u.k e.u sec secs art arts para paras cf vs v mr mrs ms dr
    st jr sr p pp fig approx dept est govt int'l n.a s.a b.v gmbh plc pty ag""".split()
)
# a line ending in one of these is a wrapped sentence, never a heading
FUNCTION_WORDS = frozenset("""the a an of to in on for with by and or nor but from as at that which who whose
    any all each such this these those its their your our his her is are be will shall may must not""".split())
_LABEL = re.compile(r"^(?:\(?[0-9]{1,3}(?:\.[0-9]{1,3})*\)?|\(?[a-zA-Z]\)|\(?[ivxIVX]{1,5}\))\.?$")
_TERMINAL = frozenset(".?!")


def is_list_label(text: str) -> bool:
    """Return True for list/section labels such as "1", "2.1", "(a)", "b)", "(iv)"."""
    return bool(_LABEL.match(text))


def _starts_item_text(t: str) -> bool:
    return bool(t) and (t[:1].isupper() or t[:1].isdigit() or t[:1] in "(\"“'‘•*-–—[" or is_list_label(t))


_PUNCT_CHARS = frozenset(".,;:!?()[]{}\"'“”‘’-–—/")
_PUNCT_STR = "".join(sorted(_PUNCT_CHARS))


def _opens_gap(p: str) -> bool:
    """True for a token after which a sentence can start: whitespace, a terminal mark, a word ending in "."."""
    return p.isspace() or p in _TERMINAL or (p.endswith(".") and len(p) > 1)


_GAP: set[str] = set()  # token texts seen in this process, split by _opens_gap
_NO_GAP: set[str] = set()
GAP_CACHE_MAX = 200_000  # token texts kept in _GAP and _NO_GAP together


def _gap_positions(texts: list[str]) -> list[int]:
    """Return the indices i >= 1 whose previous token opens a gap (`_opens_gap`), in order: the only
    tokens that can start a sentence. Token texts are classified once per process (sets, not a call per
    token)."""
    if len(_GAP) + len(_NO_GAP) > GAP_CACHE_MAX:  # bounded; cleared before this Doc's texts are classified
        _GAP.clear()
        _NO_GAP.clear()
    new = set(texts).difference(_GAP, _NO_GAP)
    if new:
        for p in new:
            (_GAP if _opens_gap(p) else _NO_GAP).add(p)
    return list(compress(range(1, len(texts)), map(_GAP.__contains__, texts[:-1])))


def sentence_starts(texts: list[str], idxs: list[int], full_text: str) -> list[bool]:
    """Return one flag per token (token texts and char offsets given): True where a sentence starts, by
    the rules in the module docstring. Pure list work: no Token objects (speed, bench/scan_bench.py)."""
    n = len(texts)
    out = [False] * n
    if not n:
        return out
    out[0] = True
    # a sentence can only start after whitespace, a terminal mark or a token ending in "."; every other
    # token keeps False, so only the tokens after one of those are visited (in order: out[i - 2] is read)
    for i in _gap_positions(texts):
        t = texts[i]
        if t.isspace():
            continue
        prev = texts[i - 1]
        start = False
        if prev.isspace():
            if "\n" not in prev:
                start = False
            elif prev.count("\n") >= 2:
                start = True
            else:
                before = texts[i - 2] if i >= 2 else None
                if before is None or before[-1:] in _TERMINAL or before in (":", ";"):
                    start = True
                elif is_list_label(t) or t in ("•", "*", "-", "–", "—") or (
                        t == "(" and i + 2 < n and texts[i + 2] == ")"):
                    start = True
                else:
                    line_start = full_text.rfind("\n", 0, idxs[i - 2]) + 1
                    start = ((idxs[i - 1] - line_start) < 60 and _starts_item_text(t)
                             and before.lower() not in FUNCTION_WORDS)
        elif prev in _TERMINAL:
            if prev == "." and i >= 2:
                before = texts[i - 2]
                if before.lower() in ABBREVIATIONS or (out[i - 2] and is_list_label(before)):
                    start = False
                else:
                    is_punct = not t.strip(_PUNCT_STR)  # every character in _PUNCT_CHARS
                    start = (_starts_item_text(t) and not is_punct) or t in ("\"", "“", "(", "‘")
            else:
                is_punct = not t.strip(_PUNCT_STR)  # every character in _PUNCT_CHARS
                start = _starts_item_text(t) and not is_punct
        elif prev.endswith(".") and len(prev) > 1:
            low = prev.lower().rstrip(".")
            if low in ABBREVIATIONS or len(low) <= 3 or is_list_label(prev):
                start = False
            else:
                start = t[:1].isupper()
        out[i] = start
    return out


# The longest sentence of the real documents in ../shared/corpus (31 raw texts and 510 CUAD contracts) is
# 1,005 tokens; a cap of 1,500 changes none of them and bounds the work per sentence on hostile text.
MAX_SENTENCE_TOKENS = 1500
_SOFT_BREAK = frozenset({";", ",", ":"})


def cap_sentence_length(flags: list[bool], texts: list[str], cap: int = MAX_SENTENCE_TOKENS) -> list[bool]:
    """Return `flags` (one sentence-start flag per token, `texts` the token texts) with extra starts so that
    no sentence is longer than `cap` tokens. A long sentence is cut after the last ";", "," or ":" or line
    break in the second half of its window, else at the window's end. Sentences up to `cap` tokens are left
    as they are; `flags` is changed in place and returned."""
    n = len(flags)
    starts = list(compress(range(n), flags))
    starts.append(n)
    for a, b in zip(starts, starts[1:], strict=False):
        while b - a > cap:
            cut = a + cap
            for j in range(a + cap - 1, a + cap // 2, -1):  # j: the token the new sentence starts after
                if texts[j] in _SOFT_BREAK or "\n" in texts[j]:
                    cut = j + 1
                    break
            while cut < b and texts[cut].isspace():
                cut += 1
            if cut >= b:
                break
            flags[cut] = True
            a = cut
    return flags


def set_sentence_starts(doc) -> None:
    """Set sentence starts on `doc` (one from_array pass) and keep, for the later components,
    `doc.user_data["sent_bounds"]` (list of (start, end) token indices), `["text"]` (== doc.text),
    `["idx"]` (list of each token's character offset) and `["orth_strings"]` (list of token texts).

    Speed (bench/scan_bench.py): token texts come from the ORTH hashes through the process-wide string
    cache (topics.hashes_to_strings); `to_array` columns are read one attribute at a time (a row-wise
    `tolist()` of an (n, 3) array builds n small lists and cost more than the rules)."""
    import numpy
    from spacy.attrs import IDX, SENT_START, SPACY

    from clauses.nlp.components.topics import hashes_to_strings, token_columns

    n = len(doc)
    if not n:
        doc.user_data["sent_bounds"] = []
        return
    # no Token objects (creating them costs more than the rules), and doc.text would build them all again
    texts = hashes_to_strings(doc.vocab.strings, token_columns(doc)[2])
    idxs = doc.to_array(IDX).tolist()
    full = doc.user_data.get("text")  # the caller's block text (check.find_evidence), else rebuilt
    if full is None or len(full) - (idxs[-1] + len(texts[-1])) not in (0, 1):
        spaces = doc.to_array(SPACY).tolist()
        full = "".join([t + " " if sp else t for t, sp in zip(texts, spaces, strict=True)])  # == doc.text
    doc.user_data["text"], doc.user_data["idx"], doc.user_data["orth_strings"] = full, idxs, texts
    flags = cap_sentence_length(sentence_starts(texts, idxs, full), texts)
    starts = list(compress(range(n), flags))
    column = numpy.full(n, _NOT_START, dtype="uint64")
    column[starts] = 1
    doc.from_array([SENT_START], column)
    starts.append(n)
    doc.user_data["sent_bounds"] = list(zip(starts, starts[1:], strict=False))


_NOT_START = 2**64 - 1  # SENT_START -1 ("not a start") as the uint64 that Doc.from_array reads


@Language.factory("legal_sentencizer", assigns=["token.is_sent_start"])
def make_legal_sentencizer(nlp, name):
    """Build the legal sentence splitter (no configuration)."""
    return LegalSentencizer()


class LegalSentencizer:
    """Callable component wrapping `set_sentence_starts`."""

    def __call__(self, doc):
        set_sentence_starts(doc)
        return doc
