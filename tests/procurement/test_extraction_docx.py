"""Word .docx extraction: numbering labels, tracked changes, content controls, text boxes, tables."""
import io

import docx
import pytest

from procurement.extraction import ExtractionError, extract_document
from tests.procurement.test_extraction_fixtures import make_docx, para, run


def _section(doc, label):
    found = [s for s in doc.sections if s.label == label]
    assert found, f"no section {label!r} in {[s.label for s in doc.sections]}"
    return found[0]


def test_word_auto_numbering_resolves_styles_levels_and_resets():
    body = "".join([
        para("Definitions", style="Heading1"),          # style numbering, level from lvl/pStyle
        para("Agreement means this contract.", style="Heading2"),
        para("the first party;", style="ClauseSub"),     # ilvl 2 via style
        para("the second party.", style="ClauseSubChild"),  # numbering inherited via basedOn
        para("nested roman", num=(1, 3)),
        para("Payment", style="Heading1"),
        para("Invoices are due monthly.", num=(1, 1)),  # direct numPr, counter reset under 2.
        para("Late payment", style="ClauseSub"),
    ])
    doc = extract_document(make_docx(body), "msa.docx")
    assert doc.format == "docx"
    assert doc.text.split("\n") == [
        "1. Definitions",
        "1.1 Agreement means this contract.",
        "(a) the first party;",
        "(b) the second party.",
        "(i) nested roman",
        "2. Payment",
        "2.1 Invoices are due monthly.",
        "(a) Late payment",
    ]
    one = _section(doc, "1")
    assert one.title == "Definitions"
    assert doc.text[one.start:one.end].endswith("(i) nested roman")
    b = _section(doc, "1.1(b)")
    assert doc.text[b.start:b.end] == "(b) the second party.\n(i) nested roman"
    assert _section(doc, "1.1(b)(i)").title == "nested roman"
    assert doc.text[_section(doc, "2.1").start:].startswith("2.1 Invoices")
    assert _section(doc, "2.1(a)").title == "Late payment"


def test_numbering_formats_start_values_and_overrides():
    body = "".join([
        para("Licence", num=(2, 0)), para("grant", num=(2, 1)), para("limits", num=(2, 1)),
        para("Fees", num=(2, 0)), para("after reset", num=(2, 1)),
        para("a bullet point", num=(3, 0)),
        para("restarted list", num=(4, 0)),
    ])
    doc = extract_document(make_docx(body), "x.docx")
    assert doc.text.split("\n") == [
        "Article III Licence", "A) grant", "B) limits", "Article IV Fees", "A) after reset",
        "• a bullet point", "Article VII restarted list",
    ]
    assert _section(doc, "Article IV(A)").title == "after reset"
    assert not any(s.label == "•" for s in doc.sections)


def test_python_docx_list_styles_and_headings_become_sections():
    d = docx.Document()
    d.add_heading("Scope", level=1)
    d.add_paragraph("First numbered duty", style="List Number")
    d.add_paragraph("Second numbered duty", style="List Number")
    buf = io.BytesIO()
    d.save(buf)
    doc = extract_document(buf.getvalue(), "scope.docx")
    assert doc.text == "Scope\n1. First numbered duty\n2. Second numbered duty"
    assert [(s.label, s.title) for s in doc.sections] == [
        (None, "Scope"), ("1", "First numbered duty"), ("2", "Second numbered duty")]


def test_tracked_changes_read_as_accepted_with_warning():
    runs = (run("Notify within ")
            + '<w:ins w:id="1" w:author="A"><w:r><w:t>three</w:t></w:r></w:ins>'
            + '<w:del w:id="2" w:author="A"><w:r><w:delText>thirty</w:delText></w:r></w:del>'
            + run(" days."))
    doc = extract_document(make_docx(para(runs=runs)), "x.docx")
    assert doc.text == "Notify within three days."
    assert "2 unresolved revisions" in " ".join(doc.warnings)


def test_no_revision_warning_without_tracked_changes():
    doc = extract_document(make_docx(para("Plain clause.")), "x.docx")
    assert doc.warnings == ()


