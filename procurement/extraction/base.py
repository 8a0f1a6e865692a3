"""Shared pieces of extraction: the error, the limits, the result and the text/section builder.

Everything here is pure (bytes and strings in, dataclasses out); Django settings are read only for
the defaults of `ExtractionLimits`, and only when Django is configured.
"""
from __future__ import annotations

import re
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from clauses.textdoc import Page, Section

MB = 1024 * 1024


class ExtractionError(ValueError):
    """The file cannot be turned into text. ``str()`` is one line: what is wrong + what to do."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))


def _setting(name: str, default: int) -> int:
    """Return ``settings.<name>`` when Django is configured and sets it, else `default`."""
    try:
        from django.conf import settings

        if settings.configured:
            value = getattr(settings, name, None)
            if value is not None:
                return int(value)
    except Exception:  # Django missing or misconfigured: the safe constant applies.
        pass
    return default


@dataclass(frozen=True)
class ExtractionLimits:
    """Resource limits for one extraction. Defaults come from Django settings when configured
    (UPLOAD_MAX_BYTES, EXTRACT_MAX_PDF_PAGES, EXTRACT_MAX_UNZIPPED_BYTES, EXTRACT_MAX_ZIP_RATIO,
    EXTRACT_MAX_TEXT_CHARS, EXTRACT_MAX_ZIP_MEMBERS, EXTRACT_MAX_XML_BYTES, EXTRACT_MAX_SECONDS) and
    safe constants otherwise.

    Units: bytes, pages, characters, seconds; `max_zip_ratio` is uncompressed/compressed size.
    """

    max_bytes: int = field(default_factory=lambda: _setting("UPLOAD_MAX_BYTES", 20 * MB))
    max_pdf_pages: int = field(default_factory=lambda: _setting("EXTRACT_MAX_PDF_PAGES", 500))
    max_unzipped_bytes: int = field(default_factory=lambda: _setting("EXTRACT_MAX_UNZIPPED_BYTES", 200 * MB))
    max_zip_ratio: int = field(default_factory=lambda: _setting("EXTRACT_MAX_ZIP_RATIO", 200))
    max_text_chars: int = field(default_factory=lambda: _setting("EXTRACT_MAX_TEXT_CHARS", 10 * MB))
    max_zip_members: int = field(default_factory=lambda: _setting("EXTRACT_MAX_ZIP_MEMBERS", 5000))
    max_xml_bytes: int = field(default_factory=lambda: _setting("EXTRACT_MAX_XML_BYTES", 32 * MB))
    max_seconds: float = field(default_factory=lambda: _setting("EXTRACT_MAX_SECONDS", 60))


@dataclass(frozen=True)
class ExtractedDocument:
    """The plain text of a document plus its structure.

    `sections` and `pages` hold character offsets into exactly `text` (end exclusive);
    `format` is one of "txt", "md", "html", "docx", "pdf"; `warnings` are one-line notes for the user.
    """

    text: str
    format: str
    sections: tuple[Section, ...] = ()
    pages: tuple[Page, ...] = ()
    warnings: tuple[str, ...] = ()


class Budget:
    """A per-document time budget: `check()` between pages raises ExtractionError once it is spent,
    and `hard_stop()` also interrupts a single parser call that never returns (pypdf #582, #2077)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def error(self, what: str = "the file") -> ExtractionError:
        return ExtractionError(
            f"reading {what} took too long (over {self.seconds:g} s); "
            "upload a smaller or simpler copy (e.g. re-save or split the document)"
        )

    def check(self, what: str = "the file") -> None:
        if time.monotonic() > self.deadline:
            raise self.error(what)

    @contextmanager
    def hard_stop(self, grace: float = 1.0):
        """Within this block, SIGALRM fires `grace` seconds after the deadline and the block ends with
        the "took too long" ExtractionError. Only in the main thread and only when nobody else owns
        SIGALRM (a test runner's timeout, say); otherwise the worker's hard time limit is the guard."""
        usable = (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
                  and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None))
        if not usable:
            yield
            return

        def on_alarm(signum, frame):
            raise _Deadline()

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, max(self.deadline - time.monotonic(), 0.0) + grace)
        try:
            yield
        except _Deadline:
            raise self.error() from None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


class _Deadline(BaseException):
    """Raised by the alarm; a BaseException so parsers' `except Exception` cannot swallow it."""


# --- text normalisation -------------------------------------------------------------------------

