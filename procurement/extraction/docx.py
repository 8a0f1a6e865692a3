"""Word .docx: guarded unzip, entity-free XML, body-order text with Word's list numbering.

We walk the WordprocessingML ourselves with lxml instead of python-docx's object API because the
API skips content controls (python-docx #155, #295), text boxes (#416) and tracked insertions
(#340, #1123) and loses auto-numbering (#92, #180, #1454); opening through python-docx would also
read every part (images included) into memory before we could bound it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .base import Budget, ExtractedDocument, ExtractionLimits, TextBuilder, build_sections, short_title
from .docx_numbering import Numbering, Style, _int, heading_level, parse_styles, style_numpr
from .docx_zip import MC_NS, REL_NS, W_NS, W_STRICT, GuardedZip, corrupt, parse_xml
from .text import line_markers

OFFICE_DOC = "/officeDocument"


# --- body walk -----------------------------------------------------------------------------------


@dataclass
class Para:
    text: str
    heading: int | None = None
    label: str | None = None
    ilvl: int | None = None
    merge_next: bool = False
    table_row: bool = False


class Tags:
    """Clark-notation tag names for one WordprocessingML namespace, built once (hot loop)."""

    NAMES = ("p", "tbl", "tr", "tc", "sdt", "sdtContent", "customXml", "smartTag", "ins", "del", "moveTo",
             "moveFrom", "pPr", "pStyle", "numPr", "numId", "ilvl", "val", "rPr", "r", "t", "tab", "br", "cr",
             "noBreakHyphen", "txbxContent", "vanish")

    def __init__(self, w: str):
        for name in self.NAMES:
            setattr(self, name, f"{{{w}}}{name}")
        self.alt = f"{{{MC_NS}}}AlternateContent"
        self.choice = f"{{{MC_NS}}}Choice"
        self.fallback = f"{{{MC_NS}}}Fallback"
        self.wrappers = {self.customXml, self.smartTag, self.ins, self.moveTo}
        self.revised = {self.ins, self.moveTo}
        self.removed = {getattr(self, "del"), self.moveFrom}
        self.breaks = {self.br, self.cr}
        # Not text in the accepted view, or not body text: deletions, field codes, footnote marks, rt.
        self.skip = {f"{{{w}}}{n}" for n in ("delText", "instrText", "delInstrText", "pPr", "rPr", "rt",
                                              "footnoteReference", "endnoteReference", "commentReference")}


@dataclass
class Walker:
    w: str
    styles: dict[str, Style]
    default_style: str | None
    numbering: Numbering
    budget: Budget
    revisions: int = 0
    out: list[Para] = field(default_factory=list)
    style_cache: dict = field(default_factory=dict)
    count: int = 0
    hidden: int = 0

    def __post_init__(self):
        self.t = Tags(self.w)

    def blocks(self, container, out: list[Para]) -> None:
        """Append the paragraphs of a block container (body, cell, text box, sdtContent) in order."""
        t = self.t
        for child in container:
            tag = child.tag
            if tag == t.p:
                self.paragraph(child, out)
            elif tag == t.tbl:
                self.table(child, out)
            elif tag == t.sdt:
                content = child.find(t.sdtContent)
                if content is not None:
                    self.blocks(content, out)
            elif tag in t.wrappers:
                if tag in t.revised:
                    self.revisions += 1
                self.blocks(child, out)
            elif tag in t.removed:
                self.revisions += 1
            elif tag == t.alt:
                branch = self.choose(child)
                if branch is not None:
                    self.blocks(branch, out)

    def choose(self, alt):
        """Take mc:Choice, or mc:Fallback when there is no Choice — never both (text boxes are stored twice)."""
        for branch in alt:
            if branch.tag == self.t.choice:
                return branch
        for branch in alt:
            if branch.tag == self.t.fallback:
                return branch
        return None

    def table(self, tbl, out: list[Para]) -> None:
        t = self.t
        for tr in self._iter(tbl, t.tr):
            cells = []
            for tc in self._iter(tr, t.tc):
                inner: list[Para] = []
                self.blocks(tc, inner)
                cells.append(" ".join(p.text for p in inner if p.text.strip()).replace("\n", " "))
            if any(c.strip() for c in cells):
                out.append(Para(" | ".join(cells), table_row=True))
            self.budget.check("the .docx")

    def _iter(self, parent, tag):
        """Children named `tag`, looking through sdt/customXml/ins wrappers."""
        t = self.t
        for child in parent:
            if child.tag == tag:
                yield child
            elif child.tag == t.sdt:
                content = child.find(t.sdtContent)
                if content is not None:
                    yield from self._iter(content, tag)
            elif child.tag in t.wrappers:
                yield from self._iter(child, tag)
            elif child.tag == t.alt:
                branch = self.choose(child)
                if branch is not None:
                    yield from self._iter(branch, tag)

    def style_info(self, sid: str | None):
        """(numId, ilvl, owning style, heading level) of a paragraph style, cached."""
        info = self.style_cache.get(sid)
        if info is None:
            info = self.style_cache[sid] = (*style_numpr(self.styles, sid), heading_level(self.styles, sid))
        return info

    def paragraph(self, p, out: list[Para]) -> None:
        t = self.t
        self.count += 1
        if self.count % 512 == 0:
            self.budget.check("the .docx")
        ppr = p.find(t.pPr)
        sid = num_id = None
        ilvl = None
        merge_next = False
        if ppr is not None:
            ps = ppr.find(t.pStyle)
            sid = ps.get(t.val) if ps is not None else None
            numpr = ppr.find(t.numPr)
            if numpr is not None:
                n = numpr.find(t.numId)
                i = numpr.find(t.ilvl)
                num_id = n.get(t.val) if n is not None else None
                ilvl = _int(i.get(t.val), None) if i is not None else None
            rpr = ppr.find(t.rPr)
            if rpr is not None and rpr.find(getattr(t, "del")) is not None:
                merge_next = True  # the paragraph mark itself is a tracked deletion
                self.revisions += 1
        sid = sid or self.default_style
        s_num, s_ilvl, owner, heading = self.style_info(sid)
        label_style = None
        if num_id is None:
            num_id = s_num
            label_style = owner
        if ilvl is None:
            ilvl = s_ilvl
        pieces: list[str] = []
        deferred: list = []
        self.inline(p, pieces, deferred)
        text = "".join(pieces)
        label = None
        lvl = None
        if num_id and num_id != "0" and text.strip():
            got = self.numbering.label(num_id, ilvl, label_style or sid)
            if got is not None:
                label, lvl = got
                if label:
                    text = label + self.numbering.suffix(num_id, lvl) + text.lstrip()
        out.append(Para(text, heading=heading, label=label, ilvl=lvl, merge_next=merge_next))
        for box in deferred:
            self.blocks(box, out)

    def inline(self, el, pieces: list[str], deferred: list) -> None:
        """Collect run text of a paragraph in order; text boxes are deferred as blocks."""
        t = self.t
        in_run = el.tag == t.r
        for child in el:
            tag = child.tag
            if tag == t.t:
                pieces.append(child.text or "")
            elif tag in t.skip:
                continue
            elif tag == t.tab:
                if in_run:
                    pieces.append("\t")
            elif tag in t.breaks:
                pieces.append("\n")
            elif tag == t.noBreakHyphen:
                pieces.append("-")
            elif tag in t.removed:
                self.revisions += 1
            elif tag == t.txbxContent:
                deferred.append(child)
            elif tag == t.alt:
                branch = self.choose(child)
                if branch is not None:
                    self.inline(branch, pieces, deferred)
            elif isinstance(tag, str):
                if tag in t.revised:
                    self.revisions += 1
                if tag == t.r and self._hidden(child):
                    self.hidden += 1
                    continue
                if len(child):
                    self.inline(child, pieces, deferred)

    def _hidden(self, r) -> bool:
        """True for a run formatted as hidden text (w:vanish), which Word does not show or print."""
        rpr = r.find(self.t.rPr)
        if rpr is None:
            return False
        v = rpr.find(self.t.vanish)
        return v is not None and v.get(self.t.val) not in ("0", "false", "off")


def _main_part(gz: GuardedZip) -> str:
    rels = gz.read("_rels/.rels")
    if rels:
        root = parse_xml(rels, "_rels/.rels")
        for rel in root.iter(f"{{{REL_NS}}}Relationship"):
            if (rel.get("Type") or "").endswith(OFFICE_DOC) and rel.get("TargetMode") != "External":
                target = (rel.get("Target") or "").lstrip("/")
                if target and (target in gz.names or target.lower() in gz.lower):
                    return target
    return "word/document.xml"


def extract_docx(data: bytes, limits: ExtractionLimits, budget: Budget, warnings: list[str]) -> ExtractedDocument:
    """Extract a .docx: body paragraphs, tables, content controls and text boxes in order (headers,
    footers, comments and footnotes excluded), tracked changes accepted, numbering labels prefixed.

    Raises ExtractionError for zip bombs, unsafe names, DTD/entity XML and corrupt files.
    """
    walker, body = _open(data, limits, budget)
    paras: list[Para] = []
    walker.blocks(body, paras)
    if walker.revisions:
        warnings.append(f"{walker.revisions} unresolved revisions (tracked changes); read as if all were accepted")
    if walker.hidden:
        warnings.append(f"{walker.hidden} runs of hidden text (not shown by Word) were left out")
    builder, structured = _assemble(paras, limits)
    out = builder.text()
    # Numbers typed by hand ("5.", "(b)") in unnumbered paragraphs nest below Word's own structure.
    anchors = [(m.start, int(n.group())) for m in builder.markers if m.label and (n := re.match(r"\d+", m.label))]
    typed = [m for m in line_markers(out, extra_depth=20, anchors=anchors) if m.start not in structured]
    return ExtractedDocument(text=out, format="docx", sections=build_sections(builder.markers + typed, out),
                             warnings=tuple(warnings))


def _open(data: bytes, limits: ExtractionLimits, budget: Budget):
    """Check the zip, parse the main part, styles and numbering. Returns (walker, body element)."""
    gz = GuardedZip(data, limits)
    main = _main_part(gz)
    raw = gz.read(main)
    if raw is None:
        raise corrupt("no word/document.xml")
    doc = parse_xml(raw, main)
    w = doc.nsmap.get("w") or W_NS
    if w not in (W_NS, W_STRICT):
        w = W_NS
    folder = main.rsplit("/", 1)[0] + "/" if "/" in main else ""
    styles_raw = gz.read(folder + "styles.xml")
    num_raw = gz.read(folder + "numbering.xml")
    styles, default, numbering_styles = parse_styles(parse_xml(styles_raw, "styles.xml") if styles_raw else None, w)
    numbering = Numbering(parse_xml(num_raw, "numbering.xml") if num_raw else None, styles, numbering_styles, w)
    budget.check("the .docx")
    body = doc.find(f"{{{w}}}body")
    if body is None:
        raise corrupt("the document has no body")
    return Walker(w, styles, default, numbering, budget), body


def _assemble(paras: list[Para], limits: ExtractionLimits) -> tuple[TextBuilder, set[int]]:
    """Build the text, one paragraph a line: headings (depth = level) and Word-numbered paragraphs
    (depth 10 + list level) become section markers. Returns the builder and the start offsets of
    structured lines (numbered, headings, table rows) that typed-number detection must skip."""
    builder = TextBuilder(limits.max_text_chars)
    structured: set[int] = set()
    pending = ""
    for para in paras:
        if para.merge_next:  # deleted paragraph mark: the text runs on into the next paragraph
            pending += para.text
            continue
        text, pending = pending + para.text, ""
        if not text.strip():
            continue
        shown = para.label if para.label and any(ch.isalnum() for ch in para.label) else None
        depth = para.heading if para.heading is not None else (
            10 + para.ilvl if shown and para.ilvl is not None else None)
        label = title = None
        if depth is not None:
            label = _clean_label(shown) if shown else None
            body_text = text[len(para.label):].strip() if para.label and text.startswith(para.label) else text.strip()
            if label is None and para.heading is not None:
                label, body_text = _typed_label(body_text)
            title = body_text if para.heading is not None else short_title(body_text)
            title = " ".join(title.split())[:200] if title else None
        start = builder.add(text, depth=depth, label=label, title=title)
        if depth is not None or para.table_row or (para.label and para.label != "•"):
            structured.add(start)
    if pending.strip():
        builder.add(pending)
    return builder, structured


_TYPED = re.compile(r"^(?:(?:Section|Clause|SECTION|CLAUSE)\s+)?(\d{1,3}(?:\.\d{1,3})*)\.?\s+(\S.*)$")
_TYPED_NAMED = re.compile(
    r"^(Schedule|Annex|Appendix|Exhibit|Attachment|Article|Part)\s+([A-Z]|\d{1,3}|[IVXLC]{1,7})\b"
    r"\s*[.:\-–—]?\s*(.*)$",
    re.I,
)


def _typed_label(text: str) -> tuple[str | None, str]:
    """Split a hand-typed number off a heading: "5. Data" → ("5", "Data"),
    "Schedule 1 — Subprocessors" → ("Schedule 1", "Subprocessors")."""
    m = _TYPED.match(text)
    if m:
        return m.group(1), m.group(2).strip()
    m = _TYPED_NAMED.match(text)
    if m:
        word = m.group(1).capitalize()
        return f"{word} {m.group(2).upper()}", m.group(3).strip() or text
    return None, text


def _clean_label(shown: str) -> str:
    """"5." -> "5", "5.1" -> "5.1", "(b)" -> "(b)", "b)" -> "(b)", "Article 3." -> "Article 3"."""
    s = shown.strip().rstrip(".:").strip()
    if s.endswith(")") and not s.startswith("("):
        s = "(" + s
    return s
