"""Report schema (shared/spec/scan-report.md), evidence offsets, sections/pages, long documents."""
import random
import tracemalloc

import pytest

from clauses.catalogue import topic_ids
from clauses.nlp.check import check_text
from clauses.nlp.structure import detect_sections, iter_blocks
from clauses.textdoc import Page, Section

SAMPLE = (
    "EXAMPLE MODEL LICENSE AGREEMENT\n\n"
    "1. Grant\n\n"
    "1.1 Licensor grants you a worldwide, royalty-free licence to use, reproduce and distribute the Model.\n\n"
    "1.2 You may not modify the Model.\n\n"
    "2. Law\n\n"
    "This Agreement is governed by the laws of the State of New York.\n"
)


def test_report_has_every_topic_in_catalogue_order_and_schema_fields():
    r = check_text(SAMPLE, name="x.txt", sha256="ab", profile="model_license")
    assert r["schema"] == "scan-report/1" and r["checker_version"].startswith("1.0.0+")
    assert [t["topic"] for t in r["topics"]] == list(topic_ids())
    assert r["document"]["profile"] == "model_license" and r["document"]["words"] == len(SAMPLE.split())
    for t in r["topics"]:
        assert t["status"] in ("present", "conflict", "missing")
        assert t["severity"] in ("high", "medium", "low", "info")
        assert set(t) >= {"topic", "status", "required", "finding", "severity", "value", "explanation", "evidence",
                          "suggested_clause"}
        if t["status"] != "missing":
            assert t["evidence"]
        assert t["finding"] == (t["status"] == "conflict" or (t["status"] == "missing" and t["required"]))
        assert (t["suggested_clause"] == f"{t['topic']}/preferred") == t["finding"]
    s = r["summary"]
    assert s["findings"] == sum(t["finding"] for t in r["topics"])
    assert s["conflict"] + s["missing"] + s["present"] == 31


def test_evidence_quotes_are_verbatim_with_detected_sections():
    r = check_text(SAMPLE, profile="model_license")
    rows = {t["topic"]: t for t in r["topics"]}
    assert rows["derivatives.right_to_modify"]["status"] == "conflict"
    ev = rows["derivatives.right_to_modify"]["evidence"][0]
    assert SAMPLE[ev["start"]:ev["end"]] == ev["quote"] == "1.2 You may not modify the Model."
    assert ev["section"] == "1.2" and ev["page"] is None
    law = rows["compliance.governing_law"]
    assert (law["status"], law["value"], law["evidence"][0]["section"]) == ("present", "New York", "2")


def test_given_sections_and_pages_are_used():
    start = SAMPLE.index("1.2 You")
    sections = (Section(label="7(b)", title=None, start=start, end=start + 40),)
    pages = (Page(number=1, start=0, end=start), Page(number=2, start=start, end=len(SAMPLE)))
    r = check_text(SAMPLE, sections=sections, pages=pages, profile="model_license")
    ev = next(t for t in r["topics"] if t["topic"] == "derivatives.right_to_modify")["evidence"][0]
    assert (ev["section"], ev["page"]) == ("7(b)", 2)


def test_detect_sections_nests_lettered_items():
    text = "5. Fees\n(a) Fees are due monthly.\n(b) Prices may change.\n6. Law\nGoverned by Irish law."
    labels = {s.label for s in detect_sections(text)}
    assert {"5", "5(a)", "5(b)", "6"} <= labels


def test_playbook_changes_status():
    text = "This Agreement is governed by the laws of Ireland."
    row = lambda r: next(t for t in r["topics"] if t["topic"] == "compliance.governing_law")  # noqa: E731
    assert row(check_text(text))["status"] == "present"
    assert row(check_text(text, playbook={"accepted_governing_laws": ["California"]}))["status"] == "conflict"
    with pytest.raises(ValueError, match="unknown playbook key"):
        check_text(text, playbook={"max_days": 3})
    with pytest.raises(ValueError, match="unknown profile"):
        check_text(text, profile="nda")


FILLER = [
    "The parties will meet quarterly to review the project plan.",
    "Each invoice lists the hours worked by each consultant.",
    "Meetings take place by video conference unless agreed otherwise.",
    "The steering committee consists of two members from each party.",
]


def test_two_megabyte_document_scans_with_exact_offsets_and_bounded_memory():
    rng = random.Random(7)
    parts, size = [], 0
    while size < 2_000_000:
        para = " ".join(rng.choice(FILLER) for _ in range(6))
        parts.append(para)
        size += len(para) + 2
    marker = "The Provider will not use Customer Content to train its models."
    parts.insert(len(parts) // 2, marker)
    parts.append("Any single line without breaks " * 40000)  # one 1.2 MB paragraph: must be cut, not E088
    text = "\n\n".join(parts)
    assert len(text) > 3_000_000
    tracemalloc.start()
    r = check_text(text, profile="hosted_service")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    row = next(t for t in r["topics"] if t["topic"] == "input.no_training")
    assert row["status"] == "present"
    ev = row["evidence"][0]
    assert text[ev["start"]:ev["end"]] == ev["quote"] == marker
    assert peak < 500 * 1024 * 1024


def test_blocks_cover_text_with_exact_offsets():
    text = "Heading\n\nFirst para line one\nline two.\n\n\n  Second para.\n" + "x " * 300
    blocks = list(iter_blocks(text, max_chars=100))
    assert all(e - s <= 100 for s, e in blocks)
    assert text[blocks[0][0]:blocks[0][1]] == "Heading"
    assert text[blocks[1][0]:blocks[1][1]] == "First para line one\nline two."
    assert text[blocks[2][0]:blocks[2][1]] == "Second para."


def test_missing_explanations_keep_acronyms_of_the_topic_title():
    from clauses.nlp.explain import _lower_words, explanation

    assert explanation("output.ip_indemnity", "missing").endswith("(IP indemnity).")
    assert _lower_words("Ownership of Derivatives and SOW terms") == "ownership of derivatives and SOW terms"
