"""Turn an uploaded contract (bytes) into plain text with sections and pages. Pure: no ORM, no NLP.

    from procurement.extraction import extract_document, ExtractionError
    doc = extract_document(data, "msa.docx")   # ExtractedDocument(text, format, sections, pages, warnings)

The real type is sniffed from the content (the extension is a hint only); every failure is an
`ExtractionError` whose str() is one line saying what is wrong and what to do.
"""
from __future__ import annotations

from .base import MB, Budget, ExtractedDocument, ExtractionError, ExtractionLimits
from .sniff import sniff, sniff_format

__all__ = ["extract_document", "ExtractedDocument", "ExtractionError", "ExtractionLimits", "sniff_format"]

_WHAT_TO_DO = {
    "docx": "the .docx file is corrupt or not a Word document ({}); re-save it from Word and upload again",
    "pdf": "the PDF is corrupt or unreadable ({}); re-export or re-save it as PDF and upload again",
}


def extract_document(data: bytes, filename: str = "", *, limits: ExtractionLimits | None = None) -> ExtractedDocument:
    """Extract text, sections and pages from `data` (the file's bytes; `filename` is a hint).

    Returns an ExtractedDocument whose section/page offsets index exactly its `text`.
    Raises ExtractionError (a ValueError) for empty, oversized, unsupported, hostile or corrupt input —
    never another exception type.
    """
    limits = limits or ExtractionLimits()
    if data is None:
        data = b""
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise ExtractionError("the upload is not file content (bytes expected); upload the file again")
    if len(data) > limits.max_bytes:
        raise ExtractionError(
            f"the file is {len(data) / MB:.1f} MB, over the upload limit of {limits.max_bytes / MB:g} MB; "
            "upload a smaller file (e.g. without images) or split it")
    budget = Budget(limits.max_seconds)
    fmt = "file"
    try:
        fmt, warnings = sniff(data, filename)
        with budget.hard_stop():
            doc = _extract(data, fmt, limits, budget, warnings)
    except (ExtractionError, NameError, ImportError, SyntaxError):
        raise  # NameError & co. are bugs in our code, not properties of the input: let them surface
    except (RecursionError, MemoryError) as exc:
        raise _wrap(fmt, f"{type(exc).__name__}: too deeply nested or too large") from None
    except Exception as exc:  # noqa: BLE001 — no traceback from any input, whatever the parser raises
        raise _wrap(fmt, f"{type(exc).__name__}: {exc}") from None
    if not doc.text.strip():
        raise ExtractionError("the file is empty (no text found); upload the document that has the contract text")
    if len(doc.text) > limits.max_text_chars:
        raise ExtractionError(
            f"the document's text is longer than the limit of {limits.max_text_chars:,} characters; "
            "upload a shorter document or split it")
    return doc


def _wrap(fmt: str, detail: str) -> ExtractionError:
    detail = " ".join(detail.split())[:160]
    template = _WHAT_TO_DO.get(fmt, "the file could not be read ({}); re-save it as .docx, PDF or UTF-8 text "
                                    "and upload again")
    return ExtractionError(template.format(detail))


def _extract(data: bytes, fmt: str, limits: ExtractionLimits, budget: Budget, warnings: list[str]) -> ExtractedDocument:
    if fmt == "docx":
        from .docx import extract_docx

        return extract_docx(data, limits, budget, warnings)
    if fmt == "pdf":
        from .pdf import extract_pdf

        return extract_pdf(data, limits, budget, warnings)
    from .text import decode_text, extract_html, extract_plain

    text, notes = decode_text(data)
    warnings.extend(notes)
    if fmt == "html":
        return extract_html(text, limits, warnings)
    return extract_plain(text, fmt, limits, warnings)
