"""The one seam between procurement and the text machinery: extraction (files → text) and the checker.

Everything procurement needs from `procurement.extraction` and `clauses.nlp` goes through these three
functions, so tests can fake exactly this module and the worker, the web process and the commands all
call the same code. Imports are lazy: loading spaCy is paid by the process that scans, not by every
process that imports procurement.
"""
from dataclasses import asdict

from django.conf import settings


class ScanInputError(ValueError):
    """The document cannot be scanned (unreadable, encrypted, too large...). str() is one line for users."""


def checker_version() -> str:
    """Return the current CHECKER_VERSION (package version + hash of the pattern files)."""
    from clauses.nlp.pipeline import CHECKER_VERSION

    return CHECKER_VERSION


def extract(data: bytes, filename: str):
    """Return the ExtractedDocument (text, format, sections, pages, warnings) of an uploaded file.

    Raises ScanInputError with extraction's one-line message when the file cannot be read.
    """
    from procurement.extraction import ExtractionError, extract_document

    try:
        return extract_document(data, filename)
    except ExtractionError as exc:
        raise ScanInputError(str(exc)) from exc


def check(doc, *, name: str, sha256: str, profile: str) -> dict:
    """Return the scan report (shared/spec/scan-report.md) for an ExtractedDocument."""
    from clauses.nlp.check import check_text

    return check_text(
        doc.text, name=name, sha256=sha256, fmt=doc.format, sections=doc.sections, pages=doc.pages,
        profile=profile, playbook=dict(settings.PLAYBOOK), warnings=doc.warnings,
    )


def structure_as_json(items) -> list[dict]:
    """Return Section/Page dataclasses as plain dicts for JSON storage."""
    return [asdict(i) if not isinstance(i, dict) else dict(i) for i in items]