_SPACES = {"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2002": " ", "\u2003": " ", "\u2009": " "}
# Zero-width characters, soft hyphen, bidi controls and BOMs carry no text (and break matching).
_DROP = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_TRANSLATE = {ord(k): v for k, v in _SPACES.items()}
_TRANSLATE.update({ord(c): None for c in _DROP})
_TRANSLATE.update({c: None for c in range(0x20) if chr(c) not in "\t\n\r\f"})
_TRANSLATE[0x7F] = None
_TRANSLATE[ord("\f")] = "\n"
_TRANSLATE[ord("\u2028")] = "\n"
_TRANSLATE[ord("\u2029")] = "\n"


def normalize_text(s: str) -> str:
    """Return `s` with \\r\\n and \\r as \\n, NBSP-like spaces as " ", and zero-width, bidi and
    control characters (except tab and newline) removed."""
    return s.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATE)


# --- assembling text and sections ----------------------------------------------------------------


@dataclass
class Marker:
    """A section start found while building text: `depth` orders nesting (smaller = outer)."""

    start: int
    depth: int
    label: str | None
    title: str | None


_PAREN_CHILD = re.compile(r"^\(?([A-Za-z]{1,4}|\d{1,3})\)$|^[a-z]{1,4}$|^\([A-Za-z0-9]{1,4}\)$")


def full_label(parent: str | None, label: str | None) -> str | None:
    """Compose a citable label: "(b)" under "5" is "5(b)", "(i)" under "5(b)" is "5(b)(i)";
    "5.1" stays "5.1". Labels without a parent are returned as they are."""
    if label is None:
        return None
    if parent and _PAREN_CHILD.match(label):
        core = label.strip("()")
        return f"{parent}({core})"
    return label


def build_sections(markers: list[Marker], text: str) -> tuple[Section, ...]:
    """Turn markers into nested sections: each runs until the next marker of the same or an outer
    depth (or the end of `text`), trailing whitespace excluded. Linear time (one stack pass)."""
    ordered = sorted(markers, key=lambda m: m.start)
    labels: list[str | None] = []
    ends = [len(text)] * len(ordered)
    stack: list[int] = []  # indices of open markers, depths increasing
    for i, m in enumerate(ordered):
        while stack and ordered[stack[-1]].depth >= m.depth:
            ends[stack.pop()] = m.start
        parent = next((labels[j] for j in reversed(stack) if labels[j]), None)
        labels.append(full_label(parent, m.label))
        stack.append(i)
    sections: list[Section] = []
    for i, m in enumerate(ordered):
        end = ends[i]
        while end > m.start and text[end - 1].isspace():
            end -= 1
        if end > m.start:
            sections.append(Section(label=labels[i], title=m.title, start=m.start, end=end))
    return tuple(sections)


class TextBuilder:
    """Append normalised blocks separated by one newline, remembering section markers and pages."""

    def __init__(self, max_chars: int):
        self.parts: list[str] = []
        self.pos = 0
        self.markers: list[Marker] = []
        self.max_chars = max_chars

    def add(self, block: str, *, depth: int | None = None, label: str | None = None,
            title: str | None = None, sep: str = "\n") -> int:
        """Append `block` (normalised here) and return its start offset."""
        block = normalize_text(block)
        if self.parts and sep:
            self.parts.append(sep)
            self.pos += len(sep)
        start = self.pos
        self.parts.append(block)
        self.pos += len(block)
        if self.pos > self.max_chars:
            raise too_long(self.max_chars)
        if depth is not None:
            self.markers.append(Marker(start, depth, label, title))
        return start

    def text(self) -> str:
        return "".join(self.parts)


def too_long(max_chars: int) -> ExtractionError:
    return ExtractionError(
        f"the document's text is longer than the limit of {max_chars:,} characters; "
        "upload a shorter document or split it"
    )


_RUN_IN = re.compile(r"^([A-Z][^.;:!?]{1,80}?)\.\s+\S")
_NOT_TITLE = re.compile(r"\b(shall|will|must|may|is|are|was|were|has|have|means|agrees?)\b", re.I)


def short_title(text: str, limit: int = 120) -> str | None:
    """Return a heading title for a clause's text: the whole text when it reads like a heading (short,
    no final full stop), else a run-in heading ("Audit rights. The Provider shall …" → "Audit rights")
    of at most 8 words without a verb like "shall"; None otherwise."""
    t = " ".join(text.split())
    if not t:
        return None
    if len(t) <= limit and t[-1] not in ".;:,":
        return t
    m = _RUN_IN.match(t)
    if m and len(m.group(1).split()) <= 8 and not _NOT_TITLE.search(m.group(1)):
        return m.group(1).strip()
    return None
