"""Word .docx: guarded unzip, entity-free XML, body-order text with Word's list numbering.

We walk the WordprocessingML ourselves with lxml instead of python-docx's object API because the
API skips content controls (python-docx #155, #295), text boxes (#416) and tracked insertions
(#340, #1123) and loses auto-numbering (#92, #180, #1454); opening through python-docx would also
read every part (images included) into memory before we could bound it.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from .base import MB, Budget, ExtractedDocument, ExtractionError, ExtractionLimits, TextBuilder, build_sections, \
    short_title

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOC = "/officeDocument"

CORRUPT = "re-save it from Word and upload again"


def corrupt(detail: str) -> ExtractionError:
    """The one error for a .docx we cannot read."""
    detail = " ".join(str(detail).split())[:160]
    return ExtractionError(f"the .docx file is corrupt or not a Word document ({detail}); {CORRUPT}")


# --- zip guard -----------------------------------------------------------------------------------


class GuardedZip:
    """A zip whose directory passed the bomb checks and whose members are read with a byte cap."""

    def __init__(self, data: bytes, limits: ExtractionLimits):
        self.limits = limits
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
            raise corrupt(f"bad zip: {exc}") from None
        if len(infos) > limits.max_zip_members:
            raise ExtractionError(
                f"the .docx holds {len(infos):,} parts, over the limit of {limits.max_zip_members:,}; "
                "this is not a normal Word file — re-save it from Word and upload again")
        total = 0
        for info in infos:
            name = info.filename
            if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in re.split(r"[/\\]", name):
                raise ExtractionError(f"the .docx contains an unsafe part name ({name[:60]!r}); {CORRUPT}")
            total += info.file_size
            ratio_ok = info.file_size <= MB or info.file_size <= max(info.compress_size, 1) * limits.max_zip_ratio
            if not ratio_ok:
                raise bomb(limits, f"a part expands {info.file_size // max(info.compress_size, 1):,}×")
        if total > limits.max_unzipped_bytes:
            raise bomb(limits, f"it would expand to {total / MB:,.0f} MB")
        if total > MB and total > max(len(data), 1) * limits.max_zip_ratio:
            raise bomb(limits, f"it expands {total // max(len(data), 1):,}× its size")
        self.names = {i.filename for i in infos}
        self.lower = {n.lower(): n for n in self.names}
        self.budget = limits.max_unzipped_bytes

    def read(self, name: str) -> bytes | None:
        """Return the bytes of member `name` (None when absent), stopping at the unzipped-bytes cap."""
        real = name if name in self.names else self.lower.get(name.lower())
        if real is None:
            return None
        chunks, size = [], 0
        try:
            with self.zf.open(real) as fh:
                while True:
                    chunk = fh.read(256 * 1024)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > self.budget:
                        raise bomb(self.limits, "a part inflates past its declared size")
                    chunks.append(chunk)
        except ExtractionError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
            raise corrupt(f"{real}: {exc}") from None
        self.budget -= size
        return b"".join(chunks)


def bomb(limits: ExtractionLimits, why: str) -> ExtractionError:
    return ExtractionError(
        f"the .docx looks like a zip bomb ({why}; limits {limits.max_unzipped_bytes / MB:,.0f} MB unzipped, "
        f"ratio {limits.max_zip_ratio}); upload the original document re-saved from Word")


# --- safe XML ------------------------------------------------------------------------------------

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                          huge_tree=False, remove_comments=True, remove_pis=True)
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


def parse_xml(raw: bytes, part: str):
    """Parse one XML part, refusing any DTD or entity declaration (billion laughs, XXE) before
    the parser sees it. Raises ExtractionError."""
    probe = raw
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or raw[:200].count(0) > 20:
        try:
            probe = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise corrupt(f"{part}: undecodable XML") from None
    if _DTD.search(probe):
        raise ExtractionError(
            f"the .docx contains a DTD or entity declaration in {part} (possible XML entity attack); "
            "it is refused — re-save the document from Word and upload again")
    try:
        root = etree.fromstring(raw, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise corrupt(f"{part}: {exc}") from None
    if root is None:
        raise corrupt(f"{part}: empty XML")
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        raise ExtractionError(f"the .docx contains a DTD in {part}; it is refused — re-save it from Word and upload again")
    return root


# --- numbering -----------------------------------------------------------------------------------


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    pstyle: str | None = None
    restart: int | None = None
    legal: bool = False
    suffix: str = "tab"


@dataclass
class Style:
    sid: str
    name: str = ""
    based_on: str | None = None
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None


def _roman(n: int) -> str:
    vals = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
            (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out = []
    for v, s in vals:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter: a..z, aa..zz, aaa..
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """Render counter `n` in Word's numFmt (decimal, lowerLetter, upperRoman, ...)."""
    if fmt in ("lowerLetter",):
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n) if n > 0 else "0"
    if fmt == "upperRoman":
        return _roman(n).upper() if n > 0 else "0"
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    if fmt == "ordinal":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    return str(n)


