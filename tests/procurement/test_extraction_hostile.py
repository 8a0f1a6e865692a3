"""Hostile and broken input: zip bombs, XML entity attacks, lying extensions, random bytes, fuzzing.

Every case must end in an ExtractionError with a one-line message (or a valid result), quickly.
"""
import io
import os
import random
import struct
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from procurement.extraction import ExtractionError, ExtractionLimits, extract_document
from tests.procurement.test_extraction_fixtures import CONTENT_TYPES, RELS, make_docx, make_pdf, para


def _one_line(exc: ExtractionError) -> str:
    msg = str(exc)
    assert "\n" not in msg and "Traceback" not in msg
    assert ";" in msg, f"message should say what to do: {msg}"
    return msg


@pytest.fixture(scope="module")
def zip_bomb():
    """A valid-looking .docx whose image member inflates 300 MB of zeros from ~300 KB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("word/document.xml", make_docx_document())
        with zf.open("word/media/image1.png", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):
                fh.write(chunk)
    return buf.getvalue()


def make_docx_document():
    from tests.procurement.test_extraction_fixtures import document_xml

    return document_xml(para("Innocent text."))


@pytest.fixture(autouse=True)
def _default_limits(settings):
    """Pin the documented defaults so an environment override cannot change what these tests mean."""
    settings.UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    settings.EXTRACT_MAX_PDF_PAGES = 500
    settings.EXTRACT_MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
    settings.EXTRACT_MAX_ZIP_RATIO = 200
    settings.EXTRACT_MAX_TEXT_CHARS = 10 * 1024 * 1024


def test_zip_bomb_rejected_fast(zip_bomb):
    assert len(zip_bomb) < 1024 * 1024
    t0 = time.monotonic()
    with pytest.raises(ExtractionError) as err:
        extract_document(zip_bomb, "bomb.docx")
    assert time.monotonic() - t0 < 2
    assert "zip bomb" in _one_line(err.value)


def test_zip_bomb_member_ratio_rejected_below_total_limit():
    data = make_docx(para("x"), extra={"word/media/a.bin": b"\0" * (20 * 1024 * 1024)})
    with pytest.raises(ExtractionError, match="zip bomb"):
        extract_document(data, "x.docx")


def test_lying_declared_size_is_capped_while_inflating():
    """The directory says 100 bytes but the member inflates to 8 MB: reading stops, never trusts it."""
    big = b"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body>" + (
        b"<w:p/>" * (8 * 1024 * 1024 // 6)) + b"</w:body></w:document>"
    data = bytearray(make_docx("", document=big.decode()))
    # Patch the declared uncompressed size of word/document.xml in the local and central headers.
    name = b"word/document.xml"
    for sig, size_off, name_off in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        pos = 0
        while (pos := data.find(sig, pos)) != -1:
            nlen = struct.unpack("<H", data[pos + (26 if sig == b"PK\x03\x04" else 28):][:2])[0]
            if bytes(data[pos + name_off:pos + name_off + nlen]) == name:
                data[pos + size_off:pos + size_off + 4] = struct.pack("<I", 100)
            pos += 4
    limits = ExtractionLimits(max_unzipped_bytes=2 * 1024 * 1024)
    t0 = time.monotonic()
    with pytest.raises(ExtractionError) as err:
        extract_document(bytes(data), "x.docx", limits=limits)
    assert time.monotonic() - t0 < 2
    _one_line(err.value)


def test_too_many_zip_members_rejected():
    extra = {f"word/media/p{i}.bin": b"x" for i in range(60)}
    with pytest.raises(ExtractionError, match="over the limit of 50"):
        extract_document(make_docx(para("x"), extra=extra), "x.docx", limits=ExtractionLimits(max_zip_members=50))


@pytest.mark.parametrize("name", ["../evil.xml", "/etc/evil.xml", "word/../../evil.xml", "C:/evil.xml"])
def test_unsafe_member_names_rejected(name):
    with pytest.raises(ExtractionError, match="unsafe part name"):
        extract_document(make_docx(para("x"), extra={name: b"x"}), "x.docx")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "external-entity"])
def test_entity_attacks_in_document_rejected_fast(xml):
    t0 = time.monotonic()
    with pytest.raises(ExtractionError) as err:
        extract_document(make_docx("", document=xml), "x.docx")
    assert time.monotonic() - t0 < 1
    assert "DTD or entity" in _one_line(err.value)
    assert "root:" not in str(err.value)


def test_entity_attack_in_styles_part_rejected():
    with pytest.raises(ExtractionError, match="styles.xml"):
        extract_document(make_docx(para("x"), styles=XXE), "x.docx")


def test_entity_attack_hidden_in_utf16_part_rejected():
    with pytest.raises(ExtractionError, match="DTD"):
        extract_document(make_docx("", document=XXE.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16")), "x.docx")


def test_truncated_docx_rejected_with_resave_advice():
    data = make_docx(para("Some clause text " * 50))
    with pytest.raises(ExtractionError) as err:
        extract_document(data[: len(data) // 2], "x.docx")
    assert "re-save it from Word" in _one_line(err.value)


def test_malformed_xml_in_docx_rejected():
    with pytest.raises(ExtractionError, match="corrupt or not a Word document"):
        extract_document(make_docx("", document="<w:document><unclosed>"), "x.docx")


def test_random_bytes_rejected():
    data = random.Random(7).randbytes(4096)
    with pytest.raises(ExtractionError) as err:
        extract_document(data, "contract.pdf")
    assert "not a supported document" in _one_line(err.value)


@pytest.mark.parametrize("data", [b"", b"   \n\t  \r\n", b"\xef\xbb\xbf"])
def test_empty_files_rejected(data):
    with pytest.raises(ExtractionError, match="the file is empty"):
        extract_document(data, "empty.txt")


def test_docx_with_only_empty_paragraphs_is_empty():
    with pytest.raises(ExtractionError, match="the file is empty"):
        extract_document(make_docx(para("") + para("   ")), "x.docx")


@pytest.mark.parametrize("data,needle", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "save as .docx"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "PNG image"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 100, "JPEG image"),
    (b"MZ\x90\x00" + b"\0" * 100, "executable"),
    (b"\x7fELF\x02\x01" + b"\0" * 100, "executable"),
    (b"{\\rtf1\\ansi hello}", "Rich Text Format"),
    (b"\x1f\x8b\x08\x00" + b"\0" * 50, "gzip"),
])
def test_unsupported_types_rejected_by_content(data, needle):
    with pytest.raises(ExtractionError) as err:
        extract_document(data, "contract.docx")
    assert needle in _one_line(err.value)


def test_zip_without_word_part_rejected():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("notes.txt", "hello")
    with pytest.raises(ExtractionError, match="zip archive without a Word document"):
        extract_document(buf.getvalue(), "x.docx")


def test_xlsx_rejected_with_advice():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ExtractionError, match="Excel spreadsheet"):
        extract_document(buf.getvalue(), "x.docx")


def test_extension_lies_docx_named_pdf_parsed_as_docx():
    doc = extract_document(make_docx(para("Real Word content.")), "contract.pdf")
    assert doc.format == "docx" and doc.text == "Real Word content."
    assert any("extension .pdf but content is docx" in w for w in doc.warnings)


def test_extension_lies_text_named_docx_parsed_as_text():
    doc = extract_document(b"Plain words in a file.", "contract.docx")
    assert doc.format == "txt" and doc.text == "Plain words in a file."
    assert any("extension .docx but content is txt" in w for w in doc.warnings)


def test_extension_lies_pdf_named_txt():
    doc = extract_document(make_pdf([["A clause in a PDF."]], footer=None), "notes.txt")
    assert doc.format == "pdf" and doc.text == "A clause in a PDF."
    assert any("extension .txt but content is pdf" in w for w in doc.warnings)


def test_oversized_upload_rejected_naming_limit_in_mb():
    limits = ExtractionLimits(max_bytes=1024 * 1024)
    with pytest.raises(ExtractionError) as err:
        extract_document(b"a" * (2 * 1024 * 1024), "big.txt", limits=limits)
    assert "upload limit of 1 MB" in _one_line(err.value)


def test_fifty_megabyte_text_rejected_quickly_by_default_limit():
    data = b"word " * (10 * 1024 * 1024)
    t0 = time.monotonic()
    with pytest.raises(ExtractionError, match="upload limit of 20 MB"):
        extract_document(data, "big.txt")
    assert time.monotonic() - t0 < 1


def test_text_longer_than_char_limit_rejected():
    limits = ExtractionLimits(max_text_chars=1000)
    with pytest.raises(ExtractionError, match="limit of 1,000 characters"):
        extract_document(b"clause text " * 200, "x.txt", limits=limits)
    with pytest.raises(ExtractionError, match="limit of 1,000 characters"):
        extract_document(make_docx(para("clause text " * 200)), "x.docx", limits=limits)


def test_defaults_come_from_django_settings(settings):
    settings.EXTRACT_MAX_PDF_PAGES = 3
    settings.UPLOAD_MAX_BYTES = 12345
    limits = ExtractionLimits()
    assert limits.max_pdf_pages == 3 and limits.max_bytes == 12345
    assert ExtractionLimits(max_pdf_pages=9).max_pdf_pages == 9


def _mutations(data: bytes, seed: int, count: int):
    rnd = random.Random(seed)
    for _ in range(count):
        buf = bytearray(data)
        kind = rnd.randrange(4)
        if kind == 0:
            for _ in range(rnd.randint(1, 20)):
                buf[rnd.randrange(len(buf))] = rnd.randrange(256)
        elif kind == 1:
            buf = buf[: rnd.randrange(1, len(buf))]
        elif kind == 2:
            pos = rnd.randrange(len(buf))
            buf[pos:pos] = os.urandom(rnd.randint(1, 64))
        else:
            a = rnd.randrange(len(buf))
            b = min(len(buf), a + rnd.randint(1, 200))
            del buf[a:b]
        yield bytes(buf)


def _assert_only_extraction_errors(samples, name):
    for sample in samples:
        t0 = time.monotonic()
        try:
            doc = extract_document(sample, name)
        except ExtractionError as exc:
            _one_line(exc)
        else:
            assert isinstance(doc.text, str) and doc.text.strip()
        assert time.monotonic() - t0 < 5


def test_fuzzed_docx_never_raises_other_errors():
    body = "".join(para(f"Clause {i} text.", num=(1, i % 3)) for i in range(20))
    _assert_only_extraction_errors(_mutations(make_docx(body), seed=1, count=250), "x.docx")


def test_fuzzed_pdf_never_raises_other_errors():
    pdf = make_pdf([["1. First clause of the contract.", "2. Second clause."], ["3. Third clause."]])
    _assert_only_extraction_errors(_mutations(pdf, seed=2, count=250), "x.pdf")


def test_memory_bounded_for_bombs(zip_bomb):
    """Python-level peak allocation stays far below the 300 MB budget (issue 6) on both bomb kinds."""
    import tracemalloc
    import zlib

    from tests.procurement.test_extraction_pdf import _raw_pdf

    co = zlib.compressobj(9)
    parts = [co.compress(b"BT /F1 12 Tf 72 700 Td (Hi) Tj ET\n")] + [co.compress(b" " * (1 << 20)) for _ in range(100)]
    pdf_bomb = _raw_pdf(b"".join(parts) + co.flush())
    for data, name in ((zip_bomb, "bomb.docx"), (pdf_bomb, "bomb.pdf")):
        tracemalloc.start()
        try:
            with pytest.raises(ExtractionError):
                extract_document(data, name)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 250 * 1024 * 1024, (name, peak)


@hyp_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), name=st.sampled_from(["a.txt", "a.pdf", "a.docx", "a.html", "", "a.md"]))
def test_arbitrary_bytes_only_ever_raise_extraction_error(data, name):
    try:
        doc = extract_document(data, name)
    except ExtractionError as exc:
        assert "\n" not in str(exc)
    else:
        assert doc.text.strip()
        for s in doc.sections:
            assert 0 <= s.start < s.end <= len(doc.text)


@hyp_settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=2000))
def test_any_text_gives_offsets_into_the_returned_text(text):
    try:
        doc = extract_document(text.encode("utf-8"), "a.txt")
    except ExtractionError:
        return
    assert "\r" not in doc.text and "\u200b" not in doc.text and "\u00a0" not in doc.text
    for s in doc.sections:
        assert 0 <= s.start < s.end <= len(doc.text)
        assert not doc.text[s.start].isspace()


def test_password_protected_word_file_named_as_such():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 100
    with pytest.raises(ExtractionError, match="password-protected; remove the password"):
        extract_document(ole, "contract.docx")


def test_oversized_xml_part_refused_before_parsing():
    body = "".join(para(f"Clause {i} of the agreement.") for i in range(3000))
    with pytest.raises(ExtractionError, match="over the limit of 0.1 MB for one part"):
        extract_document(make_docx(body), "x.docx", limits=ExtractionLimits(max_xml_bytes=100_000))


def test_zip_with_a_huge_directory_refused_from_its_end_record(settings):
    settings.EXTRACT_MAX_ZIP_MEMBERS = 100
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("word/document.xml", make_docx_document())
        for i in range(5000):
            zf.writestr(f"x/{i}", b"")
    t0 = time.monotonic()
    with pytest.raises(ExtractionError, match="5,001 parts, over the limit of 100"):
        extract_document(buf.getvalue(), "x.docx")
    assert time.monotonic() - t0 < 1


def test_fuzzed_xml_inside_a_valid_zip_never_raises_other_errors():
    """Mutate the XML parts themselves (the zip stays valid), so the XML and numbering paths are hit."""
    from tests.procurement.test_extraction_fixtures import NUMBERING, STYLES, document_xml

    body = "".join(para(f"Clause {i} text.", num=(1, i % 4), style="ClauseSub" if i % 5 == 0 else None)
                   for i in range(15))
    parts = {"document": document_xml(body), "styles": STYLES, "numbering": NUMBERING}
    rnd = random.Random(3)
    samples = []
    for _ in range(150):
        which = rnd.choice(list(parts))
        xml = bytearray(parts[which].encode())
        for _ in range(rnd.randint(1, 6)):
            pos = rnd.randrange(len(xml))
            op = rnd.randrange(3)
            if op == 0:
                xml[pos] = rnd.choice(b'<>/"=&;#%wp0123456789 ')
            elif op == 1:
                del xml[pos:pos + rnd.randint(1, 30)]
            else:
                xml[pos:pos] = rnd.choice([b'"', b"<w:p>", b"</w:r>", b'w:val="-7"', b'w:val="99"', b"%9", b"&amp;"])
        mutated = dict(parts, **{which: xml.decode("utf-8", "replace")})
        samples.append(make_docx("", document=mutated["document"], styles=mutated["styles"],
                                 numbering=mutated["numbering"]))
    _assert_only_extraction_errors(samples, "x.docx")


def test_absurd_numbering_values_are_tolerated():
    numbering = """<?xml version="1.0"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
    <w:abstractNum w:abstractNumId="0">
      <w:lvl w:ilvl="0"><w:start w:val="-5"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%1.%9)"/></w:lvl>
      <w:lvl w:ilvl="1"><w:start w:val="abc"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%2"/></w:lvl>
    </w:abstractNum>
    <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
    <w:num w:numId="2"><w:abstractNumId w:val="404"/></w:num></w:numbering>"""
    body = para("first", num=(1, 0)) + para("second", num=(1, 1)) + para("third", num=(2, 0)) + para("deep", num=(1, 99))
    doc = extract_document(make_docx(body, numbering=numbering), "x.docx")
    # Negative starts show as 0 in roman, a missing level (%9) at its default start, an unknown
    # abstractNum or level gives no label: odd, like Word, but never an error or lost text.
    assert doc.text == "0.1) first\nA second\nthird\ndeep"
