"""PDF: pypdf text layer per page, page map, header/footer and page-number removal, hyphen repair.

pypdf was measured against pdfplumber on a generated 20-page PDF: 0.25 s vs 5.6 s for the same text, so
pypdf's "plain" mode is the default. Pages whose words come out glued (pypdf #1328, #3341) or one word per
line are re-read with pdfminer's layout analysis (pdfplumber's engine), which spaces words by glyph
widths; pypdf's own "layout" mode was tried and still glued "all times" on a 3.5 pt word gap.
"""
from __future__ import annotations

import gzip
import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from clauses.textdoc import Page

from .base import (
    MB,
    Budget,
    ExtractedDocument,
    ExtractionError,
    ExtractionLimits,
    TextBuilder,
    build_sections,
    normalize_text,
)
from .text import line_markers

MAX_PAGE_CONTENT = 2 * 1024 * 1024  # decoded content-stream bytes per page read at all
PASSWORD = "the PDF is password-protected; upload an unlocked copy"
CORRUPT = "re-export or re-save it as PDF and upload again (or upload the .docx)"


def corrupt(detail: str) -> ExtractionError:
    detail = " ".join(str(detail).split())[:160]
    return ExtractionError(f"the PDF is corrupt or unreadable ({detail}); {CORRUPT}")


# --- page text -----------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z]+")


def _glued(text: str) -> bool:
    """True when words seem run together ("Leakwasisolated") or split one per line."""
    words = _WORD.findall(text)
    if len(words) < 8:
        return False
    long = sum(1 for w in words if len(w) >= 18)
    avg = sum(len(w) for w in words) / len(words)
    lines = [ln for ln in text.split("\n") if ln.strip()]
    one_word = sum(1 for ln in lines if len(ln.split()) == 1)
    return long / len(words) > 0.05 or avg > 9 or (len(lines) >= 8 and one_word / len(lines) > 0.6)


def _page_list(numbers: list[int]) -> str:
    return ", ".join(str(p) for p in numbers[:20]) + (" …" if len(numbers) > 20 else "")


def _content_size(page) -> int:
    """Decoded size of a page's content stream(s) in bytes (pypdf caps each at 75 MB)."""
    contents = page.get_contents()
    return len(contents.get_data()) if contents is not None else 0


def _page_text(page) -> str:
    return page.extract_text(extraction_mode="plain") or ""


def _pdfminer_pages(data: bytes, indices: list[int], budget: Budget) -> dict[int, str]:
    """Re-read the pages `indices` (0-based) with pdfminer's layout analysis, which spaces words by
    their real glyph widths and keeps text boxes (columns) together. Slower than pypdf (~10×), so
    only for pages pypdf glued or split one word per line."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer

    out: dict[int, str] = {}
    wanted = sorted(indices)
    # pdfminer yields the selected pages in document order (its pageid counts processed pages only).
    pages = extract_pages(io.BytesIO(data), page_numbers=set(wanted), laparams=LAParams())
    for index, layout in zip(wanted, pages, strict=False):
        budget.check("the PDF")
        parts = [el.get_text() for el in layout if isinstance(el, LTTextContainer)]
        out[index] = "".join(parts)
    return out


# --- headers, footers, page numbers --------------------------------------------------------------

_PAGE_LABELLED = re.compile(
    r"^(?:page|p\.|seite|página|pagina)\s*\d{1,4}(?:\s*(?:of|/|von|de|di)\s*\d{1,4})?$"
    r"|^\d{1,4}\s*(?:of|/)\s*\d{1,4}$",
    re.I,
)
_PAGE_BARE = re.compile(r"^[-–—(\[]?\s*(\d{1,4}|[ivxlc]{1,6})\s*[-–—)\]]?$", re.I)
ZONE = 3  # lines at the top and bottom of a page considered for running headers/footers


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def _is_page_number(line: str, page_no: int) -> bool:
    s = " ".join(line.split())
    if _PAGE_LABELLED.match(s):
        return True
    m = _PAGE_BARE.match(s)
    if not m:
        return False
    token = m.group(1)
    if not token.isdigit():
        return bool(re.fullmatch(r"[ivxlc]+", token, re.I))
    # A bare number is a page number only near this page's index (printed numbering may be offset
    # by a cover page or two); "100" on page 1 is body text.
    return abs(int(token) - page_no) <= 3


def strip_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Drop running headers/footers and page numbers from per-page lines.

    A header/footer is a line among the first or last ZONE lines that appears exactly once on the
    page and, with digits normalised, on most pages (all pages when there are 2–3). Page numbers
    ("Page 3 of 12", "- 3 -", "3") are dropped when they are the first or last remaining line.
    """
    n = len(pages)
    counts: Counter[str] = Counter()
    for lines in pages:
        per_page = Counter(_key(ln) for ln in lines if ln.strip())
        idx = [i for i, ln in enumerate(lines) if ln.strip()]
        zone = idx[:ZONE] + idx[-ZONE:]
        counts.update({_key(lines[i]) for i in zone if per_page[_key(lines[i])] == 1})
    need = n if n <= 3 else max(3, int(n * 0.6 + 0.999))
    # Keys without letters ("#", "- # -") are left to the page-number rule: "100" may be body text.
    repeated = {k for k, c in counts.items() if n >= 2 and c >= need and re.search(r"[^\W\d_]", k)}
    out = []
    for page_no, lines in enumerate(pages, start=1):
        idx = [i for i, ln in enumerate(lines) if ln.strip()]
        zone = set(idx[:ZONE] + idx[-ZONE:])
        keep = [ln for i, ln in enumerate(lines) if not (i in zone and _key(ln) in repeated)]
        for _ in range(2):
            body = [i for i, ln in enumerate(keep) if ln.strip()]
            if not body:
                break
            drop = {i for i in (body[0], body[-1]) if _is_page_number(keep[i], page_no)}
            if not drop:
                break
            keep = [ln for i, ln in enumerate(keep) if i not in drop]
        out.append(keep)
    return out