def test_content_controls_and_text_boxes_appear_exactly_once():
    sdt_block = ('<w:sdt><w:sdtPr><w:alias w:val="Party"/></w:sdtPr><w:sdtContent>'
                 + para("Vendor Name Ltd") + "</w:sdtContent></w:sdt>")
    sdt_inline = para(runs=run("Customer: ") + '<w:sdt><w:sdtContent>' + run("Buyer GmbH")
                      + "</w:sdtContent></w:sdt>")
    box = para("Boxed note text")
    textbox = (
        "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic><a:graphicData>"
        f"<wps:wsp><wps:txbx><w:txbxContent>{box}</w:txbxContent></wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{box}</w:txbxContent></v:textbox></v:shape>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    body = sdt_block + sdt_inline + para(runs=run("Anchor paragraph.") + textbox)
    doc = extract_document(make_docx(body), "x.docx")
    assert doc.text == "Vendor Name Ltd\nCustomer: Buyer GmbH\nAnchor paragraph.\nBoxed note text"
    assert doc.text.count("Boxed note text") == 1


def test_text_box_fallback_used_when_no_choice():
    box = para("Only in fallback")
    xml = (f"<w:r><mc:AlternateContent><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{box}"
           "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>")
    doc = extract_document(make_docx(para(runs=run("Anchor.") + xml)), "x.docx")
    assert doc.text == "Anchor.\nOnly in fallback"


def test_tables_cells_joined_in_row_order():
    def cell(t):
        return f"<w:tc>{para(t)}</w:tc>"

    table = ("<w:tbl>"
             f"<w:tr>{cell('Service')}{cell('Fee')}</w:tr>"
             f"<w:tr>{cell('Hosting')}{cell('100 EUR')}</w:tr>"
             f"<w:tr>{cell('')}{cell('')}</w:tr>"
             "</w:tbl>")
    doc = extract_document(make_docx(para("Before.") + table + para("After.")), "x.docx")
    assert doc.text == "Before.\nService | Fee\nHosting | 100 EUR\nAfter."


def test_headers_footers_comments_and_field_codes_excluded():
    header = ('<?xml version="1.0"?><w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
              '<w:p><w:r><w:t>RUNNING HEADER</w:t></w:r></w:p></w:hdr>')
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run("7") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    doc = extract_document(make_docx(para(runs=run("See page ") + field), extra={"word/header1.xml": header}), "x.docx")
    assert doc.text == "See page 7"


def test_normalises_nbsp_and_zero_width_in_docx():
    doc = extract_document(make_docx(para("Data\u00a0Processing\u200b Addendum")), "x.docx")
    assert doc.text == "Data Processing Addendum"


def test_docx_without_styles_or_numbering_parts():
    doc = extract_document(make_docx(para("Only text.", num=(1, 0)), styles=None, numbering=None), "x.docx")
    assert doc.text == "Only text."


def test_zip_without_document_part_rejected():
    data = make_docx(para("x"), document="")
    with pytest.raises(ExtractionError, match="corrupt or not a Word document"):
        extract_document(data, "x.docx")


def test_hand_typed_numbers_become_sections_below_word_structure():
    body = "".join([
        para("7. Data Protection", style="Heading1"),  # typed number in a heading: but Heading1 is auto-numbered
        para("Liability", style="Plain"),
        para("1.1 Each party is liable for its own acts.", style="Plain"),
        para("(a) except for fraud;", style="Plain"),
        para("(b) except for wilful misconduct.", style="Plain"),
        para("Indemnity", style="Heading1"),  # auto-numbered "2."
        para("2.1 Typed under Word's own number 2.", style="Plain"),
    ])
    doc = extract_document(make_docx(body), "x.docx")
    labels = [s.label for s in doc.sections]
    assert labels == ["1", "1.1", "1.1(a)", "1.1(b)", "2", "2.1"]
    assert doc.text.startswith("1. 7. Data Protection")


def test_hand_typed_number_in_unnumbered_heading_is_the_label():
    heading_plain = STYLES_NO_NUM
    body = para("5. Security", style="Heading1") + para("(a) Encrypt at rest.") + para("6. Audit", style="Heading1")
    doc = extract_document(make_docx(body, styles=heading_plain), "x.docx")
    assert [(s.label, s.title) for s in doc.sections] == [("5", "Security"), ("5(a)", None), ("6", "Audit")]


STYLES_NO_NUM = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
</w:styles>"""


def test_docx_time_budget_checked_while_walking():
    from procurement.extraction import ExtractionLimits

    body = "".join(para(f"Clause {i}.") for i in range(600))
    with pytest.raises(ExtractionError, match="took too long"):
        extract_document(make_docx(body), "x.docx", limits=ExtractionLimits(max_seconds=0))


def test_deleted_paragraph_mark_merges_with_next_paragraph():
    deleted_mark = ('<w:p><w:pPr><w:rPr><w:del w:id="9" w:author="A"/></w:rPr></w:pPr>'
                    + run("The fee is ") + "</w:p>")
    doc = extract_document(make_docx(deleted_mark + para("payable monthly.")), "x.docx")
    assert doc.text == "The fee is payable monthly."
    assert any("1 unresolved revisions" in w for w in doc.warnings)


def test_moved_text_read_once_at_its_new_place():
    body = (para(runs='<w:moveFrom w:id="1" w:author="A"><w:r><w:t>Moved clause.</w:t></w:r></w:moveFrom>')
            + para("Middle.")
            + para(runs='<w:moveTo w:id="2" w:author="A"><w:r><w:t>Moved clause.</w:t></w:r></w:moveTo>'))
    doc = extract_document(make_docx(body), "x.docx")
    assert doc.text == "Middle.\nMoved clause."


NUM_STYLE_LINK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="10"><w:styleLink w:val="LegalList"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="11"><w:numStyleLink w:val="LegalList"/></w:abstractNum>
<w:num w:numId="20"><w:abstractNumId w:val="10"/></w:num>
<w:num w:numId="21"><w:abstractNumId w:val="11"/></w:num>
</w:numbering>"""

STYLES_LINK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="numbering" w:styleId="LegalList"><w:name w:val="Legal List"/>
  <w:pPr><w:numPr><w:numId w:val="20"/></w:numPr></w:pPr></w:style>
</w:styles>"""


def test_numbering_through_num_style_link():
    body = para("Scope", num=(21, 0)) + para("in scope", num=(21, 1)) + para("Fees", num=(21, 0))
    doc = extract_document(make_docx(body, styles=STYLES_LINK, numbering=NUM_STYLE_LINK), "x.docx")
    assert doc.text == "1. Scope\n(a) in scope\n2. Fees"
    assert [s.label for s in doc.sections] == ["1", "1(a)", "2"]


def test_numbering_without_matching_definition_is_ignored():
    doc = extract_document(make_docx(para("Orphan list item.", num=(99, 0))), "x.docx")
    assert doc.text == "Orphan list item."


def test_style_cycle_in_based_on_does_not_hang():
    styles = """<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
    <w:style w:type="paragraph" w:styleId="A"><w:name w:val="A"/><w:basedOn w:val="B"/></w:style>
    <w:style w:type="paragraph" w:styleId="B"><w:name w:val="B"/><w:basedOn w:val="A"/></w:style></w:styles>"""
    doc = extract_document(make_docx(para("Cyclic styles.", style="A"), styles=styles), "x.docx")
    assert doc.text == "Cyclic styles."


def test_nested_table_in_cell_flattened_once():
    inner = f"<w:tbl><w:tr><w:tc>{para('inner A')}</w:tc><w:tc>{para('inner B')}</w:tc></w:tr></w:tbl>"
    outer = f"<w:tbl><w:tr><w:tc>{para('Outer')}</w:tc><w:tc>{inner}</w:tc></w:tr></w:tbl>"
    doc = extract_document(make_docx(outer), "x.docx")
    assert doc.text == "Outer | inner A | inner B"


def test_deeply_nested_xml_gives_clear_error():
    deep = "<w:sdt><w:sdtContent>" * 3000 + para("deep") + "</w:sdtContent></w:sdt>" * 3000
    with pytest.raises(ExtractionError) as err:
        extract_document(make_docx(deep), "x.docx")
    assert "re-save it from Word" in str(err.value)


def test_hidden_text_left_out_with_warning():
    hidden = '<w:r><w:rPr><w:vanish/></w:rPr><w:t>secret extra term </w:t></w:r>'
    shown_again = '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>visible.</w:t></w:r>'
    doc = extract_document(make_docx(para(runs=run("Terms: ") + hidden + shown_again)), "x.docx")
    assert doc.text == "Terms: visible."
    assert any("1 runs of hidden text" in w for w in doc.warnings)


def test_generator_sow_reads_back_with_clause_labels():
    """Our own generator's SOW: typed clause numbers under heading styles become citable sections."""
    from tests.clauses.generator_helpers import make_answers
    from tests.clauses.test_assembly import render

    _, data = render("sow", make_answers())
    doc = extract_document(data, "sow.docx")
    sections = {s.label: s for s in doc.sections}
    assert {"1", "3", "3.1", "Schedule 1"} <= set(sections)
    assert sections["3.1"].title and doc.text[sections["3.1"].start:].startswith("3.1 ")
    three = sections["3"]
    assert sections["3.1"].start > three.start and sections["3.1"].end <= three.end
    assert "{{" not in doc.text and doc.warnings == ()
