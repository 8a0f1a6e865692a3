"""PDF extraction: page map, running headers/footers, hyphenation, spacing, encryption, scans, limits."""
import io
import time

import pytest

from procurement.extraction import ExtractionError, ExtractionLimits, extract_document
from procurement.extraction.pdf import repair_hyphens, strip_furniture
from tests.procurement.test_extraction_fixtures import make_pdf

PAGES = [
    ["1. Confidentiality", "Each party keeps the other's information secret.", "The confi-",
     "dentiality duty and the non-", "compete duty survive termination."],
    ["2. Data protection", "The Supplier processes personal data only on instructions."],
    ["3. Term", "This agreement lasts one year.", "(a) renewal is automatic;", "(b) notice is ninety days."],
]


def test_page_map_headers_footers_and_hyphens():
    pdf = make_pdf(PAGES, header="ACME Services Agreement - Version 4", footer="Page {n} of {total}")
    doc = extract_document(pdf, "msa.pdf")
    assert doc.format == "pdf"
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert doc.pages[0].start == 0 and doc.pages[-1].end == len(doc.text)
    page2 = doc.text[doc.pages[1].start:doc.pages[1].end]
    assert page2 == "2. Data protection\nThe Supplier processes personal data only on instructions."
    assert "ACME Services" not in doc.text and "Page " not in doc.text
    assert "The confidentiality duty and the non-compete duty survive termination." in doc.text
    assert [(s.label, s.title) for s in doc.sections] == [
        ("1", "Confidentiality"), ("2", "Data protection"), ("3", "Term"), ("3(a)", None), ("3(b)", None)]
    b = [s for s in doc.sections if s.label == "3(b)"][0]
    assert doc.text[b.start:b.end] == "(b) notice is ninety days."
    assert doc.warnings == ()


@pytest.mark.parametrize("footer", ["- {n} -", "{n}", "Page {n}", "{n} / {total}"])
def test_bare_page_numbers_dropped(footer):
    doc = extract_document(make_pdf(PAGES, footer=footer), "x.pdf")
    assert doc.text.split("\n")[-1] == "(b) notice is ninety days."
    for page in doc.pages:
        assert not doc.text[page.start:page.end].rstrip().split("\n")[-1].strip("- /").isdigit()


def test_numbers_inside_body_text_are_kept():
    doc = extract_document(make_pdf([["Fees", "100", "are due."], ["Term", "12", "months."]], footer=None), "x.pdf")
    assert "100" in doc.text and "12" in doc.text


def test_hyphen_repair_rules():
    assert repair_hyphens("the confi-\ndentiality duty") == "the confidentiality duty"
    assert repair_hyphens("a non-\ncompete clause") == "a non-compete clause"
    assert repair_hyphens("a third-\nparty vendor") == "a third-party vendor"
    assert repair_hyphens("state-\nof-the-art security") == "state-of-the-art security"
    # The document itself decides: a joined form seen elsewhere wins, so does a hyphenated one.
    assert repair_hyphens("sub-\nprocessor and subprocessor") == "subprocessor and subprocessor"
    assert repair_hyphens("data-\nflow and data-flow") == "data-flow and data-flow"
    assert repair_hyphens("you re-\nquire an agree-\nment") == "you require an agreement"
    assert repair_hyphens("long-\nterm, safety-\nrelated, then-\ncurrent") == "long-term, safety-related, then-current"
    assert repair_hyphens("NON-\nINFRINGEMENT and INFOR-\nMATION") == "NON-INFRINGEMENT and INFORMATION"
    assert repair_hyphens("the Third-\nParty and Sub-\nProcessor") == "the Third-Party and Sub-Processor"
    # A line ending with a spaced dash is not hyphenation.
    assert repair_hyphens("Annex -\nPricing") == "Annex -\nPricing"


def test_strip_furniture_keeps_unique_lines():
    words = ["alpha", "beta", "gamma", "delta"]
    pages = [["Running Header", f"body {w}", f"1.{i} numbered clause", f"1.{i + 1} numbered clause", f"Page {i}"]
             for i, w in enumerate(words, start=1)]
    assert strip_furniture(pages) == [
        [f"body {w}", f"1.{i} numbered clause", f"1.{i + 1} numbered clause"] for i, w in enumerate(words, start=1)]


def test_reportlab_text_comes_out_with_spaces():
    doc = extract_document(make_pdf([["The leak was isolated by the vendor within two hours."]], footer=None), "x.pdf")
    assert doc.text == "The leak was isolated by the vendor within two hours."


