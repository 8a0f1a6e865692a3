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
    sections = []
    parent_label = None
    for i, (start, level, label, title) in enumerate(marks):
        end = len(text)
        for start2, level2, _l, _t in marks[i + 1:]:
            if level2 <= level:
                end = start2
                break
        if level == 9:
            if parent_label is None:
                continue
            label = parent_label + label
        else:
            parent_label = label
        sections.append(Section(label=label, title=title if level != 9 else None, start=start, end=end))
    return tuple(sections)


_TERMINAL = tuple(".!?;")  # not ":": a lead-in ("Customer will not:") stays with its list items


def iter_blocks(text: str, *, max_chars: int = 100_000):
    """Yield (start, end) spans of paragraph-like blocks covering the non-blank text.

    A block ends at a blank line, after a line ending a sentence (".", ":", ";", "!", "?"), or after a
    short heading-like line; hard-wrapped lines stay together. Blocks longer than `max_chars` are cut at
    whitespace, so no Doc ever approaches spaCy's max_length (E088).
    """
    n = len(text)
    pos = 0
    block_start = None
    while pos < n:
        nl = text.find("\n", pos)
        line_end = n if nl < 0 else nl
        line = text[pos:line_end]
        stripped = line.strip()
        if not stripped:
            if block_start is not None:
                yield from _cut(text, block_start, _rstrip_end(text, block_start, pos), max_chars)
                block_start = None
        else:
            if block_start is None:
                block_start = pos + (len(line) - len(line.lstrip()))
            nxt_start = line_end + 1
            nxt = text[nxt_start:text.find("\n", nxt_start) if text.find("\n", nxt_start) >= 0 else n].lstrip()
            last_word = stripped.rsplit(None, 1)[-1].lower()
            ends = stripped.endswith(_TERMINAL) or (
                len(stripped) < 60 and stripped[-1] not in ",-(:" and last_word not in FUNCTION_WORDS
                and nxt[:1] and (nxt[:1].isupper() or nxt[:1].isdigit() or nxt[:1] in "(•*-“\"")
            )
            if ends or nl < 0:
                yield from _cut(text, block_start, _rstrip_end(text, block_start, line_end), max_chars)
                block_start = None
        if nl < 0:
            break
        pos = nl + 1
    if block_start is not None:
        yield from _cut(text, block_start, _rstrip_end(text, block_start, n), max_chars)


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
