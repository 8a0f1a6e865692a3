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
from .docx_numbering import format_number

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
        return _without_nul(data.decode("utf-8"), [])
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return _without_nul(*mostly)
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


def _without_nul(text: str, warnings: list[str]) -> tuple[str, list[str]]:
    """Drop NUL characters (a stray one does not make a text file binary); say how many went."""
    n = text.count("\0")
    if n:
        text = text.replace("\0", "")
        warnings = [*warnings, f"{n} NUL character(s) removed from the text"]
    return text, warnings


def _mostly_utf8(data: bytes) -> tuple[str, list[str]] | None:
    """Return (text, warnings) when `data` is UTF-8 apart from a few bad bytes, else None.

    UTF-8 with one damaged byte must not be re-read as a legacy code page (every curly quote would turn into
    three wrong characters). It counts as UTF-8 when it has valid multi-byte sequences and at most 3 bad
    sequences, or fewer bad sequences than one in a thousand bytes and fewer than valid multi-byte ones; the
    bad bytes become U+FFFD. A Windows-1252 file has no valid multi-byte sequences, so it stays with the
    charset guess."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if bad <= 0 or multibyte == 0:
        return None
    if bad <= 3 or (bad * 1000 < len(data) and bad < multibyte):
        return text, [f"{bad} byte sequence(s) were not valid UTF-8 and were replaced with \ufffd; "
                      "the rest was read as UTF-8"]
    return None


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
_RE_ALPHA_DOTTED = re.compile(r"^([A-Z]|[IVXLC]{1,6})((?:\.(?:\d{1,3}|[a-z]))+)\.?[ \t]+(\S.*)$")
_RE_ALPHA_TOP = re.compile(r"^([A-Z]|[IVXLC]{1,6})\.[ \t]+(\S.*)$")
_RE_LETTER_ITEM = re.compile(r"^([a-z]|[ivx]{1,5})[.)][ \t]+([A-Z“\"(].*)$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)[^\n]*\n.*?^[ \t]*\1[ \t]*$", re.M | re.S)
_BULLET = re.compile(r"^(?:[-*•–][ \t]+)+")
# Only lines that can start a heading reach the per-line rules (keeps 10 MB texts fast).
_CANDIDATE = re.compile(
    r"^[ \t]*(?:[-*•–][ \t]+)*(?:[#(§\d]|[A-Za-z]{1,6}[.)]|Schedule|SCHEDULE|Annex|ANNEX|Appendix|APPENDIX"
    r"|Exhibit|EXHIBIT|Attachment|ATTACHMENT|Article|ARTICLE|Part|PART|Section|SECTION|Clause|CLAUSE)[^\n]*",
    re.M,
)


def _heading_like(rest: str) -> bool:
    """A short capitalised line without a final full stop ("Data use") reads as a heading."""
    rest = rest.strip()
    return 0 < len(rest) <= 60 and rest[0].isupper() and rest[-1] not in ".;:,"


class _LineState:
    """Numbering context while scanning lines: what the next label may continue."""

    def __init__(self, extra_depth: int):
        self.extra = extra_depth
        self.markers: list[Marker] = []
        self.last_num_depth = extra_depth + 2
        self.last_top = 0  # last top-level clause number ("5" for "5." or "5.2")
        self.last_parts: tuple[int, ...] = ()  # last numeric label as numbers ((5, 2) for "5.2")
        self.last_alpha = ""  # last top-level letter/roman heading ("I" for "I." or "I.3.a")
        self.last_paren: tuple[str, int] | None = None  # (kind, depth) of the last list item
        self.paren_depths: dict[str, int] = {}
        self.prev_letter = ""
        self.heading_indent = 0
        self.indents: list[tuple[int, int]] = []  # (indent, depth) of open indented list items

    def heading(self, start: int, depth: int, label: str | None, title: str | None, indent: int = 0) -> None:
        self.markers.append(Marker(start, depth, label, title))
        self.paren_depths = {}
        self.indents = []
        self.heading_indent = indent
        self.last_num_depth, self.last_paren = depth, None

    def item(self, start: int, tok: str, rest: str, indent: int = 0) -> None:
        """A list item "(b)", "b)", "b." nested below the current heading (letters, romans, digits).

        Indented lists (plain-text and Markdown exports) nest by indentation; flush-left items by
        kind: letters below numbers, romans below letters."""
        if indent > self.heading_indent or self.indents:
            while self.indents and self.indents[-1][0] > indent:
                self.indents.pop()
            if self.indents and self.indents[-1][0] == indent:
                depth = self.indents[-1][1]
            else:
                depth = (self.indents[-1][1] if self.indents else self.last_num_depth) + 1
                self.indents.append((indent, depth))
            self.markers.append(Marker(start, depth, f"({tok})", short_title(rest)))
            return
        if tok.isdigit():
            kind = "digit"
        elif _ROMAN_SMALL.match(tok) and not (tok in ("i", "v", "x") and self.prev_letter
                                              and ord(tok) == ord(self.prev_letter) + 1):
            kind = "roman"
        elif tok.isupper():
            kind = "upper"
        else:
            kind = "letter"
        if self.last_paren is None:
            depth = self.last_num_depth + 1
        elif self.last_paren[0] == kind:
            depth = self.last_paren[1]
        else:
            # A new kind nests below the previous one, unless it was already seen above it.
            depth = self.paren_depths.get(kind, self.last_paren[1] + 1)
        self.paren_depths[kind] = depth
        self.markers.append(Marker(start, depth, f"({tok})", short_title(rest)))
        self.last_paren = (kind, depth)
        if kind == "letter":
            self.prev_letter = tok if len(tok) == 1 else ""


def line_markers(text: str, *, base: int = 0, extra_depth: int = 0,
                 anchors: list[tuple[int, int]] = ()) -> list[Marker]:
    """Find section headings line by line in `text` (offsets shifted by `base`).

    Recognised: markdown "#" headings (depth = level), Schedule/Annex/Appendix/Exhibit (1),
    Article/Part (2), "1." / "A." / "IV." (3), "2.1" / "I.2" (4), "2.1.1" / "I.3.a" (5), then list
    items "(a)", "a)", "a." one below the last heading and "(i)" one below a letter. A leading "- " or
    "• " bullet is ignored. Unlabelled numbers must continue the numbering or read as a heading, so
    "10.5 million users" on a wrapped line is not clause 10.5; `anchors` (offset, top clause number)
    feed in numbering found another way (Word's lists) so typed "5.1" under Word's "5." is kept.
    """
    st = _LineState(extra_depth)
    pending_anchors = sorted(anchors, reverse=True)
    x = extra_depth
    fences = [(f.start(), f.end()) for f in _FENCE.finditer(text)] if "```" in text or "~~~" in text else []
    for cand in _CANDIDATE.finditer(text):
        if fences and any(a <= cand.start() < b for a, b in fences):
            continue  # "# comment" inside a Markdown code block is not a heading
        line = cand.group()
        s = line.strip()
        start = base + cand.start() + (len(line) - len(line.lstrip()))
        if not s or len(s) > 2000:
            continue
        while pending_anchors and pending_anchors[-1][0] <= start:
            st.last_top = pending_anchors.pop()[1]
            st.last_parts = (st.last_top,)
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        m = _RE_MD.match(s)
        if m:
            inner = m.group(2).strip()
            label, title = None, inner
            n = _RE_DOTTED.match(inner) or _RE_NUMBER.match(inner) or _RE_SECTION.match(inner)
            if n:
                label, title = n.group(1), n.group(2).strip() or None
                st.last_parts = tuple(int(p) for p in label.split("."))
                st.last_top = st.last_parts[0]
            st.heading(start, x + len(m.group(1)), label, title)
            continue
        s = _BULLET.sub("", s)
        m = _RE_SCHEDULE.match(s)
        if m and len(s) < 160:
            label = f"{m.group(1)[0]}{m.group(1)[1:].lower()} {m.group(2)}"
            st.heading(start, x + 1, label, short_title(m.group(3)) if m.group(3) else None)
            st.last_top, st.last_alpha, st.last_parts = 0, "", ()  # schedules restart their numbering
            continue
        m = _RE_ARTICLE.match(s)
        if m and len(s) < 160:
            label = f"{m.group(1)[0]}{m.group(1)[1:].lower()} {m.group(2)}"
            st.heading(start, x + 2, label, short_title(m.group(3)) if m.group(3) else None)
            continue
        m = _RE_SECTION.match(s) or _RE_DOTTED.match(s)
        if m:
            num = m.group(1)
            parts = tuple(int(p) for p in num.split("."))
            rest = m.group(2)
            # A label must continue the numbering (same top number and further on, or the next top
            # number starting at 1) or read as a heading: "10.5 million users", "Section 8 or …" and
            # "11.4 (Survival), 12 (…)" at the start of wrapped lines are references, not clauses.
            continues = (parts[0] == st.last_top and parts > st.last_parts) or (
                parts[-1] == 1 and st.last_top < parts[0] <= st.last_top + 1)
            if continues or _heading_like(rest) or (not rest.strip() and len(parts) == 1):
                st.heading(start, x + 3 + num.count("."), num, short_title(rest))
                st.last_top, st.last_parts = parts[0], parts
                continue
        m = _RE_NUMBER.match(s)
        if m and int(m.group(1)) > 0:
            n = int(m.group(1))
            if st.last_top and indent > st.heading_indent:
                st.item(start, m.group(1), m.group(2), indent)  # an indented numbered list: "1(2)"
                continue
            # "12. ..." after clause 3 is a wrapped reference, not a heading; lists restart at 1.
            if n == 1 or st.last_top < n <= st.last_top + 3 or _heading_like(m.group(2)):
                st.heading(start, x + 3, m.group(1), short_title(m.group(2)), indent)
                st.last_top, st.last_parts = n, (n,)
                continue
        m = _RE_ALPHA_DOTTED.match(s)
        if m and (m.group(1) == st.last_alpha or _heading_like(m.group(3))):
            label = m.group(1) + m.group(2)
            st.heading(start, x + 3 + label.count("."), label, short_title(m.group(3)))
            st.last_alpha = m.group(1)
            continue
        m = _RE_ALPHA_TOP.match(s)
        if m and _heading_like(m.group(2)):
            st.heading(start, x + 3, m.group(1), short_title(m.group(2)))
            st.last_alpha = m.group(1)
            continue
        m = _RE_PAREN.match(s) or _RE_LETTER_ITEM.match(s)
        if m:
            st.item(start, m.group(1), m.group(2), indent)
    return st.markers


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
        self.lists: list[list] = []  # open <ol>/<ul>: [ordered, counter, type]
        self.prefix = ""  # the list label ("2. ", indented when nested) for the next block

    def flush(self):
        raw = "".join(self.cur)
        self.cur = []
        if self.pre:
            lines = [ln.rstrip() for ln in raw.split("\n")]
        else:
            lines = [" ".join(ln.split()) for ln in raw.split("\n")]
        text = "\n".join(ln for ln in lines if ln.strip())
        if text.strip():
            self.blocks.append((self.prefix + text.strip("\n"), self.heading))
            self.prefix = ""

    def list_item(self):
        """Start an <li>: the label a browser shows for <ol> items ("3.", "c.", "iii."), indented by
        nesting so nested lists become nested sections; <ul> items get no label."""
        depth = len(self.lists)
        indent = "    " * max(0, depth - 1)
        top = self.lists[-1] if self.lists else None
        if top and top[0]:
            top[1] += 1
            kind = {"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}.get(top[2], "decimal")
            self.prefix = f"{indent}{format_number(top[1], kind)}. "
        else:
            self.prefix = indent

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
        elif tag in ("ol", "ul"):
            self.flush()
            a = dict(attrs)
            start = a.get("start") or "1"
            self.lists.append([tag == "ol", int(start) - 1 if start.strip().isdigit() else 0, a.get("type") or "1"])
        elif tag == "li":
            self.flush()
            self.list_item()
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
        if tag in ("ol", "ul"):
            self.flush()
            if self.lists:
                self.lists.pop()
        elif tag in _BLOCK:
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
    anchors = [(m.start, int(m.label.split(".")[0])) for m in b.markers if m.label and m.label.split(".")[0].isdigit()]
    markers = [m for m in line_markers(out, extra_depth=6, anchors=anchors) if m.start not in heading_starts]
    sections = build_sections(b.markers + markers, out)
    return ExtractedDocument(text=out, format="html", sections=sections, warnings=tuple(warnings))