class Numbering:
    """numbering.xml + paragraph styles: resolves a paragraph's list label as Word shows it."""

    def __init__(self, num_root, styles: dict[str, Style], numbering_styles: dict[str, str], w: str):
        self.w = w
        self.styles = styles
        self.abstract: dict[str, dict[int, Level]] = {}
        self.style_link: dict[str, str] = {}  # styleLink name -> abstract id
        self.num_style_link: dict[str, str] = {}  # abstract id -> numStyleLink name
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[tuple, dict[int, int]] = {}
        self.numbering_styles = numbering_styles
        if num_root is None:
            return
        q = self.q
        for an in num_root.iter(q("abstractNum")):
            aid = an.get(q("abstractNumId"))
            levels: dict[int, Level] = {}
            for lvl in an.iter(q("lvl")):
                levels[_int(lvl.get(q("ilvl")), 0)] = self._level(lvl)
            self.abstract[aid] = levels
            link = an.find(q("styleLink"))
            if link is not None:
                self.style_link[link.get(q("val"))] = aid
            link = an.find(q("numStyleLink"))
            if link is not None:
                self.num_style_link[aid] = link.get(q("val"))
        for num in num_root.iter(q("num")):
            nid = num.get(q("numId"))
            ref = num.find(q("abstractNumId"))
            if ref is None:
                continue
            overrides: dict[int, int] = {}
            for ov in num.iter(q("lvlOverride")):
                so = ov.find(q("startOverride"))
                lv = ov.find(q("lvl"))
                il = _int(ov.get(q("ilvl")), 0)
                if lv is not None:
                    self.abstract.setdefault(f"override:{nid}", {})[il] = self._level(lv)
                if so is not None:
                    overrides[il] = _int(so.get(q("val")), 1)
            self.nums[nid] = (ref.get(q("val")), overrides)

    def q(self, tag: str) -> str:
        return f"{{{self.w}}}{tag}"

    def _level(self, lvl) -> Level:
        q = self.q

        def val(tag):
            el = next(lvl.iter(q(tag)), None)
            return None if el is None else el.get(q("val"))

        restart = val("lvlRestart")
        return Level(
            start=_int(val("start"), 1),
            fmt=val("numFmt") or "decimal",
            text=val("lvlText") if val("lvlText") is not None else "",
            pstyle=val("pStyle"),
            restart=_int(restart, None) if restart is not None else None,
            legal=next(lvl.iter(q("isLgl")), None) is not None,
            suffix=val("suff") or "tab",
        )

    def _abstract_id(self, num_id: str) -> str | None:
        entry = self.nums.get(num_id)
        if entry is None:
            return None
        aid = entry[0]
        seen = set()
        # numStyleLink: the abstract only points at a numbering style whose own num holds the levels.
        while aid in self.num_style_link and aid not in seen:
            seen.add(aid)
            link = self.num_style_link[aid]
            if link in self.style_link:
                aid = self.style_link[link]
                break
            nid = self.numbering_styles.get(link)
            if nid is None or nid not in self.nums:
                break
            aid = self.nums[nid][0]
        return aid

    def label(self, num_id: str, ilvl: int | None, style_id: str | None) -> tuple[str, int] | None:
        """Advance the counters for a paragraph at (num_id, ilvl) and return (label, ilvl)."""
        if not num_id or num_id == "0":
            return None
        aid = self._abstract_id(num_id)
        if aid is None or aid not in self.abstract:
            return None
        levels = dict(self.abstract[aid])
        levels.update(self.abstract.get(f"override:{num_id}", {}))
        if ilvl is None:
            ilvl = next((i for i, lv in levels.items() if style_id and lv.pstyle == style_id), 0)
        ilvl = max(0, min(ilvl, 8))
        level = levels.get(ilvl)
        if level is None:
            return None
        overrides = self.nums[num_id][1]
        key = (aid, num_id) if overrides else (aid,)
        counters = self.counters.get(key)
        if counters is None:
            counters = self.counters[key] = {}
            for il, start in overrides.items():
                counters[il] = start - 1
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in list(counters):
            if deeper > ilvl:
                lv = levels.get(deeper)
                if lv is None or lv.restart is None or lv.restart != 0 and lv.restart > ilvl:
                    # lvlRestart=0 means never restart; default restarts after any higher level.
                    del counters[deeper]
        if level.fmt == "bullet":
            return ("•" if not level.text or not level.text.isprintable() or ord(level.text[:1] or " ") > 0xE000
                    else level.text), ilvl

        def sub(m):
            k = int(m.group(1)) - 1
            lv = levels.get(k, Level())
            n = counters.get(k, lv.start)
            fmt = "decimal" if level.legal and lv.fmt not in ("decimalZero",) else lv.fmt
            return format_number(n, fmt)

        text = re.sub(r"%([1-9])", sub, level.text)
        return text, ilvl

    def suffix(self, num_id: str, ilvl: int) -> str:
        aid = self._abstract_id(num_id)
        lv = self.abstract.get(aid or "", {}).get(ilvl)
        return {"space": " ", "nothing": ""}.get(lv.suffix if lv else "tab", " ")


