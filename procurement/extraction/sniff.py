"""Decide a file's real type from its bytes (the extension is only a hint for Markdown)."""
from __future__ import annotations

import io
import re
import zipfile

from .base import ExtractionError

EXTENSION_FORMATS = {
    ".pdf": "pdf", ".docx": "docx", ".docm": "docx", ".dotx": "docx", ".txt": "txt", ".text": "txt",
    ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".xhtml": "html",
    ".doc": "doc", ".rtf": "rtf", ".odt": "odt", ".xlsx": "xlsx", ".pptx": "pptx",
}
_SAVE_AS = "save it as .docx or PDF and upload that"

_MAGIC_REJECT = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"\xca\xfe\xba\xbe", "an executable or Java class"),
    (b"\xfe\xed\xfa\xce", "an executable (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "an executable (Mach-O)"),
    (b"\xcf\xfa\xed\xfe", "an executable (Mach-O)"),
    (b"\xce\xfa\xed\xfe", "an executable (Mach-O)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x00asm", "a WebAssembly binary"),
    (b"OggS", "an audio/video file"),
    (b"ID3", "an MP3 audio file"),
    (b"%!PS", "a PostScript file"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.I | re.S)
_HTML_TAG = re.compile(r"</?(p|div|br|h[1-6]|li|ul|ol|table|tr|td|th|span|body|head|title|a|b|i|strong|em|section|"
                       r"article|header|footer|meta|link|script|style)\b[^>]*>", re.I)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.M)


def extension_of(filename: str) -> str:
    """Return the lower-case extension of `filename` (".pdf"), or "" when there is none."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    if "." not in name.strip("."):
        return ""
    return "." + name.rsplit(".", 1)[-1].lower().strip()


def _zip_kind(data: bytes) -> str:
    from .base import ExtractionLimits
    from .docx_zip import too_many_members, zip_entry_count

    declared, limit = zip_entry_count(data), ExtractionLimits().max_zip_members
    if declared is not None and declared > limit:
        raise too_many_members(declared, limit)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
        raise ExtractionError("the file looks like a zip/Word file but is corrupt; re-save it from Word "
                              "and upload again") from None
    if "word/document.xml" in names or any(n.lower() == "word/document.xml" for n in names):
        return "docx"
    if "xl/workbook.xml" in names:
        raise ExtractionError(f"the file is an Excel spreadsheet, not a contract document; {_SAVE_AS}")
    if "ppt/presentation.xml" in names:
        raise ExtractionError(f"the file is a PowerPoint presentation, not a contract document; {_SAVE_AS}")
    if "mimetype" in names and "content.xml" in names:
        raise ExtractionError(f"the file is an OpenDocument file (.odt); {_SAVE_AS}")
    raise ExtractionError("the file is a zip archive without a Word document inside; upload the .docx or PDF itself")


def _looks_binary(sample: bytes) -> bool:
    if not sample:
        return False
    if sample.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return False
    nul = sample.count(0)
    if nul:
        # UTF-16 without a BOM puts NUL in every other byte for ASCII text.
        half = len(sample) // 2
        if sample[1::2].count(0) >= 0.4 * half or sample[0::2].count(0) >= 0.4 * half:
            return False
        # A stray NUL or two in text (a bad export, a pasted control character) is still text; the
        # decoder drops them with a warning. Binary formats have NUL bytes everywhere.
        if nul > max(2, len(sample) // 1000):
            return True
    ctrl = sum(1 for b in sample if b < 0x20 and b not in (9, 10, 12, 13, 27))
    return ctrl > len(sample) * 0.02


def sniff(data: bytes, filename: str = "") -> tuple[str, list[str]]:
    """Return (format, warnings) where format is "pdf", "docx", "html", "md" or "txt".

    Raises ExtractionError for empty files, old Office formats, images, executables, archives and
    unknown binary data. A lying extension only adds a warning ("extension .pdf but content is docx").
    """
    if not data or not data.strip():
        raise ExtractionError("the file is empty; upload the document's .docx, PDF or text")
    head = data[:8]
    ext = extension_of(filename)
    pdf_at = data[:1024].find(b"%PDF-")
    # Readers accept the header anywhere in the first 1024 bytes; a text that merely mentions
    # "%PDF-" is not a PDF, so junk before the header must be whitespace or binary.
    if pdf_at == 0 or (pdf_at > 0 and (not data[:pdf_at].strip() or _looks_binary(data[:pdf_at]))):
        fmt = "pdf"
    elif head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        fmt = _zip_kind(data)
    elif head.startswith(_OLE) and "EncryptedPackage".encode("utf-16-le") in data:
        # A password-protected .docx/.xlsx is an OLE container holding the encrypted package.
        raise ExtractionError("the Office file is password-protected; remove the password (File > Info > "
                              "Protect Document) and upload it again")
    elif head.startswith(_OLE):
        raise ExtractionError("the file is an old Word .doc (or another Office 97-2003 file); "
                              "open it in Word, save as .docx and upload that")
    elif data.lstrip()[:5] == b"{\\rtf":
        raise ExtractionError("the file is in Rich Text Format (.rtf); open it in Word, save as .docx and upload that")
    else:
        for magic, what in _MAGIC_REJECT:
            if data.startswith(magic):
                what_to_do = ("upload a text-based PDF or the .docx (OCR is not enabled)" if "image" in what
                              else "upload the contract as .docx, PDF or text")
                raise ExtractionError(f"the file is {what}, not a document; {what_to_do}")
        if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"AVI ", b"WAVE"):
            raise ExtractionError("the file is an image or media file, not a document; "
                                  "upload the contract as .docx, PDF or text")
        if _looks_binary(data[:8192]):
            raise ExtractionError("the file is not a supported document (unknown binary data); "
                                  "upload the contract as .docx, PDF, HTML or plain text")
        fmt = _text_kind(data, ext)
    warnings: list[str] = []
    claimed = EXTENSION_FORMATS.get(ext)
    if claimed and claimed != fmt and {claimed, fmt} != {"txt", "md"}:
        warnings.append(f"extension {ext} but content is {fmt}; read as {fmt}")
    return fmt, warnings


def _text_kind(data: bytes, ext: str) -> str:
    sample = data[:65536]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or sample[:2000].count(0) > 10:
        try:
            sample = sample.decode("utf-16").encode("utf-8", "replace")
        except UnicodeDecodeError:
            pass
    if _HTML_START.match(sample.lstrip(b"\xef\xbb\xbf")):
        return "html"
    text = sample.decode("utf-8", "replace")
    tags = _HTML_TAG.findall(text)
    if len(tags) >= 8 and len(set(t.lower() for t in tags)) >= 2 and ext not in (".md", ".markdown"):
        return "html"
    if ext in (".md", ".markdown"):
        return "md"
    if ext not in (".txt", ".text") and len(_MD_HEADING.findall(text)) >= 1:
        return "md"
    return "txt"


def sniff_format(data: bytes, filename: str = "") -> str:
    """Return the real format of `data` ("pdf", "docx", "html", "md" or "txt") from its content.

    Raises ExtractionError (one line: what is wrong + what to do) for unsupported or empty content.
    """
    return sniff(data, filename)[0]
