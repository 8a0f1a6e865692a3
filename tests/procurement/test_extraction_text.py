"""Plain text, Markdown and HTML extraction; encodings; sections; normalisation; file names."""
import pytest

from procurement.extraction import ExtractionError, extract_document, sniff_format
from procurement.validators import sanitize_filename
from tests.procurement.test_extraction_fixtures import make_docx, make_pdf, para

CONTRACT = """MASTER SERVICES AGREEMENT

ARTICLE IV Licence
1. Definitions
The words below have these meanings.
2. Services
2.1 The Supplier provides hosting.
2.2 The Supplier provides support.
5. Data
(a) Customer owns its data.
(b) The Supplier shall not use Customer data to train models.
(i) not even in aggregate;
(ii) nor anonymised.
(c) Deletion within thirty days.
Section 6 Liability
Liability is capped.
Schedule 1 Pricing
Fees are fixed.
Annex II Security
Encryption at rest.
"""


def _by_label(doc):
    return {s.label: s for s in doc.sections}


def test_plain_text_numbered_headings_become_nested_sections():
    doc = extract_document(CONTRACT.encode(), "msa.txt")
    assert doc.format == "txt"
    sections = _by_label(doc)
    assert {"Article IV", "1", "2", "2.1", "2.2", "5", "5(a)", "5(b)", "5(b)(i)", "5(b)(ii)", "5(c)", "6",
            "Schedule 1", "Annex II"} <= set(sections)
    b = sections["5(b)"]
    assert doc.text[b.start:b.end] == (
        "(b) The Supplier shall not use Customer data to train models.\n(i) not even in aggregate;\n(ii) nor anonymised.")
    five = sections["5"]
    assert doc.text[five.start:five.end].endswith("(c) Deletion within thirty days.")
    assert doc.text[sections["2.1"].start:sections["2.1"].end] == "2.1 The Supplier provides hosting."
    two = sections["2"]
    assert doc.text[two.start:two.end].endswith("2.2 The Supplier provides support.")
    assert sections["2"].title == "Services" and sections["Schedule 1"].title == "Pricing"
    assert sections["6"].title == "Liability"


def test_numbers_in_running_text_are_not_headings():
    doc = extract_document(b"Payment is due in 30 days.\n30 days notice applies.\n2019 was the start year.", "x.txt")
    assert doc.sections == ()


def test_markdown_hash_headings_become_sections_and_are_kept_in_text():
    md = b"# Data Processing Addendum\n\nIntro.\n\n## 3. Security\n\nEncrypt data.\n\n## 4. Breach\n\nNotify.\n"
    doc = extract_document(md, "dpa.md")
    assert doc.format == "md"
    assert doc.text.startswith("# Data Processing Addendum")
    s = _by_label(doc)
    assert s["3"].title == "Security" and s["4"].title == "Breach"
    assert doc.text[s["3"].start:s["3"].end] == "## 3. Security\n\nEncrypt data."
    top = [x for x in doc.sections if x.title == "Data Processing Addendum"][0]
    assert top.start == 0 and top.end == len(doc.text.rstrip())


def test_normalisation_and_offsets_index_the_returned_text():
    raw = "1. Scope\r\nThe\u00a0Supplier\u200b provides\u200d services.\r\n2. Fees\r\nNone.".encode()
    doc = extract_document(raw, "x.txt")
    assert doc.text == "1. Scope\nThe Supplier provides services.\n2. Fees\nNone."
    for s in doc.sections:
        assert doc.text[s.start:s.end].startswith(s.label + ".")


def test_utf8_bom_stripped():
    assert extract_document(b"\xef\xbb\xbfHello terms.", "x.txt").text == "Hello terms."


def test_utf16_with_bom_decoded():
    doc = extract_document("Gerichtsstand ist München.".encode("utf-16"), "x.txt")
    assert doc.text == "Gerichtsstand ist München." and doc.warnings == ()


