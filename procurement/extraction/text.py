"""Plain text, Markdown and HTML: decoding and heading detection from the text's own numbering."""
from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from .base import (
    ExtractedDocument,
    ExtractionError,
    ExtractionLimits,
    Marker,
    TextBuilder,
    build_sections,
    normalize_text,
    short_title,
    too_long,
)

# --- decoding ------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Decode text bytes: a BOM wins, then strict UTF-8, then UTF-16 without BOM (NUL pattern),
    then charset-normalizer's best guess with a warning. Raises ExtractionError when nothing fits."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), []
            except UnicodeDecodeError:
                raise ExtractionError(
                    f"the text file starts with a {enc.upper()} byte-order mark but is not valid {enc.upper()}; "
                    "re-save it as UTF-8 and upload again"
                ) from None
    sample = data[:4096]
    if len(sample) >= 4 and b"\0" in sample:
        for enc, zeros in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
            if zeros.count(0) > len(sample) // 4:
                try:
                    return data.decode(enc), [f"the text has no byte-order mark; read as {enc.upper()}"]
                except UnicodeDecodeError:
                    pass
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 2 * 1024 * 1024]).best()
    encoding = best.encoding if best is not None else None
    # charset-normalizer often guesses a cousin single-byte code page (cp775, cp850, latin-1…) for
    # short Western text; Windows-1252 is by far the most common non-UTF-8 encoding of contracts, so it
    # wins when it decodes cleanly and reads at least as plausibly.
    if encoding is None or encoding.replace("-", "_").lower() in _LATIN_COUSINS:
        try:
            cp1252 = data.decode("cp1252")
        except UnicodeDecodeError:
            cp1252 = None
        if cp1252 is not None:
            other = data.decode(encoding, errors="replace") if encoding else ""
            if _plausibility(cp1252) >= _plausibility(other):
                encoding = "cp1252"
    if encoding is None:
        raise ExtractionError("the text encoding could not be recognised; re-save the file as UTF-8 and upload again")
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        raise ExtractionError("the text encoding could not be recognised; re-save the file as UTF-8 and upload again") \
            from None
    return text, [f"the text is not UTF-8; decoded as {encoding} (best guess) — check the quoted text"]


_LATIN_COUSINS = {
    "cp775", "cp850", "cp852", "cp858", "cp437", "cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_1",
    "iso8859_2", "iso8859_4", "iso8859_9", "iso8859_13", "iso8859_15", "iso8859_16", "mac_roman", "mac_latin2",
    "windows_1252", "windows_1250", "windows_1257", "cp1258", "iso8859_10", "iso8859_14", "iso8859_3",
}
_PLAUSIBLE = set("€‚„…†‡‘’“”•–—™°§©®«»±µ·¼½¾¿¡ßœŒšŠžŽ") | {chr(c) for c in range(0xC0, 0x100)} - {"×", "÷"}


def _plausibility(text: str) -> int:
    """Count characters that Western contract text is made of (ASCII, Latin-1 letters, typographic
    punctuation); control and box-drawing characters count against."""
    score = 0
    for ch in text:
        if " " <= ch <= "~" or ch in "\n\t" or ch in _PLAUSIBLE:
            score += 1
        else:
            score -= 1
    return score


# --- headings in plain text ----------------------------------------------------------------------

_ROMAN = r"[IVXLCDM]{1,7}"
_RE_MD = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_RE_SCHEDULE = re.compile(
    r"^(Schedule|SCHEDULE|Annex|ANNEX|Appendix|APPENDIX|Exhibit|EXHIBIT|Attachment|ATTACHMENT)[ \t]+"
    r"([A-Z]|\d{1,3}|" + _ROMAN + r")\b[ \t]*[.:\-–—]?[ \t]*(.*)$"
)
_RE_ARTICLE = re.compile(r"^(Article|ARTICLE|Part|PART)[ \t]+(\d{1,3}|" + _ROMAN + r")\b[ \t]*[.:\-–—]?[ \t]*(.*)$")
_RE_SECTION = re.compile(r"^(?:Section|SECTION|Clause|CLAUSE|§)[ \t]*(\d{1,3}(?:\.\d{1,3})*)\.?[ \t]*[.:\-–—]?[ \t]*(.*)$")
_RE_DOTTED = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\.?[ \t]+(\S.*)$")
_RE_NUMBER = re.compile(r"^(\d{1,3})[.)][ \t]+(\S.*)$")
_RE_PAREN = re.compile(r"^\(([a-z]{1,2}|[ivx]{1,5}|[A-Z]|\d{1,2})\)[ \t]+(\S.*)$")