# --- hyphenation ---------------------------------------------------------------------------------

WORDS_FILE = Path(__file__).with_name("data") / "english_words.tsv.gz"
_HYPHEN_END = re.compile(r"([A-Za-z]+)-[ \t]*\n[ \t]*([A-Za-z]+)")


@lru_cache(maxsize=1)
def english_words() -> dict[str, float]:
    """Lower-case English word → log-probability (74k words; see data/build_words.py), loaded once."""
    words: dict[str, float] = {}
    with gzip.open(WORDS_FILE, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            w, _, p = line.rstrip("\n").partition("\t")
            words[w] = float(p)
    return words


def vocabulary(text: str) -> Counter:
    """Lower-case word counts of `text` (hyphenated compounds counted whole) for `repair_hyphens`."""
    return Counter(w.lower() for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", text))


def join_hyphenated(a: str, b: str, doc_words: Counter) -> bool:
    """Decide whether "a-" at a line end followed by "b" is one word split by hyphenation.

    In order: the hyphenated form used elsewhere in the document → keep the hyphen; the joined form
    used elsewhere → join; a half that is not an English word ("confi", "dentiality") → join; the
    joined form a common word, not much rarer than its halves ("require", "agreement") → join;
    otherwise both halves are words and the compound is real ("non-compete", "third-party",
    "long-term", "state-of-the-art") → keep the hyphen.
    """
    la, lb = a.lower(), b.lower()
    if doc_words.get(f"{la}-{lb}"):
        return False
    if doc_words.get(la + lb):
        return True
    if b[:1].isupper() and not b.isupper():
        return False  # "Third-\nParty", "Sub-\nProcessor": a capitalised compound
    words = english_words()
    pa, pb, pj = words.get(la), words.get(lb), words.get(la + lb)
    if pa is None or pb is None:
        return True
    return pj is not None and pj > min(pa, pb) - 3.0


def repair_hyphens(text: str, words: Counter | None = None) -> str:
    """Repair line-end hyphenation in `text`: "confi-\\ndentiality" → "confidentiality",
    "non-\\ncompete" → "non-compete" (see `join_hyphenated`; `words` is the document's vocabulary,
    default `text`'s own). The line break inside a hyphenated word is removed either way."""
    words = vocabulary(text) if words is None else words

    def fix(m: re.Match) -> str:
        a, b = m.group(1), m.group(2)
        return a + b if join_hyphenated(a, b, words) else f"{a}-{b}"

    return _HYPHEN_END.sub(fix, text)


# --- wrapped lines ------------------------------------------------------------------------------

_ITEM_START = re.compile(
    r"^(?:[#(§•*\-–—\d\[]|[a-z]{1,4}[.)]\s|[A-Z]{1,5}[.)]\s"
    r"|(?:Schedule|Annex|Appendix|Exhibit|Article|Part|Section|Clause)\b)"
)


_TAIL = re.compile(r"([A-Za-z]+)-[ \t]*$")
_HEAD = re.compile(r"^[ \t]*([A-Za-z]+)([^\s]*)")  # the word and its trailing punctuation


def _join_across_pages(page_texts: list[str], words: Counter) -> None:
    """Mend a word hyphenated over a page break: the second half moves up to the first page."""
    for i in range(len(page_texts) - 1):
        tail = _TAIL.search(page_texts[i])
        head = _HEAD.match(page_texts[i + 1]) if tail else None
        if not (tail and head):
            continue
        a, b = tail.group(1), head.group(1)
        glue = "" if join_hyphenated(a, b, words) else "-"
        page_texts[i] = page_texts[i][: tail.start()] + a + glue + b + head.group(2)
        page_texts[i + 1] = page_texts[i + 1][head.end():].lstrip(" \t")
        if page_texts[i + 1].startswith("\n"):
            page_texts[i + 1] = page_texts[i + 1][1:]


def reflow(text: str) -> str:
    """Join hard-wrapped lines of a page into paragraph lines, so sentences are not cut by the page
    width: a line is joined to the next with a space when it is "full" (at least 70 % of the page's
    long-line length), and it does not end a sentence before a capitalised line, and the next line
    does not start a clause, list item or bullet. Short lines (headings, table rows) stay as they are."""
    lines = text.split("\n")
    if len(lines) < 2:
        return text
    lengths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    if not lengths:
        return text
    full = 0.7 * lengths[int(0.9 * (len(lengths) - 1))]
    out = [lines[0]]
    for nxt in lines[1:]:
        cur = out[-1]
        c, n = cur.rstrip(), nxt.strip()
        join = (
            c and n and len(c.strip()) >= full and len(c.strip()) >= 30
            and not _ITEM_START.match(n)
            and not (c[-1] in ".!?:;" and not n[0].islower())
        )
        if join:
            out[-1] = c + " " + n
        else:
            out.append(nxt)
    return "\n".join(out)


# --- the document -----------------------------------------------------------------------------


def too_many_pages(count: int, limits: ExtractionLimits) -> ExtractionError:
    return ExtractionError(
        f"the PDF has {count:,} pages, over the limit of {limits.max_pdf_pages:,} pages; "
        "split it or upload only the contract part")


def _declared_pages(reader) -> int:
    """The page tree's /Count, read before pypdf walks (and flattens) the whole tree; 0 if unreadable."""
    try:
        count = reader.trailer["/Root"]["/Pages"]["/Count"]
        return int(count) if isinstance(count, int) else 0
    except Exception:  # noqa: BLE001 — a broken tree is reported by the full walk below
        return 0


def extract_pdf(data: bytes, limits: ExtractionLimits, budget: Budget, warnings: list[str]) -> ExtractedDocument:
    """Extract a PDF's text layer with a page map.

    Raises ExtractionError for a real password, too many pages, no text layer on any page, corrupt
    files, decompression bombs and when the time budget runs out (checked between pages).
    """
    reader, count = _open(data, limits, warnings)
    read = _read_pages(reader, count, budget)
    _reread_glued(data, read, budget)
    budget.check("the PDF")
    _check_some_text(read)
    if read.oversized:
        warnings.append(f"page(s) {_page_list(read.oversized)} skipped: their drawing instructions exceed "
                        f"{MAX_PAGE_CONTENT // MB} MB; their text is missing")
    if read.failed:
        warnings.append(f"page(s) {_page_list(read.failed)} could not be read (damaged); their text is missing")
    skipped = set(read.failed) | set(read.oversized)
    empty = [i + 1 for i, lines in enumerate(read.pages) if not "".join(lines).strip() and i + 1 not in skipped]
    if empty:
        warnings.append(f"no text layer on page(s) {_page_list(empty)} (scanned?); OCR is not enabled, "
                        "so their text is missing")
    out, page_map = _assemble(strip_furniture(read.pages), limits)
    sections = build_sections(line_markers(out), out)
    return ExtractedDocument(text=out, format="pdf", sections=sections, pages=page_map, warnings=tuple(warnings))


def _open(data: bytes, limits: ExtractionLimits, warnings: list[str]):
    """Open with pypdf, try the empty password, check the page count. Returns (reader, page count)."""
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warnings may quote document bytes
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except (DependencyError, NotImplementedError) as exc:
                raise ExtractionError(f"the PDF uses encryption we cannot open ({exc}); upload an unlocked copy") \
                    from None
            if not ok:
                raise ExtractionError(PASSWORD)
            warnings.append("the PDF is encrypted without an open password (permissions only); read it anyway")
        declared = _declared_pages(reader)
        if declared > limits.max_pdf_pages:
            raise too_many_pages(declared, limits)
        count = len(reader.pages)
    except ExtractionError:
        raise
    except FileNotDecryptedError:
        raise ExtractionError(PASSWORD) from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, EOFError,
            AssertionError, ZeroDivisionError, OverflowError, RecursionError, UnicodeError) as exc:
        raise corrupt(f"{type(exc).__name__}: {exc}") from None
    if count == 0:
        raise corrupt("no pages")
    if count > limits.max_pdf_pages:
        raise too_many_pages(count, limits)
    return reader, count


@dataclass
class _Read:
    pages: list[list[str]] = field(default_factory=list)  # lines per page
    failed: list[int] = field(default_factory=list)  # 1-based pages pypdf could not read
    oversized: list[int] = field(default_factory=list)  # 1-based pages over MAX_PAGE_CONTENT
    small: set[int] = field(default_factory=set)  # 0-based pages small enough for the pdfminer re-read


def _read_pages(reader, count: int, budget: Budget) -> _Read:
    """pypdf text of every page, checking the time budget between pages."""
    from pypdf.errors import FileNotDecryptedError, LimitReachedError

    read = _Read()
    for i in range(count):
        budget.check("the PDF")
        text = ""
        try:
            page = reader.pages[i]
            if _content_size(page) > MAX_PAGE_CONTENT:
                # pypdf parses content streams in Python: 70 MB of operators took 39 s here. Real
                # contract pages are tens of KB; a huge one is a drawing or an attack.
                read.oversized.append(i + 1)
            else:
                text = _page_text(page)
                if len(text) < 100_000:
                    read.small.add(i)
        except FileNotDecryptedError:
            raise ExtractionError(PASSWORD) from None
        except LimitReachedError:
            raise ExtractionError(
                f"page {i + 1} of the PDF holds a stream that expands past the safety limit (a decompression "
                "bomb?); re-export the PDF from the source application and upload again") from None
        except MemoryError:
            raise corrupt("page too large to read") from None
        except Exception:  # noqa: BLE001 — pypdf raises many kinds on broken pages
            read.failed.append(i + 1)
        read.pages.append(normalize_text(text).split("\n"))
    return read


def _reread_glued(data: bytes, read: _Read, budget: Budget) -> None:
    """Replace glued or one-word-per-line pages with pdfminer's text when that reads better."""
    glued = [i for i, lines in enumerate(read.pages) if i in read.small and _glued("\n".join(lines))][:200]
    if not glued:
        return
    try:
        better = _pdfminer_pages(data, glued, budget)
    except ExtractionError:
        raise
    except Exception:  # noqa: BLE001 — keep pypdf's text when pdfminer cannot read the page
        return
    for i, text in better.items():
        text = normalize_text(text)
        if text.strip() and not _glued(text):
            read.pages[i] = text.split("\n")


def _check_some_text(read: _Read) -> None:
    """Raise the right error when no page has any text."""
    if any("".join(lines).strip() for lines in read.pages):
        return
    if read.oversized:
        raise ExtractionError(
            f"the PDF's pages hold over {MAX_PAGE_CONTENT // MB} MB of drawing instructions each and were not "
            "read (a drawing, or a hostile file); upload a text-based PDF or the .docx")
    if read.failed:
        raise corrupt(f"no page could be read; first failure on page {read.failed[0]}")
    raise ExtractionError(
        "the PDF has no text layer (scanned images?); OCR is not enabled — upload a text-based PDF or the .docx")


def _assemble(pages: list[list[str]], limits: ExtractionLimits) -> tuple[str, tuple[Page, ...]]:
    """Join pages (hyphens repaired with the whole document's vocabulary, wrapped lines reflowed)
    into one text and its page map."""
    page_texts = ["\n".join(ln.rstrip() for ln in lines).strip("\n") for lines in pages]
    words = vocabulary("\n".join(page_texts))
    _join_across_pages(page_texts, words)
    builder = TextBuilder(limits.max_text_chars)
    page_map = []
    for number, page_text in enumerate(page_texts, start=1):
        fixed = reflow(repair_hyphens(page_text, words))
        if not fixed.strip():
            page_map.append(Page(number, builder.pos, builder.pos))  # no text: empty span, no separator
            continue
        start = builder.add(fixed)
        page_map.append(Page(number, start, builder.pos))
    return builder.text(), tuple(page_map)
