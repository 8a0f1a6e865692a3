"""`python manage.py build_docx_templates`: (re)build templates/docx/{sow,dpa}_tpl.docx reproducibly.

The templates are generated, not hand-edited in Word, so every Jinja tag sits inside one run (Word
splits runs on spell-check: python-docx-template #440) and conditionals use paragraph tags `{%p %}`,
never two tag kinds in one paragraph (HOUSE-STYLE: docxtpl). Zip timestamps and core properties are
fixed so the same source gives the same bytes (and so the same template sha256).
"""
import io
import zipfile
from datetime import datetime

from django.core.management.base import BaseCommand
from docx import Document
from docx.shared import Cm, Pt

from clauses.assembly import TEMPLATE_KEYS, template_path

FIXED_TIME = datetime(2026, 1, 1, 0, 0, 0)

RECITALS = {
    "sow": [
        "(A) The Customer wishes to obtain the following services from the Provider: {{ engagement.description }}.",
        "(B) The services use {{ engagement.model }}, {{ deployment_text }}.",
    ],
    "dpa": [
        "(A) The Provider processes personal data on behalf of the Customer in providing the following "
        "services: {{ engagement.description }}, using {{ engagement.model }}, {{ deployment_text }}.",
        "(B) The Customer acts as controller and the Provider as processor of that personal data, and this "
        "{{ document_name }} sets out the terms on which the Provider processes it.",
    ],
}
FINE_TUNING_RECITAL = {
    "sow": "(C) The services include fine-tuning a model for the Customer, and the parties record in this "
           "{{ document_name }} that the resulting models belong to the Customer.",
    "dpa": "(C) The services include fine-tuning a model on data supplied by the Customer, which may include "
           "personal data.",
}


def _p(doc, *runs, style=None, align=None):
    """Add a paragraph of runs; each run is (text, bold) and holds whole tags only."""
    para = doc.add_paragraph(style=style)
    for text, bold in runs:
        run = para.add_run(text)
        run.bold = bold or None
    if align is not None:
        para.alignment = align
    return para


def _tag(doc, tag):
    """Add a paragraph holding a single `{%p ... %}` tag."""
    doc.add_paragraph().add_run(tag)


def build(key: str) -> bytes:
    """Return the template .docx bytes for `key` ("sow" or "dpa")."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2.5)
        section.footer.paragraphs[0].add_run("{{ document_title }} (draft generated for legal review)")

    _p(doc, ("{{ document_title }}", False), style="Title")
    _p(doc, ("{{ engagement.description }}", False), style="Subtitle")
    _p(doc, ("This {{ document_name }} is dated {{ effective_date_text }}.", False))

    doc.add_heading("Parties", level=1)
    for n, party, role in (("1", "customer", "Customer"), ("2", "provider", "Provider")):
        _p(doc, (f"({n}) ", False), (f"{{{{ {party}.name }}}}", True),
           (f" (the \u201c{role}\u201d), whose address is:", False))
        _p(doc, (f"{{{{ {party}.address }}}}", False)).paragraph_format.left_indent = Cm(1)

    doc.add_heading("Background", level=1)
    for text in RECITALS[key]:
        _p(doc, (text, False))
    _tag(doc, "{%p if engagement.fine_tuning %}")
    _p(doc, (FINE_TUNING_RECITAL[key], False))
    _tag(doc, "{%p endif %}")
    _p(doc, ("The parties therefore agree as follows.", False))

    doc.add_heading("1. Definitions", level=1)
    _p(doc, ("In this {{ document_name }}, the following terms have these meanings:", False))
    _tag(doc, "{%p for d in definitions %}")
    _p(doc, ("\u201c", False), ("{{ d.term }}", True), ("\u201d means {{ d.text }}.", False))
    _tag(doc, "{%p endfor %}")

    _tag(doc, "{%p for g in groups %}")
    doc.add_heading("{{ g.number }}. {{ g.title }}", level=1)
    _tag(doc, "{%p for c in g.clauses %}")
    _p(doc, ("{{ c.number }} ", False), ("{{ c.title }}.", True), (" {{ c.text }}", False))
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endfor %}")

    doc.add_heading("{{ general_number }}. General", level=1)
    if key == "sow":
        _p(doc, ("{{ general_number }}.1 ", False), ("Entire agreement.", True),
           (" This {{ document_name }}, with its Schedules, is the entire agreement between the parties about "
            "its subject matter; no terms proposed or published by either party apply to it unless signed by both.",
            False))
        _tag(doc, "{%p if personal_data %}")
        _p(doc, ("{{ general_number }}.2 ", False), ("Personal data.", True),
           (" Where the Provider processes personal data on behalf of the Customer, it does so under the data "
            "processing agreement between the parties, which prevails over this {{ document_name }} on "
            "that processing.", False))
        _tag(doc, "{%p endif %}")
    else:
        _p(doc, ("{{ general_number }}.1 ", False), ("Precedence.", True),
           (" If this {{ document_name }} conflicts with any other agreement between the parties about the "
            "processing of personal data, this {{ document_name }} prevails.", False))

    doc.add_heading("Schedule 1 \u2014 Approved Subprocessors", level=1)
    _tag(doc, "{%p if subprocessors %}")
    table = doc.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Subprocessor", "Purpose", "Location"), strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for s in subprocessors %}")
    for cell, text in zip(table.rows[2].cells, ("{{ s.name }}", "{{ s.purpose }}", "{{ s.location }}"), strict=True):
        cell.paragraphs[0].add_run(text)
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    _tag(doc, "{%p else %}")
    _p(doc, ("None: the Provider engages no subprocessors at the date of this {{ document_name }}.", False))
    _tag(doc, "{%p endif %}")

    doc.add_heading("Schedule 2 \u2014 Data details", level=1)
    rows = [
        ("Subject matter", "{{ engagement.description }}"),
        ("Model", "{{ engagement.model }}"),
        ("Deployment", "{{ deployment_text }}"),
        ("Personal data processed", "{{ 'Yes' if personal_data else 'No' }}"),
        ("Data location", "{{ data_location }}"),
        ("Retention period", "{{ retention_days }} days"),
        ("Security incident notice", "{{ breach_notice_hours }} hours"),
    ]
    if key == "dpa":
        rows.append(("Duration of processing", "the term of the services plus the retention period"))
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].paragraphs[0].add_run(label).bold = True
        row.cells[1].paragraphs[0].add_run(value)

    doc.add_heading("Signatures", level=1)
    _p(doc, ("Signed by the authorised representatives of the parties on the dates below.", False))
    table = doc.add_table(rows=4, cols=2)
    table.style = "Table Grid"
    sig = [("For the Customer: {{ customer.name }}", "For the Provider: {{ provider.name }}"),
           ("Signature:", "Signature:"),
           ("Name and title: {{ customer.signatory }}", "Name and title: {{ provider.signatory }}"),
           ("Date:", "Date:")]
    for row, texts in zip(table.rows, sig, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.paragraphs[0].add_run(text)
    table.rows[1].height = Cm(1.5)  # room to sign

    props = doc.core_properties
    props.title = f"{key.upper()} template"
    props.author = props.last_modified_by = "ai-procurement-contracts"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return _normalise_zip(buf.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the zip with fixed timestamps and member order so builds are byte-for-byte reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name))
    return out.getvalue()


class Command(BaseCommand):
    help = "Build templates/docx/sow_tpl.docx and dpa_tpl.docx from code (reproducible)."

    def handle(self, *args, **options):
        for key in TEMPLATE_KEYS:
            path = template_path(key)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(build(key))
            self.stdout.write(f"wrote {path}")
