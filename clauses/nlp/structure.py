"""Pure text-structure helpers: numbered-heading detection and block chunking (with exact offsets)."""
import re

from clauses.nlp.components.sentences import FUNCTION_WORDS
from clauses.textdoc import Section

_HEADING = re.compile(
    r"^[ \t]*(?:(?:Section|SECTION|Article|ARTICLE|Clause)\s+)?(\d{1,3}(?:\.\d{1,3}){0,3})[.)]?[ \t]+(?=[A-Z“\"(])"
    r"|^[ \t]*((?:Schedule|SCHEDULE|Annex|ANNEX|Exhibit|EXHIBIT|Appendix|APPENDIX|Attachment|ATTACHMENT)[ \t]+[A-Z0-9IVX]{1,4})\b"
    r"|^[ \t]*\(([a-z]{1,2}|[ivx]{1,5})\)[ \t]+(?=\S)",
    re.M,
)


def detect_sections(text: str, *, limit: int = 5000) -> tuple[Section, ...]:
    """Return sections for numbered headings found at line starts ("2.", "5.1", "Section 3", "(b)",
    "Schedule 1"); a section runs until the next heading of the same or a higher level. Lettered items
    "(b)" nest under the enclosing numbered section and are labelled like "5(b)". At most `limit` headings.
    """
    marks = []  # (start, level, label, title)
    for m in _HEADING.finditer(text):
        if len(marks) >= limit:
            break
        line_end = text.find("\n", m.start())
        line_end = len(text) if line_end < 0 else line_end
        title = text[m.end():line_end].strip()
        title = title[:80] if len(title) <= 80 else None
        if m.group(1):
            label = m.group(1)
            level = label.count(".") + 1
            marks.append((m.start(), level, label, title))
        elif m.group(2):
            marks.append((m.start(), 0, " ".join(m.group(2).split()), title))
        else:
            marks.append((m.start(), 9, f"({m.group(3)})", None))
    # end of each section: the start of the next heading of the same or a higher (smaller) level, found
    # with one stack pass (linear; the scan forward from every heading was quadratic in the heading count)
    ends = [len(text)] * len(marks)
    open_marks: list[int] = []  # indices of headings whose end is not known yet, levels strictly increasing
    for j, (start2, level2, _l, _t) in enumerate(marks):
        while open_marks and marks[open_marks[-1]][1] >= level2:
            ends[open_marks.pop()] = start2
        open_marks.append(j)
    sections = []
    parent_label = None
    for (start, level, label, title), end in zip(marks, ends, strict=True):
        if level == 9:
            if parent_label is None:
                continue
            label = parent_label + label
        else:
            parent_label = label
        sections.append(Section(label=label, title=title if level != 9 else None, start=start, end=end))
    return tuple(sections)


_TERMINAL = tuple(".!?;")  # not ":": a lead-in ("Customer will not:") stays with its list items


# a list item's label: "(a)", "(iv)", "b)", "2.", "ii.", or a bullet; the group tells the label's kind
_ITEM = re.compile(r"^[ \t]*(?:(\([a-zA-Z0-9]{1,4}\))|([a-zA-Z0-9]{1,4}\))|([0-9]{1,3}\.)|([a-zA-Z]{1,4}\.)|([•*▪◦·‣–—-]))[ \t]+\S")


def item_kind(line: str) -> int:
    """Return the kind of list label `line` opens with (1 "(a)", 2 "a)", 3 "1.", 4 "a."/"ii.", 5 bullet,
    6 none but a lower-case first word: an item whose Word numbering was lost), or 0 otherwise."""
    m = _ITEM.match(line)
    if not m:
        first = line.lstrip()[:1]
        return 6 if first.isalpha() and first.islower() else 0
    return next(i for i in range(1, 6) if m.group(i))


def _next_line(text: str, pos: int) -> str:
    """Return the first non-blank line at or after `pos` ("" at the end)."""
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        line = text[pos:n if nl < 0 else nl]
        if line.strip():
            return line
        if nl < 0:
            break
        pos = nl + 1
    return ""


def iter_blocks(text: str, *, max_chars: int = 100_000):
    """Yield (start, end) spans of paragraph-like blocks covering the non-blank text.

    A block ends at a blank line, after a line ending a sentence (".", ":", ";", "!", "?"), or after a
    short heading-like line; hard-wrapped lines stay together. A lead-in line ending in ":" ("Customer
    shall not:") stays in one block with the list items after it, across blank lines, as long as the next
    line opens with a label of the same kind as the first item ("(a)", "a)", "1.", "i.", "-"), so the
    lead-in's negation reaches every item (clause_polarity). Blocks longer than `max_chars` are cut at
    whitespace, so no Doc ever approaches spaCy's max_length (E088).
    """
    n = len(text)
    pos = 0
    block_start = None
    list_kind = None  # None: no lead-in in this block; 0: lead-in seen, first item not yet; else the kind
    while pos < n:
        nl = text.find("\n", pos)
        line_end = n if nl < 0 else nl
        line = text[pos:line_end]
        stripped = line.strip()
        if list_kind is not None and stripped:
            kind = item_kind(line)
            if list_kind == 0 and kind:
                list_kind = kind
        if not stripped:
            if block_start is not None and not _list_goes_on(text, pos, list_kind):
                yield from _cut(text, block_start, _rstrip_end(text, block_start, pos), max_chars)
                block_start = None
                list_kind = None
        else:
            if block_start is None:
                block_start = pos + (len(line) - len(line.lstrip()))
            if stripped.endswith(":"):
                list_kind = 0
            nxt_start = line_end + 1
            nxt = text[nxt_start:text.find("\n", nxt_start) if text.find("\n", nxt_start) >= 0 else n].lstrip()
            last_word = stripped.rsplit(None, 1)[-1].lower()
            ends = stripped.endswith(_TERMINAL) or (
                len(stripped) < 60 and stripped[-1] not in ",-(:" and last_word not in FUNCTION_WORDS
                and nxt[:1] and (nxt[:1].isupper() or nxt[:1].isdigit() or nxt[:1] in "(•*-“\"")
            )
            if ends and nl >= 0 and _list_goes_on(text, nl + 1, list_kind):
                ends = False
            if ends or nl < 0:
                yield from _cut(text, block_start, _rstrip_end(text, block_start, line_end), max_chars)
                block_start = None
                list_kind = None
        if nl < 0:
            break
        pos = nl + 1
    if block_start is not None:
        yield from _cut(text, block_start, _rstrip_end(text, block_start, n), max_chars)


def _list_goes_on(text: str, pos: int, list_kind) -> bool:
    """Return True when a lead-in's list continues at the next non-blank line from `pos`."""
    if list_kind is None:
        return False
    kind = item_kind(_next_line(text, pos))
    return bool(kind) and (list_kind == 0 or kind == list_kind)


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _cut(text: str, start: int, end: int, max_chars: int):
    while end - start > max_chars:
        cut = text.rfind(" ", start, start + max_chars)
        if cut <= start:
            cut = start + max_chars
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end