def test_words_drawn_one_by_one_are_spaced_not_glued_or_split():
    """pypdf splits such pages one word per line; they are re-read by glyph position, page map intact."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(72, 780, "Page one is ordinary text drawn in one string.")
    c.showPage()
    for sentences in (["The leak was isolated quickly by the vendor team today.",
                       "Customer data stays in the European Union at all times."],
                      ["Page three also has words placed one at a time here."]):
        c.setFont("Helvetica", 11)
        y = 780
        for sentence in sentences:
            x = 72
            for word in sentence.split():
                c.drawString(x, y, word)
                x += stringWidth(word, "Helvetica", 11) + 3.5
            y -= 16
        c.showPage()
    c.save()
    doc = extract_document(buf.getvalue(), "x.pdf")
    pages = [doc.text[p.start:p.end] for p in doc.pages]
    assert pages == [
        "Page one is ordinary text drawn in one string.",
        "The leak was isolated quickly by the vendor team today.\n"
        "Customer data stays in the European Union at all times.",
        "Page three also has words placed one at a time here.",
    ]


def test_encrypted_pdf_with_empty_user_password_is_read():
    pdf = make_pdf([["Permission-only encryption is common on signed PDFs."]], footer=None, encrypt=("", "owner-secret"))
    doc = extract_document(pdf, "signed.pdf")
    assert doc.text == "Permission-only encryption is common on signed PDFs."
    assert any("encrypted" in w for w in doc.warnings)


def test_password_protected_pdf_rejected():
    pdf = make_pdf([["Secret terms."]], encrypt=("open-sesame", "owner"))
    with pytest.raises(ExtractionError) as err:
        extract_document(pdf, "locked.pdf")
    assert str(err.value) == "the PDF is password-protected; upload an unlocked copy"


def test_pdf_without_text_layer_rejected_with_ocr_message():
    pdf = make_pdf([[], []], footer=None, blank_pages=(1, 2))
    with pytest.raises(ExtractionError) as err:
        extract_document(pdf, "scan.pdf")
    msg = str(err.value)
    assert "no text layer" in msg and "OCR is not enabled" in msg and "upload a text-based PDF or the .docx" in msg


def test_pages_without_text_listed_in_warning_and_page_map_kept():
    pdf = make_pdf([["1. First page text."], [], ["3. Third page text."], []], footer=None, blank_pages=(2, 4))
    doc = extract_document(pdf, "mixed.pdf")
    assert any("no text layer on page(s) 2, 4" in w for w in doc.warnings)
    assert [p.number for p in doc.pages] == [1, 2, 3, 4]
    assert doc.text[doc.pages[2].start:doc.pages[2].end] == "3. Third page text."
    assert doc.pages[1].start == doc.pages[1].end


def test_page_limit_names_the_limit():
    pdf = make_pdf([["one"], ["two"], ["three"]], footer=None)
    with pytest.raises(ExtractionError, match="3 pages, over the limit of 2 pages"):
        extract_document(pdf, "x.pdf", limits=ExtractionLimits(max_pdf_pages=2))


def test_thousands_of_pages_rejected_fast(settings):
    settings.EXTRACT_MAX_PDF_PAGES = 500
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for _ in range(3000):
        c.showPage()
    c.save()
    t0 = time.monotonic()
    with pytest.raises(ExtractionError, match="over the limit of 500 pages"):
        extract_document(buf.getvalue(), "x.pdf")
    assert time.monotonic() - t0 < 5


def test_time_budget_exceeded_says_took_too_long():
    pdf = make_pdf([["text"]] * 3, footer=None)
    with pytest.raises(ExtractionError, match="took too long"):
        extract_document(pdf, "x.pdf", limits=ExtractionLimits(max_seconds=0))


@pytest.mark.parametrize("cut", [0.1, 0.5])
def test_truncated_pdf_gives_clear_error_or_partial_text(cut):
    pdf = make_pdf(PAGES)
    try:
        doc = extract_document(pdf[: int(len(pdf) * cut)], "x.pdf")
    except ExtractionError as exc:
        assert "PDF" in str(exc) and "\n" not in str(exc)
    else:
        assert doc.text.strip()


def test_garbage_after_pdf_magic_is_corrupt_error():
    with pytest.raises(ExtractionError, match="the PDF is corrupt or unreadable"):
        extract_document(b"%PDF-1.7\n" + b"garbage " * 100, "x.pdf")


def test_twenty_page_pdf_is_fast():
    pages = [[f"{p + 1}.{i} The Supplier shall keep Customer Data confidential and secure." for i in range(45)]
             for p in range(20)]
    pdf = make_pdf(pages, header="Master Agreement")
    t0 = time.monotonic()
    doc = extract_document(pdf, "long.pdf")
    elapsed = time.monotonic() - t0
    assert len(doc.pages) == 20 and "Master Agreement" not in doc.text
    assert doc.text.count("The Supplier shall keep Customer Data confidential and secure.") == 900
    assert elapsed < 5, elapsed


def _raw_pdf(stream: bytes, filters: str = "/FlateDecode") -> bytes:
    """A one-page PDF written by hand around a given content stream."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter %s >>\nstream\n" % (len(stream), filters.encode()) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_decompression_bomb_stream_rejected_in_bounded_time():
    import zlib

    co = zlib.compressobj(9)
    parts = [co.compress(b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET\n")]
    parts += [co.compress(b" " * (1 << 20)) for _ in range(100)]  # 100 MB of spaces from ~100 KB, past the 75 MB cap
    parts.append(co.flush())
    pdf = _raw_pdf(b"".join(parts))
    assert len(pdf) < 2 * 1024 * 1024
    t0 = time.monotonic()
    with pytest.raises(ExtractionError, match="expands past the safety limit"):
        extract_document(pdf, "bomb.pdf")
    assert time.monotonic() - t0 < 5


def test_hand_written_pdf_text_is_read():
    import zlib

    pdf = _raw_pdf(zlib.compress(b"BT /F1 12 Tf 72 700 Td (Governing law is Ireland.) Tj ET"))
    assert extract_document(pdf, "x.pdf").text == "Governing law is Ireland."


def test_page_with_huge_content_stream_refused_fast():
    import zlib

    co = zlib.compressobj(9)
    parts = [co.compress(b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET\n")]
    parts += [co.compress(b" " * (1 << 20)) for _ in range(40)]  # 40 MB: pypdf would parse it for ~20 s
    parts.append(co.flush())
    t0 = time.monotonic()
    with pytest.raises(ExtractionError, match="MB of drawing instructions"):
        extract_document(_raw_pdf(b"".join(parts)), "x.pdf")
    assert time.monotonic() - t0 < 5


def test_oversized_page_skipped_with_warning(monkeypatch):
    from procurement.extraction import pdf as pdf_module

    pdf = make_pdf([["Short page."], [f"Line {i} of a long page with many words." for i in range(40)]], footer=None)
    monkeypatch.setattr(pdf_module, "MAX_PAGE_CONTENT", 600)
    doc = extract_document(pdf, "x.pdf")
    assert doc.text == "Short page."
    assert any("page(s) 2 skipped" in w for w in doc.warnings)


def test_wrapped_lines_are_reflowed_into_paragraphs():
    page = [
        "4. Data use",
        "The Provider will not use any data that the Customer submits to the",
        "Services to train, retrain or improve any model offered to other",
        "Customers or to the public, and keeps it in the European Union.",
        "(a) Logs are kept for thirty days.",
        "Fees",
        "Plan | 10 EUR",
    ]
    doc = extract_document(make_pdf([page], footer=None), "x.pdf")
    assert doc.text == (
        "4. Data use\n"
        "The Provider will not use any data that the Customer submits to the Services to train, retrain or improve "
        "any model offered to other Customers or to the public, and keeps it in the European Union.\n"
        "(a) Logs are kept for thirty days.\nFees\nPlan | 10 EUR")
    assert [s.label for s in doc.sections] == ["4", "4(a)"]


def test_reflow_keeps_headings_items_and_sentence_ends():
    from procurement.extraction.pdf import reflow

    full = "x" * 60
    assert reflow(f"{full}\ncontinues here") == f"{full} continues here"
    assert reflow(f"{full}.\nNew paragraph") == f"{full}.\nNew paragraph"
    assert reflow(f"{full}\n(b) item") == f"{full}\n(b) item"
    assert reflow("Short heading\nBody text that is long enough to be a full line of the page.") == (
        "Short heading\nBody text that is long enough to be a full line of the page.")


def test_word_hyphenated_over_a_page_break_is_mended():
    pdf = make_pdf([["1. Scope", "The Supplier keeps all information in confi-"], ["dentiality, as agreed.", "2. Term"]],
                   footer=None)
    doc = extract_document(pdf, "x.pdf")
    pages = [doc.text[p.start:p.end] for p in doc.pages]
    assert pages == ["1. Scope\nThe Supplier keeps all information in confidentiality,", "as agreed.\n2. Term"]


def test_a_parser_call_that_hangs_is_interrupted(monkeypatch):
    """pypdf has looped forever on malformed files (#582, #2077): the alarm ends it after the budget."""
    from procurement.extraction import pdf as pdf_module

    def hang(page):
        while True:
            time.sleep(0.05)

    monkeypatch.setattr(pdf_module, "_page_text", hang)
    t0 = time.monotonic()
    with pytest.raises(ExtractionError, match="took too long"):
        extract_document(make_pdf([["text"]]), "x.pdf", limits=ExtractionLimits(max_seconds=0.5))
    assert time.monotonic() - t0 < 4


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_encryption_algorithms_empty_password_read_and_real_password_refused(algorithm):
    import pypdf

    plain = make_pdf([["Signed vendor terms."]], footer=None)

    def encrypted(user):
        writer = pypdf.PdfWriter(clone_from=io.BytesIO(plain))
        writer.encrypt(user_password=user, owner_password="owner-secret", algorithm=algorithm)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    assert extract_document(encrypted(""), "x.pdf").text == "Signed vendor terms."
    with pytest.raises(ExtractionError, match="password-protected; upload an unlocked copy"):
        extract_document(encrypted("secret"), "x.pdf")