def _int(v, default):
    try:
        return int(v)
    except (TypeError, ValueError):
        return default


def parse_styles(root, w: str) -> tuple[dict[str, Style], str | None, dict[str, str]]:
    """Return (paragraph styles by id, default paragraph style id, numbering-style id -> numId)."""
    styles: dict[str, Style] = {}
    numbering_styles: dict[str, str] = {}
    default = None
    if root is None:
        return styles, None, numbering_styles
    q = lambda t: f"{{{w}}}{t}"  # noqa: E731
    for st in root.iter(q("style")):
        sid = st.get(q("styleId"))
        kind = st.get(q("type"))
        ppr = st.find(q("pPr"))
        numpr = ppr.find(q("numPr")) if ppr is not None else None
        num_id = ilvl = None
        if numpr is not None:
            n = numpr.find(q("numId"))
            i = numpr.find(q("ilvl"))
            num_id = n.get(q("val")) if n is not None else None
            ilvl = _int(i.get(q("val")), None) if i is not None else None
        if kind == "numbering":
            if num_id:
                numbering_styles[sid] = num_id
            continue
        if kind != "paragraph" or not sid:
            continue
        name_el = st.find(q("name"))
        based = st.find(q("basedOn"))
        outline = ppr.find(q("outlineLvl")) if ppr is not None else None
        styles[sid] = Style(
            sid=sid,
            name=(name_el.get(q("val")) or "") if name_el is not None else "",
            based_on=based.get(q("val")) if based is not None else None,
            num_id=num_id,
            ilvl=ilvl,
            outline=_int(outline.get(q("val")), None) if outline is not None else None,
        )
        if st.get(q("default")) in ("1", "true", "on"):
            default = sid
    return styles, default, numbering_styles


