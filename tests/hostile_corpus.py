"""The hostile-file corpus of issue 6, generated on the fly (no binary fixtures, no corpus text).

`corpus()` returns {case id: (file name, bytes)}; `BIG_TEXT_CASE` (50 MB) is built separately by
`big_text()` because it is slow to push around. Each generator is small and written for these tests.
"""
import io
import random
import zipfile
import zlib

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SENTENCE = "The provider deletes customer data within thirty days after the end of the agreement."


def _document_xml(body: str, prolog: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>')


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def docx(document_xml: str, extra: dict | None = None) -> bytes:
    """A minimal .docx package around `document_xml` (plus extra members name -> bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def good_docx() -> bytes:
    return docx(_document_xml(_para("1. Data") + _para(SENTENCE)))


def docx_zip_bomb(megabytes: int = 300) -> bytes:
    """~300 KB of zip whose media member inflates to `megabytes` MB of zeros."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("word/document.xml", _document_xml(_para("Innocent text.")))
        with zf.open("word/media/image1.png", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(megabytes):
                fh.write(chunk)
    return buf.getvalue()


def docx_billion_laughs() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    prolog = f"<!DOCTYPE w:document [{entities}]>"
    return docx(_document_xml(_para("&lol9;"), prolog))


def docx_xxe() -> bytes:
    prolog = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return docx(_document_xml(_para("&xxe;"), prolog))


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, flate: bool = False) -> bytes:
    head = b"<< /Length %d%s >>\nstream\n" % (len(data), b" /Filter /FlateDecode" if flate else b"")
    return head + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_many_pages(pages: int = 5000) -> bytes:
    """`pages` page objects sharing one tiny content stream (objects: 1 catalog, 2 pages, 3 content, 4 font)."""
    first = 5
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
               _stream(b"BT /F1 12 Tf 72 700 Td (Page text.) Tj ET"), FONT]
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
            b"/Resources << /Font << /F1 4 0 R >> >> >>")
    return _pdf(objects + [page] * pages)


def pdf_one_page(content: bytes, flate: bool = False) -> bytes:
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                 b"/Resources << /Font << /F1 5 0 R >> >> >>", _stream(content, flate), FONT])


def pdf_decompression_bomb(megabytes: int = 512) -> bytes:
    co = zlib.compressobj(9)
    parts = [co.compress(b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET\n")]
    parts += [co.compress(b" " * (1 << 20)) for _ in range(megabytes)]
    parts.append(co.flush())
    return pdf_one_page(b"".join(parts), flate=True)


def pdf_encrypted() -> bytes:
    """A PDF locked with a real user password (pypdf, RC4-128: no extra crypto dependency)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf_one_page(b"BT /F1 12 Tf 72 700 Td (Secret terms.) Tj ET"))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="open-sesame", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def big_text(megabytes: int = 50) -> bytes:
    line = (SENTENCE + "\n").encode()
    return line * (megabytes * 1024 * 1024 // len(line) + 1)


def corpus(marker: str) -> dict[str, tuple[str, bytes]]:
    """Return {case: (file name as sent by the client, bytes)}. `marker` is put into hostile file names so
    a test can search the disk for anything written under such a name."""
    rnd = random.Random(6)
    legacy = ("1. Données\nLe fournisseur supprime les données dans les trente jours. "
              "Café ‘quoted’ – dash.\n").encode("cp1252")
    return {
        "docx_zip_bomb": ("bomb.docx", docx_zip_bomb()),
        "docx_billion_laughs": ("laughs.docx", docx_billion_laughs()),
        "docx_xxe": ("xxe.docx", docx_xxe()),
        "pdf_5000_pages": ("pages.pdf", pdf_many_pages(5000)),
        "pdf_decompression_bomb": ("bomb.pdf", pdf_decompression_bomb()),
        "pdf_encrypted": ("locked.pdf", pdf_encrypted()),
        "lying_ext_docx_as_pdf": ("contract.pdf", good_docx()),
        "lying_ext_pdf_as_txt": ("contract.txt", pdf_one_page(b"BT /F1 12 Tf 72 700 Td (" + SENTENCE.encode()
                                                              + b") Tj ET")),
        "random_bytes": ("random.pdf", rnd.randbytes(200_000)),
        "empty": ("empty.txt", b""),
        "non_utf8_text": ("legacy.txt", legacy),
        "name_path_traversal": (f"../../{marker}-traversal.txt", SENTENCE.encode() + b" traversal"),
        "name_backslashes": (f"..\\..\\{marker}-win.txt", SENTENCE.encode() + b" backslashes"),
        "name_control_chars": (f"{marker}\x07\x1b[31m\u202egnp.txt", SENTENCE.encode() + b" control"),
        "name_very_long": (marker + "x" * 300 + ".txt", SENTENCE.encode() + b" long name"),
    }