def test_utf16_without_bom_decoded_with_warning():
    doc = extract_document("The governing law is that of England and Wales.".encode("utf-16-le"), "x.txt")
    assert doc.text == "The governing law is that of England and Wales."
    assert any("UTF-16" in w for w in doc.warnings)


def test_cp1252_text_decoded_with_warning():
    raw = ("The fee is \u20ac100 per month \u2013 payable in advance; the Supplier\u2019s "
           "obligations continue after termination for the d\u00e9lai agreed.").encode("cp1252")
    doc = extract_document(raw, "x.txt")
    assert "\u20ac100" in doc.text and "Supplier\u2019s" in doc.text and "d\u00e9lai" in doc.text
    assert any("not UTF-8" in w for w in doc.warnings)


def test_html_scripts_dropped_blocks_become_lines_and_headings_sections():
    html = b"""<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style>
    <script>var secret = "do not show";</script></head><body>
    <h1>Terms of Service</h1><p>Welcome to the   service.<br>Second line.</p>
    <h2>5. Data</h2><p>(a) We keep logs.</p><p>(b) We do not sell data.</p>
    <table><tr><th>Plan</th><th>Price</th></tr><tr><td>Pro</td><td>10 &euro;</td></tr></table>
    <noscript>enable js</noscript></body></html>"""
    doc = extract_document(html, "terms.html")
    assert doc.format == "html"
    assert doc.text == ("Terms of Service\nWelcome to the service.\nSecond line.\n5. Data\n(a) We keep logs.\n"
                        "(b) We do not sell data.\nPlan | Price\nPro | 10 \u20ac")
    s = _by_label(doc)
    assert s["5"].title == "Data"
    # A list item runs until the next item or heading (continuation lines belong to it).
    assert doc.text[s["5(b)"].start:s["5(b)"].end].startswith("(b) We do not sell data.\nPlan | Price")
    assert [x for x in doc.sections if x.title == "Terms of Service"][0].start == 0


def test_html_detected_by_tags_without_doctype():
    html = b"<div><p>One.</p><p>Two.</p><p>Three.</p><ul><li>a</li><li>b</li></ul></div>"
    assert sniff_format(html, "notes.txt") == "html"
    doc = extract_document(html, "notes.txt")
    assert doc.text == "One.\nTwo.\nThree.\na\nb"
    assert any("extension .txt but content is html" in w for w in doc.warnings)


@pytest.mark.parametrize("make,name,expected", [
    (lambda: make_docx(para("x")), "a.bin", "docx"),
    (lambda: make_pdf([["x"]]), "", "pdf"),
    (lambda: b"plain", "a.pdf", "txt"),
    (lambda: b"# Title\ntext", "", "md"),
    (lambda: b"# Title\ntext", "a.txt", "txt"),
    (lambda: b"<!doctype html><p>x</p>", "a.md", "html"),
])
def test_sniff_format_uses_content(make, name, expected):
    assert sniff_format(make(), name) == expected


def test_sniff_format_rejects_unknown_binary():
    with pytest.raises(ExtractionError):
        sniff_format(bytes(range(256)) * 4, "x.txt")


def test_error_is_a_value_error_with_one_line():
    with pytest.raises(ValueError) as err:
        extract_document(b"", "x.txt")
    assert str(err.value).startswith("the file is empty")


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\bob\\contract.docx", "contract.docx"),
    ("evil\u202egpj.exe", "evilgpj.exe"),
    ("a\x00b\x1fc\n.txt", "abc.txt"),
    ("", "document"),
    ("...", "document"),
    ("   .pdf", "document.pdf"),
    ("con.txt", "document_con.txt"),
    ("what?*<>.pdf", "what____.pdf"),
    ("Vertrag über Daten.PDF", "Vertrag über Daten.pdf"),
])
def test_sanitize_filename(name, expected):
    assert sanitize_filename(name) == expected


def test_sanitize_filename_limits_length_and_keeps_extension():
    out = sanitize_filename("x" * 300 + ".docx")
    assert len(out) == 120 and out.endswith(".docx")
    assert sanitize_filename("y" * 300) == "y" * 120


