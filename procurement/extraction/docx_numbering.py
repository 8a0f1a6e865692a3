"""Word list numbering: styles.xml + numbering.xml → the label Word shows ("5.", "5.1", "(b)").

Resolves w:numPr on the paragraph or inherited from its style (basedOn chain), abstractNum levels,
numStyleLink/styleLink indirection, lvlOverride/startOverride, lvlRestart, isLgl, and counters that
reset when a higher level advances (python-docx #92, #180, #471, #554, #1454 lose all of this).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

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