_HEADING = re.compile(r"^heading\s*([1-9])$", re.I)


def style_chain(styles: dict[str, Style], sid: str | None):
    """Yield the style and its basedOn ancestors (cycle-safe)."""
    seen = set()
    while sid and sid in styles and sid not in seen:
        seen.add(sid)
        yield styles[sid]
        sid = styles[sid].based_on


def heading_level(styles: dict[str, Style], sid: str | None) -> int | None:
    """Heading level of a paragraph style: "heading N" by name or id, else an outline level (inherited)."""
    for st in style_chain(styles, sid):
        m = _HEADING.match(st.name) or _HEADING.match(st.sid)
        if m:
            return int(m.group(1))
        if st.outline is not None and 0 <= st.outline < 9:
            return st.outline + 1
    return None


def style_numpr(styles: dict[str, Style], sid: str | None) -> tuple[str | None, int | None, str | None]:
    """Return (numId, ilvl, style id that carries it) inherited through basedOn."""
    num_id = ilvl = None
    owner = None
    for st in style_chain(styles, sid):
        if num_id is None and st.num_id is not None:
            num_id, owner = st.num_id, st.sid
        if ilvl is None and st.ilvl is not None:
            ilvl = st.ilvl
    return num_id, ilvl, owner


# --- body walk -----------------------------------------------------------------------------------


@dataclass
class Para:
    text: str
    heading: int | None = None
    label: str | None = None
    ilvl: int | None = None
    merge_next: bool = False
    table_row: bool = False


