"""Text files with a little damage are still read as what they are (the hostile-input trial).

- UTF-8 with one bad byte (or an encoded lone surrogate) was re-read as a legacy code page: every curly
  quote became three wrong characters in the evidence. Now the bad bytes become U+FFFD, with a warning.
- A stray NUL byte made a valid text file "unknown binary data". Now the NULs are dropped, with a warning.
- Real legacy files (Windows-1252 curly quotes) and real binary data keep their old handling.
"""
import pytest

from procurement.extraction import extract_document
from procurement.extraction.base import ExtractionError

CONTRACT = ("\u201cCustomer Data\u201d means data the Customer submits.\n"
            "The Provider may use Customer Data to train its models.\n") * 20


@pytest.mark.parametrize("damage", [b"\xff", b"\xed\xa0\x80", b"\xc3", b"\x80\x80"])
def test_utf8_with_a_few_bad_bytes_stays_utf8(damage):
    data = CONTRACT.encode() + damage + b"\n" + CONTRACT.encode()
    doc = extract_document(data, "terms.txt")
    assert doc.text.startswith("\u201cCustomer Data\u201d means")
    assert "\u201a\u00c4\u00fa" not in doc.text and "\ufffd" in doc.text
    assert any("not valid UTF-8 and were replaced" in w for w in doc.warnings)


def test_windows_1252_still_read_as_windows_1252():
    doc = extract_document(CONTRACT.encode("cp1252"), "terms.txt")
    assert doc.text.startswith("\u201cCustomer Data\u201d means")
    assert any("decoded as cp1252" in w for w in doc.warnings)


@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_a_stray_nul_is_dropped_not_a_rejection(where):
    text = CONTRACT
    at = {"start": 0, "middle": len(text) // 2, "end": len(text)}[where]
    data = (text[:at] + "\x00" + text[at:]).encode()
    doc = extract_document(data, "terms.txt")
    assert "\x00" not in doc.text
    assert doc.text.replace("\n", "") == text.replace("\n", "")
    assert any("1 NUL character(s) removed" in w for w in doc.warnings)


def test_binary_data_with_many_nuls_is_still_refused():
    data = bytes(range(256)) * 40
    with pytest.raises(ExtractionError, match="unknown binary data"):
        extract_document(data, "terms.txt")