_ROMAN_SMALL = re.compile(r"^[ivx]{1,5}$")
# Only lines that can start a heading reach the per-line rules (keeps 10 MB texts fast).
_CANDIDATE = re.compile(
    r"^[ \t]*(?:[#(§\d]|Schedule|SCHEDULE|Annex|ANNEX|Appendix|APPENDIX|Exhibit|EXHIBIT|Attachment|ATTACHMENT"
    r"|Article|ARTICLE|Part|PART|Section|SECTION|Clause|CLAUSE)[^\n]*",
    re.M,
)


def _heading_like(rest: str) -> bool:
    """A short capitalised line without a final full stop ("Data use") reads as a heading."""
    rest = rest.strip()
    return 0 < len(rest) <= 60 and rest[0].isupper() and rest[-1] not in ".;:,"


def line_markers(text: str, *, base: int = 0, extra_depth: int = 0,
                 anchors: list[tuple[int, int]] = ()) -> list[Marker]:
    """Find section headings line by line in `text` (offsets shifted by `base`).

    Depths: Schedule/Annex 1, Article/Part 2, "1." 3, "2.1" 4, "2.1.1" 5, then "(a)" one below the
    last numbered heading and "(i)" one below a letter; markdown "#" headings use their level.
    Unlabelled numbers must continue the numbering (or read as a heading); `anchors` (offset, top clause number) feed in
    numbering found another way (Word's list numbering) so typed "5.1" under Word's "5." is kept.
    """
    markers: list[Marker] = []
    last_num_depth = 2
    pending_anchors = sorted(anchors, reverse=True)  # (offset, top number) of numbering found elsewhere
    last_paren: tuple[str, int] | None = None  # (kind, depth) of the last parenthesised item
    paren_depths: dict[str, int] = {}  # depth of each parenthesised kind below the current numbered heading
    last_top = 0  # the last top-level clause number seen ("5" for "5." or "5.2")
    prev_letter = ""
    for cand in _CANDIDATE.finditer(text):
        line = cand.group()
        s = line.strip()
        start = base + cand.start() + (len(line) - len(line.lstrip()))
        if not s or len(s) > 2000:
            continue
        while pending_anchors and pending_anchors[-1][0] <= start:
            last_top = pending_anchors.pop()[1]
        m = _RE_MD.match(s)
        if m:
            level = len(m.group(1))
            inner = m.group(2).strip()
            label, title = None, inner
            n = _RE_DOTTED.match(inner) or _RE_NUMBER.match(inner) or _RE_SECTION.match(inner)
            if n:
                label, title = n.group(1), n.group(2).strip() or None
            markers.append(Marker(start, extra_depth + level, label, title))
            paren_depths = {}
            last_num_depth, last_paren = extra_depth + level, None
            continue
        m = _RE_SCHEDULE.match(s)
        if m and len(s) < 160:
            label = f"{m.group(1)[0]}{m.group(1)[1:].lower()} {m.group(2)}"
            markers.append(Marker(start, extra_depth + 1, label, short_title(m.group(3)) if m.group(3) else None))
            paren_depths = {}
            last_top = 0  # schedules restart their numbering
            last_num_depth, last_paren = extra_depth + 1, None
            continue
        m = _RE_ARTICLE.match(s)
        if m and len(s) < 160:
            label = f"{m.group(1)[0]}{m.group(1)[1:].lower()} {m.group(2)}"
            markers.append(Marker(start, extra_depth + 2, label, short_title(m.group(3)) if m.group(3) else None))
            paren_depths = {}
            last_num_depth, last_paren = extra_depth + 2, None
            continue
        m = _RE_SECTION.match(s)
        keyword = m is not None
        m = m or _RE_DOTTED.match(s)
        if m:
            num = m.group(1)
            parts = [int(x) for x in num.split(".")]
            # "10.5 million users" at the start of a wrapped line is not clause 10.5: an unlabelled
            # dotted number must continue the numbering (same top number, or the next one starting at 1).
            if (keyword or parts[0] == last_top or (parts[-1] == 1 and parts[0] <= last_top + 1)
                    or _heading_like(m.group(2))):
                depth = extra_depth + 2 + num.count(".") + 1
                markers.append(Marker(start, depth, num, short_title(m.group(2))))
                paren_depths = {}
                last_num_depth, last_paren = depth, None
                last_top = parts[0]
                continue
        m = _RE_NUMBER.match(s)
        if m and int(m.group(1)) > 0:
            n = int(m.group(1))
            # Likewise "12. ..." after clause 3 is a wrapped reference, not a heading; lists restart at 1.
            if n == 1 or last_top < n <= last_top + 3 or _heading_like(m.group(2)):
                depth = extra_depth + 3
                markers.append(Marker(start, depth, m.group(1), short_title(m.group(2))))
                paren_depths = {}
                last_num_depth, last_paren = depth, None
                last_top = n
                continue
        m = _RE_PAREN.match(s)
        if m:
            tok = m.group(1)
            if tok.isdigit():
                kind = "digit"
            elif _ROMAN_SMALL.match(tok) and not (tok in ("i", "v", "x") and prev_letter and
                                                   ord(tok) == ord(prev_letter) + 1):
                kind = "roman"
            elif tok.isupper():
                kind = "upper"
            else:
                kind = "letter"
                prev_letter = tok if len(tok) == 1 else ""
            if last_paren is None:
                depth = last_num_depth + 1
            elif last_paren[0] == kind:
                depth = last_paren[1]
            else:
                # A new kind nests below the previous one, unless it was already seen above it.
                depth = paren_depths.get(kind, last_paren[1] + 1)
            paren_depths[kind] = depth
            markers.append(Marker(start, depth, f"({tok})", short_title(m.group(2))))
            last_paren = (kind, depth)
            if kind == "letter":
                prev_letter = tok if len(tok) == 1 else ""
            continue
    return markers


