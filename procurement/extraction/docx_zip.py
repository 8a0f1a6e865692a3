"""Guarded access to a .docx zip and entity-free XML parsing (zip bombs, billion laughs, XXE).

The zip directory is checked before anything is inflated (member count, declared sizes, ratio, names)
and members are read through a byte cap because declared sizes can lie (OWASP; python-docx took 31 s
and 1.15 GB on a 399 KB bomb here).
"""
from __future__ import annotations

import io
import re
import struct
import zipfile

from lxml import etree

from .base import MB, ExtractionError, ExtractionLimits

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

CORRUPT = "re-save it from Word and upload again"


def corrupt(detail: str) -> ExtractionError:
    """The one error for a .docx we cannot read."""
    detail = " ".join(str(detail).split())[:160]
    return ExtractionError(f"the .docx file is corrupt or not a Word document ({detail}); {CORRUPT}")


# --- zip guard -----------------------------------------------------------------------------------


def zip_entry_count(data: bytes) -> int | None:
    """Entry count from the zip's end-of-central-directory record (zip64 aware), read before
    `zipfile` builds one object per entry; None when the record is not found."""
    pos = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
    if pos < 0 or len(data) < pos + 22:
        return None
    count = struct.unpack_from("<H", data, pos + 10)[0]
    if count == 0xFFFF:
        loc = data.rfind(b"PK\x06\x07", max(0, pos - 20), pos)
        if loc >= 0 and len(data) >= loc + 16:
            z64 = struct.unpack_from("<Q", data, loc + 8)[0]
            if z64 + 40 <= len(data) and data[z64:z64 + 4] == b"PK\x06\x06":
                return struct.unpack_from("<Q", data, z64 + 32)[0]
    return count


def too_many_members(count: int, limit: int) -> ExtractionError:
    return ExtractionError(
        f"the .docx holds {count:,} parts, over the limit of {limit:,}; "
        "this is not a normal Word file — re-save it from Word and upload again")


class GuardedZip:
    """A zip whose directory passed the bomb checks and whose members are read with a byte cap."""

    def __init__(self, data: bytes, limits: ExtractionLimits):
        self.limits = limits
        declared = zip_entry_count(data)
        if declared is not None and declared > limits.max_zip_members:
            raise too_many_members(declared, limits.max_zip_members)
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
            raise corrupt(f"bad zip: {exc}") from None
        if len(infos) > limits.max_zip_members:
            raise too_many_members(len(infos), limits.max_zip_members)
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
        """Return the bytes of XML part `name` (None when absent). Refuses parts declared larger than
        `limits.max_xml_bytes` (parsing takes about 9× their size in memory) and stops inflating at
        that size or the remaining unzipped-bytes budget, whichever is smaller."""
        real = name if name in self.names else self.lower.get(name.lower())
        if real is None:
            return None
        cap = self.limits.max_xml_bytes
        declared = self.zf.getinfo(real).file_size
        if declared > cap:
            raise too_big(real, declared, cap)
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
                    if size > cap:
                        raise too_big(real, size, cap)
                    chunks.append(chunk)
        except ExtractionError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
            raise corrupt(f"{real}: {exc}") from None
        self.budget -= size
        return b"".join(chunks)


def _mb(n: int) -> str:
    return f"{n / MB:.1f}" if n < 10 * MB else f"{n / MB:,.0f}"


def too_big(part: str, size: int, cap: int) -> ExtractionError:
    return ExtractionError(
        f"the .docx part {part} is {_mb(size)} MB or more, over the limit of {_mb(cap)} MB for one part; "
        "split the document or upload it as PDF")


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