def test_wrapped_numbers_are_not_mistaken_for_clauses():
    text = (b"1. Users\nThe licence ends for services with more than\n10.5 million monthly users and see clause\n"
            b"12. The cap applies.\n2. Fees\n2.1 Monthly.\n3.1 Starts a new clause without a heading.\n"
            b"Schedule 1 Prices\n1. Restarted list item.")
    doc = extract_document(text, "x.txt")
    assert [s.label for s in doc.sections] == ["1", "2", "2.1", "3.1", "Schedule 1", "1"]


def test_text_mentioning_pdf_header_is_text():
    doc = extract_document(b"Notes: files must start with %PDF-1.7 to be valid.", "notes.txt")
    assert doc.format == "txt"


def test_pdf_with_leading_junk_is_pdf():
    assert sniff_format(b"\x00\x01junk" + make_pdf([["x"]]), "x.bin") == "pdf"


def test_run_in_clause_titles():
    text = (b"1. Security\n1.1 Audit rights. The Provider shall allow audits.\n"
            b"1.2 The Provider shall encrypt data. It must use AES.\n1.3 Data location and transfers. Data stays in the EU.")
    titles = {s.label: s.title for s in extract_document(text, "x.txt").sections}
    assert titles == {"1": "Security", "1.1": "Audit rights", "1.2": None, "1.3": "Data location and transfers"}


def test_letter_roman_bulleted_and_indented_numbering():
    text = """Terms
A. Services
A.1. Access. The vendor gives access.
A.2. Support. The vendor answers tickets.
B. Customer Content
B.1.a. Inputs remain the customer's.
II. LICENCE TERMS
a. Grant. You may use the model.
b. Limits. You may not resell it.
Policy
1. Do not break the law, including:
    1. Fraud or scams
        1. Phishing
    2. Harassment
2. Do not harm children
- 3.1. Bulleted clause. Text follows.
"""
    doc = extract_document(text.encode(), "x.txt")
    labels = [s.label for s in doc.sections]
    assert labels == ["A", "A.1", "A.2", "B", "B.1.a", "II", "II(a)", "II(b)",
                      "1", "1(1)", "1(1)(1)", "1(2)", "2", "3.1"]
    s = _by_label(doc)
    assert s["A"].title == "Services" and s["A.1"].title == "Access"
    assert doc.text[s["1(1)"].start:s["1(1)"].end] == "1. Fraud or scams\n        1. Phishing"


def test_html_ordered_lists_get_browser_numbers_and_nest():
    html = b"""<html><body><h1>Terms</h1><ol><li>Services<p>We host things.</p></li>
    <li>Data<ol type="a"><li>We keep logs.</li><li>We do not sell data.</li></ol></li></ol>
    <ul><li>a bullet</li></ul><ol start="5" type="I"><li>Fifth part</li></ol></body></html>"""
    doc = extract_document(html, "t.html")
    assert doc.text == ("Terms\n1. Services\nWe host things.\n2. Data\n    a. We keep logs.\n    b. We do not sell data.\n"
                        "a bullet\nV. Fifth part")
    assert [s.label for s in doc.sections] == [None, "1", "2", "2(a)", "2(b)", "V"]


def test_markdown_code_blocks_are_not_headings():
    md = b"# Terms\n\n```python\n# not a heading\n1. not a clause\n```\n\n## Data\ntext\n"
    doc = extract_document(md, "x.md")
    assert [s.title for s in doc.sections] == ["Terms", "Data"]
    assert "# not a heading" in doc.text


def test_html_numbered_heading_anchors_typed_subclauses():
    html = b"<html><body><h2>5. Data</h2><p>5.1 The Supplier keeps data in the EU.</p><p>5.2 Logs go after a year.</p></body></html>"
    doc = extract_document(html, "x.html")
    assert [s.label for s in doc.sections] == ["5", "5.1", "5.2"]
