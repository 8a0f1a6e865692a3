"""Exports of a review: the issue list as CSV and as a .docx letter to the vendor (python-docx).

Pure given their inputs (contract and findings with `.wording` and `.title` from selectors): no ORM writes.
"""
import csv
import io

from django.utils import timezone
from django.utils.text import slugify
from docx import Document
from docx.shared import Pt

CSV_COLUMNS = ("topic", "title", "status", "severity", "required", "value", "decision", "decision_comment",
               "decided_by", "evidence", "sections", "pages", "suggested_clause", "preferred_wording",
               "fallback_wording")


#: Download name suffix per export kind; the CSV and the letter must not share a stem.
EXPORT_SUFFIXES = {"csv": "issues.csv", "letter": "letter-to-vendor.docx"}


def export_filename(contract, kind: str) -> str:
    """Return the download name of an export: ``<vendor>-<title>-issues.csv`` for kind "csv",
    ``<vendor>-<title>-letter-to-vendor.docx`` for kind "letter" (slugified, ASCII). Used by the pages
    and the API alike. Raises KeyError for another kind."""
    return f"{slugify(contract.vendor.name)}-{slugify(contract.title)}-{EXPORT_SUFFIXES[kind]}"


def _csv_safe(value) -> str:
    """Neutralise spreadsheet formulas in cells (OWASP CSV injection): prefix = + - @ with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def findings_csv(findings) -> str:
    """Return the findings as CSV text (header row + one row per finding)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for f in findings:
        ev = f.evidence or []
        writer.writerow([_csv_safe(v) for v in (
            f.topic, f.title, f.status, f.severity, "yes" if f.required else "no", f.value, f.decision,
            f.decision_comment, f.decided_by.username if f.decided_by else "",
            " | ".join(e.get("quote", "") for e in ev),
            " | ".join(str(e.get("section") or "") for e in ev),
            " | ".join(str(e.get("page") or "") for e in ev),
            f.suggested_clause, f.wording.get("preferred", {}).get("text", ""),
            f.wording.get("fallback", {}).get("text", ""),
        )])
    return out.getvalue()


def vendor_letter_docx(*, contract, findings, sender: str) -> bytes:
    """Return a .docx letter to the vendor listing the requested changes with our clause wording.

    `findings` are normally those decided `change_requested`. Each gets: what the document says (quotes
    with section/page), why it matters, and the wording we ask for (preferred, with fallback).
    """
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_paragraph(timezone.localdate().strftime("%d %B %Y"))
    doc.add_paragraph(f"To: {contract.vendor.name}")
    findings = list(findings)
    version = contract.current_version
    sent = version.original_filename if version else "your terms"
    if findings:
        doc.add_heading(f"Requested changes — {contract.title}", level=1)
        doc.add_paragraph(
            f"Thank you for sending {sent}. Our review found the following points that we ask you to change "
            f"before we can sign. For each point we quote your text and propose wording from our standard clauses."
        )
    else:
        doc.add_heading(f"Review of your terms — {contract.title}", level=1)
        doc.add_paragraph(f"Thank you for sending {sent}. We have reviewed it and have no requested changes at "
                          f"this stage.")
    for i, f in enumerate(findings, 1):
        doc.add_heading(f"{i}. {f.title}", level=2)
        quotes = f.evidence or []
        if quotes:
            for e in quotes:
                where = ", ".join(p for p in (f"section {e['section']}" if e.get("section") else "",
                                               f"page {e['page']}" if e.get("page") else "") if p)
                para = doc.add_paragraph(style="Intense Quote")
                para.add_run(f"“{e.get('quote', '')}”" + (f" ({where})" if where else ""))
        else:
            doc.add_paragraph("Your document does not address this point.")
        if f.explanation:
            doc.add_paragraph(f.explanation)
        if f.decision_comment:
            doc.add_paragraph(f"Our comment: {f.decision_comment}")
        preferred = f.wording.get("preferred")
        fallback = f.wording.get("fallback")
        if preferred:
            doc.add_paragraph("Proposed wording:").runs[0].bold = True
            doc.add_paragraph(preferred["text"])
        if fallback:
            doc.add_paragraph("Acceptable alternative:").runs[0].bold = True
            doc.add_paragraph(fallback["text"])
        if not preferred and not fallback and f.suggested_clause:
            doc.add_paragraph(f"Our standard clause {f.suggested_clause} applies.")
    doc.add_paragraph("")
    doc.add_paragraph("Kind regards,")
    doc.add_paragraph(sender)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
