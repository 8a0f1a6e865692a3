"""Legal-aware sentence splitter (`legal_sentencizer`).

Rules (why: contracts are full of dotted abbreviations and numbered labels that a plain
sentencizer cuts in the wrong place):
- never split after abbreviations ("e.g.", "i.e.", "Inc.", "Ltd.", "No.", "U.S.", "Sec.") or after a
  list label ("1.", "(a)", "2.1") that opens a line;
- always split at blank lines and where a new line starts a list item or a capitalised heading/sentence
  after a line that ended a sentence or was a heading;
- a hard-wrapped line (next line starts in lower case) is not a boundary.
"""
import re

from spacy.language import Language

ABBREVIATIONS = frozenset(
    """e.g i.e etc inc ltd llc corp co no nos u.s u.k e.u sec secs art arts para paras cf vs v mr mrs ms dr
    st jr sr p pp fig approx dept est govt int'l n.a s.a b.v gmbh plc pty ag""".split()
)
_LABEL = re.compile(r"^(?:\(?[0-9]{1,3}(?:\.[0-9]{1,3})*\)?|\(?[a-zA-Z]\)|\(?[ivxIVX]{1,5}\))\.?$")
_TERMINAL = frozenset(".?!")


def is_list_label(text: str) -> bool:
    """Return True for list/section labels such as "1", "2.1", "(a)", "b)", "(iv)"."""
    return bool(_LABEL.match(text))


def _starts_item(doc, i: int) -> bool:
    tok = doc[i]
    t = tok.text
    if t[:1].isupper() or t[:1].isdigit() or t[:1] in "(\"“'‘•*-–—[":
        return True
    return is_list_label(t)


def set_sentence_starts(doc) -> None:
    """Set `is_sent_start` on every token of `doc` by the rules in the module docstring."""
    n = len(doc)
    if not n:
        return
    for i in range(n):
        tok = doc[i]
        if i == 0:
            tok.is_sent_start = True
            continue
        prev = doc[i - 1]
        start = False
        if prev.is_space and "\n" in prev.text:
            if prev.text.count("\n") >= 2:
                start = True
            else:
                # single line break: a boundary after a finished line (terminal punctuation, ":" or ";"),
                # before a list label, or after a short heading-like line; a hard-wrapped sentence whose
                # next line happens to start with a capital ("... of the\nLlama Materials") stays whole.
                before = doc[i - 2] if i >= 2 else None
                if before is None or before.text[-1:] in _TERMINAL or before.text in (":", ";"):
                    start = True
                elif is_list_label(tok.text) or tok.text in ("•", "*", "-", "–", "—") or (
                        tok.text == "(" and i + 2 < n and doc[i + 2].text == ")"):
                    start = True
                else:
                    line_start = doc.text.rfind("\n", 0, before.idx) + 1
                    start = (prev.idx - line_start) < 60 and _starts_item(doc, i)
        elif prev.text in _TERMINAL or (prev.text.endswith(".") and len(prev.text) > 1):
            if prev.text == "." and i >= 2:
                before = doc[i - 2]
                low = before.lower_
                if low in ABBREVIATIONS or (is_list_label(before.text) and before.is_sent_start):
                    start = False
                elif tok.is_space:
                    start = False
                else:
                    start = _starts_item(doc, i) and not tok.is_punct or tok.text in "\"“(‘"
            elif prev.text.endswith(".") and len(prev.text) > 1:
                # tokens like "Inc." "U.S." "e.g." keep their period: only split before a clear start
                low = prev.lower_.rstrip(".")
                if low in ABBREVIATIONS or len(low) <= 3 or is_list_label(prev.text):
                    start = False
                else:
                    start = tok.text[:1].isupper()
            else:
                start = not tok.is_space and (_starts_item(doc, i) and not tok.is_punct)
        elif prev.is_space:
            start = False
        if tok.is_space:
            start = False
        tok.is_sent_start = start


@Language.factory("legal_sentencizer", assigns=["token.is_sent_start"])
def make_legal_sentencizer(nlp, name):
    """Build the legal sentence splitter (no configuration)."""
    return LegalSentencizer()


class LegalSentencizer:
    """Callable component wrapping `set_sentence_starts`."""

    def __call__(self, doc):
        set_sentence_starts(doc)
        return doc