def extract_plain(text: str, fmt: str, limits: ExtractionLimits, warnings: list[str]) -> ExtractedDocument:
    """Normalise decoded text and find its sections ("txt" and "md")."""
    text = normalize_text(text)
    if len(text) > limits.max_text_chars:
        raise too_long(limits.max_text_chars)
    sections = build_sections(line_markers(text), text)
    return ExtractedDocument(text=text, format=fmt, sections=sections, warnings=tuple(warnings))


# --- HTML ----------------------------------------------------------------------------------------

_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot",
    "tr", "ul", "caption", "html", "center",
}
_SKIP = {"script", "style", "noscript", "template", "svg", "head", "object", "iframe", "math", "canvas"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr"}


class _HTMLText(HTMLParser):
    """Collect visible text as blocks; block elements end a line, cells are joined by " | "."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, int | None]] = []
        self.cur: list[str] = []
        self.skip = 0
        self.heading: int | None = None
        self.pre = 0
        self.cells = 0

    def flush(self):
        raw = "".join(self.cur)
        self.cur = []
        if self.pre:
            lines = [ln.rstrip() for ln in raw.split("\n")]
        else:
            lines = [" ".join(ln.split()) for ln in raw.split("\n")]
        text = "\n".join(ln for ln in lines if ln.strip())
        if text.strip():
            self.blocks.append((text.strip("\n"), self.heading))

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            if tag not in _VOID:
                self.skip += 1
            return
        if self.skip:
            return
        if tag == "br":
            self.cur.append("\n")
        elif tag in ("td", "th"):
            if self.cells:
                self.cur.append(" | ")
            self.cells += 1
        elif tag in _BLOCK:
            self.flush()
            if tag == "tr":
                self.cells = 0
            if tag == "pre":
                self.pre += 1
            if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
                self.heading = int(tag[1])

    def handle_startendtag(self, tag, attrs):
        if tag == "br" and not self.skip:
            self.cur.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            if tag not in _VOID and self.skip:
                self.skip -= 1
            return
        if self.skip:
            return
        if tag in _BLOCK:
            self.flush()
            if tag == "pre" and self.pre:
                self.pre -= 1
            if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
                self.heading = None

    def handle_data(self, data):
        if not self.skip:
            self.cur.append(data)


def extract_html(text: str, limits: ExtractionLimits, warnings: list[str]) -> ExtractedDocument:
    """Turn HTML into text (scripts and styles dropped; <h1>–<h6> and numbered lines become sections)."""
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    parser.flush()
    b = TextBuilder(limits.max_text_chars)
    heading_starts = set()
    for block, heading in parser.blocks:
        block = normalize_text(block)
        if heading:
            n = _RE_DOTTED.match(block) or _RE_NUMBER.match(block) or _RE_SECTION.match(block)
            label, title = (n.group(1), n.group(2).strip()) if n else (None, block.strip())
            heading_starts.add(b.add(block, depth=heading, label=label, title=short_title(title) or title[:120]))
        else:
            b.add(block)
    out = b.text()
    markers = [m for m in line_markers(out, extra_depth=6) if m.start not in heading_starts]
    sections = build_sections(b.markers + markers, out)
    return ExtractedDocument(text=out, format="html", sections=sections, warnings=tuple(warnings))