@dataclass
class Walker:
    w: str
    styles: dict[str, Style]
    default_style: str | None
    numbering: Numbering
    budget: Budget
    revisions: int = 0
    out: list[Para] = field(default_factory=list)

    def q(self, tag: str) -> str:
        return f"{{{self.w}}}{tag}"

    def blocks(self, container, out: list[Para]) -> None:
        """Append the paragraphs of a block container (body, cell, text box, sdtContent) in order."""
        q = self.q
        for child in container:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == q("p"):
                self.paragraph(child, out)
            elif tag == q("tbl"):
                self.table(child, out)
            elif tag == q("sdt"):
                content = child.find(q("sdtContent"))
                if content is not None:
                    self.blocks(content, out)
            elif tag in (q("customXml"), q("ins"), q("moveTo"), q("smartTag")):
                if tag != q("customXml") and tag != q("smartTag"):
                    self.revisions += 1
                self.blocks(child, out)
            elif tag in (q("del"), q("moveFrom")):
                self.revisions += 1
            elif tag == f"{{{MC_NS}}}AlternateContent":
                branch = self.choose(child)
                if branch is not None:
                    self.blocks(branch, out)

    @staticmethod
    def choose(alt):
        """Take mc:Choice, or mc:Fallback when there is no Choice — never both (text boxes are stored twice)."""
        for branch in alt:
            if branch.tag == f"{{{MC_NS}}}Choice":
                return branch
        for branch in alt:
            if branch.tag == f"{{{MC_NS}}}Fallback":
                return branch
        return None

    def table(self, tbl, out: list[Para]) -> None:
        q = self.q
        for tr in self._iter(tbl, q("tr")):
            cells = []
            for tc in self._iter(tr, q("tc")):
                inner: list[Para] = []
                self.blocks(tc, inner)
                cells.append(" ".join(p.text for p in inner if p.text.strip()).replace("\n", " "))
            if any(c.strip() for c in cells):
                out.append(Para(" | ".join(cells), table_row=True))
            self.budget.check("the .docx")

    def _iter(self, parent, tag):
        """Children named `tag`, looking through sdt/customXml/ins wrappers."""
        q = self.q
        for child in parent:
            if child.tag == tag:
                yield child
            elif child.tag == q("sdt"):
                content = child.find(q("sdtContent"))
                if content is not None:
                    yield from self._iter(content, tag)
            elif child.tag in (q("customXml"), q("ins"), q("moveTo")):
                yield from self._iter(child, tag)
            elif child.tag == f"{{{MC_NS}}}AlternateContent":
                branch = self.choose(child)
                if branch is not None:
                    yield from self._iter(branch, tag)

    def paragraph(self, p, out: list[Para]) -> None:
        q = self.q
        ppr = p.find(q("pPr"))
        sid = num_id = None
        ilvl = None
        merge_next = False
        if ppr is not None:
            ps = ppr.find(q("pStyle"))
            sid = ps.get(q("val")) if ps is not None else None
            numpr = ppr.find(q("numPr"))
            if numpr is not None:
                n = numpr.find(q("numId"))
                i = numpr.find(q("ilvl"))
                num_id = n.get(q("val")) if n is not None else None
                ilvl = _int(i.get(q("val")), None) if i is not None else None
            rpr = ppr.find(q("rPr"))
            if rpr is not None and rpr.find(q("del")) is not None:
                merge_next = True  # the paragraph mark itself is a tracked deletion
                self.revisions += 1
        sid = sid or self.default_style
        s_num, s_ilvl, owner = style_numpr(self.styles, sid)
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
        heading = heading_level(self.styles, sid)
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
        q = self.q
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == q("t"):
                pieces.append(child.text or "")
            elif tag == q("tab") and el.tag == q("r"):
                pieces.append("\t")
            elif tag in (q("br"), q("cr")):
                pieces.append("\n")
            elif tag == q("noBreakHyphen"):
                pieces.append("-")
            elif tag in (q("del"), q("moveFrom")):
                self.revisions += 1
            elif tag in (q("delText"), q("instrText"), q("delInstrText"), q("pPr"), q("rPr"),
                         q("footnoteReference"), q("endnoteReference"), q("commentReference")):
                continue
            elif tag == q("txbxContent"):
                deferred.append(child)
            elif tag == f"{{{MC_NS}}}AlternateContent":
                branch = self.choose(child)
                if branch is not None:
                    self.inline(branch, pieces, deferred)
            else:
                if tag in (q("ins"), q("moveTo")):
                    self.revisions += 1
                self.inline(child, pieces, deferred)


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
    walker = Walker(w, styles, default, numbering, budget)
    paras: list[Para] = []
    walker.blocks(body, paras)
    builder = TextBuilder(limits.max_text_chars)
    pending = ""
    for para in paras:
        if para.merge_next:
            pending += para.text
            continue
        text = pending + para.text
        pending = ""
        if not text.strip():
            continue
        depth = label = title = None
        shown = para.label
        if para.heading is not None:
            depth = para.heading
        elif shown and shown != "•" and para.ilvl is not None and any(ch.isalnum() for ch in shown):
            depth = 10 + para.ilvl
        if depth is not None:
            if shown and any(ch.isalnum() for ch in shown):
                label = _clean_label(shown)
            body_text = text[len(shown):].strip() if shown and text.startswith(shown) else text.strip()
            title = body_text if para.heading is not None else short_title(body_text)
            title = " ".join(title.split())[:200] if title else None
        builder.add(text, depth=depth, label=label, title=title)
    if pending.strip():
        builder.add(pending)
    if walker.revisions:
        warnings.append(f"{walker.revisions} unresolved revisions (tracked changes); read as if all were accepted")
    out = builder.text()
    return ExtractedDocument(text=out, format="docx", sections=build_sections(builder.markers, out),
                             warnings=tuple(warnings))


def _clean_label(shown: str) -> str:
    """"5." -> "5", "5.1" -> "5.1", "(b)" -> "(b)", "b)" -> "(b)", "Article 3." -> "Article 3"."""
    s = shown.strip().rstrip(".:").strip()
    if s.endswith(")") and not s.startswith("("):
        s = "(" + s
    return s
