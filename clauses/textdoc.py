"""Plain-text document structure shared by extraction and the checker (no file formats, no NLP).

Offsets are character offsets into the extracted plain text, `end` exclusive.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """A numbered or headed part of a document: `label` as the document shows it ("5", "5(b)",
    "Schedule 1"), `title` its heading if any, and the text span [start, end)."""

    label: str | None
    title: str | None
    start: int
    end: int


@dataclass(frozen=True)
class Page:
    """A 1-based page `number` of a paged format (PDF) covering text span [start, end)."""

    number: int
    start: int
    end: int


def section_at(sections, offset: int) -> Section | None:
    """Return the innermost (shortest) section containing `offset`, or None."""
    best = None
    for s in sections:
        if s.start <= offset < s.end and (best is None or (s.end - s.start) < (best.end - best.start)):
            best = s
    return best


def page_at(pages, offset: int) -> int | None:
    """Return the 1-based page number containing `offset`, or None when the format has no pages."""
    for p in pages:
        if p.start <= offset < p.end:
            return p.number
    return None
