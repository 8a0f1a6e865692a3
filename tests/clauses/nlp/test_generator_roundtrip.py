"""Issue 3: a document from our own generator, scanned as its profile, reports every topic it includes as
`present` and no conflicts (over a matrix of generator answers)."""
import pytest

from clauses import assembly
from clauses.answers import validate_answers
from clauses.nlp.check import check_text
from procurement.extraction import extract_document
from tests.clauses.generator_helpers import make_answers

MATRIX = [
    ("sow", {"engagement__deployment": "hosted", "engagement__fine_tuning": True}),
    ("sow", {"engagement__deployment": "self_hosted", "engagement__fine_tuning": False}),
    ("sow", {"engagement__deployment": "hybrid"}),
    ("dpa", {}),
    ("dpa", {"retention_days": 14, "breach_notice_hours": 24}),
]


@pytest.mark.parametrize(("doc_type", "overrides"), MATRIX)
def test_generated_document_scans_present_without_conflicts(doc_type, overrides):
    answers = validate_answers(make_answers(**overrides), doc_type)
    data = assembly.render_docx(doc_type, answers, clauses=assembly.clauses_from_data(doc_type, answers))
    included = set(assembly.read_generated_metadata(data)["topics"])
    assert included
    doc = extract_document(data, f"generated.{doc_type}.docx")
    report = check_text(doc.text, sections=doc.sections, pages=doc.pages, profile=doc_type)
    rows = {t["topic"]: t for t in report["topics"]}
    assert {t for t in included if rows[t]["status"] != "present"} == set()
    assert [t for t, row in rows.items() if row["status"] == "conflict"] == []
    for row in rows.values():
        for ev in row["evidence"]:
            assert doc.text[ev["start"]:ev["end"]] == ev["quote"]
