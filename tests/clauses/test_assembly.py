"""SOW/DPA assembly (pure path): matrix of answers, clause text, escaping, line breaks, metadata."""
import io
import itertools
import zipfile

import pytest
from docx import Document

from clauses import assembly, catalogue, library
from clauses.answers import validate_answers
from tests.clauses.generator_helpers import docx_paragraphs, make_answers, substitute

MATRIX = [
    (doc_type, deployment, fine_tuning, personal_data, position)
    for doc_type, deployment, fine_tuning, personal_data, position in itertools.product(
        ("sow", "dpa"), ("hosted", "self_hosted", "hybrid"), (True, False), (True, False), ("preferred", "fallback"))
    if not (doc_type == "dpa" and not personal_data)  # refused by validation, tested separately
]


def render(doc_type, answers, **kwargs):
    cleaned = validate_answers(answers, doc_type)
    return cleaned, assembly.render_docx(doc_type, cleaned, clauses=assembly.clauses_from_data(doc_type, cleaned),
                                         **kwargs)


@pytest.mark.parametrize("doc_type, deployment, fine_tuning, personal_data, position", MATRIX)
def test_matrix_renders_the_expected_clauses(doc_type, deployment, fine_tuning, personal_data, position):
    positions = {tid: position for tid in catalogue.topic_ids()}
    answers = make_answers(engagement__deployment=deployment, engagement__fine_tuning=fine_tuning,
                           personal_data=personal_data, positions=positions)
    cleaned, data = render(doc_type, answers)
    paragraphs = docx_paragraphs(data)
    text = "\n".join(paragraphs)

    topics = assembly.select_topics(doc_type, cleaned)
    entries = {(e.topic, e.position): e for e in library.clause_entries()}
    for tid in topics:  # every included clause, variables substituted, as one numbered paragraph
        e = entries[(tid, position)]
        expected = f"{e.title}. {substitute(e.text, cleaned)}"
        assert any(p.endswith(expected) for p in paragraphs), f"{tid} [{position}] missing"
    for tid in set(catalogue.topic_ids()) - set(topics):
        assert substitute(entries[(tid, position)].text, cleaned) not in text

    weights = deployment in ("self_hosted", "hybrid")
    assert ("derivatives.ownership" in topics) == (doc_type == "sow" and fine_tuning)
    assert ("derivatives.exclusivity" in topics) == fine_tuning
    assert ("security.artifact_integrity" in topics) == (doc_type == "sow" and weights)
    assert ("license.redistribution" in topics) == (doc_type == "sow" and weights)
    if doc_type == "dpa":
        assert {t for t in topics if t.startswith("input.")} == {t for t in catalogue.topic_ids() if t.startswith("input.")}
        assert text.count("governed by the laws of England and Wales") == 1
    assert "within 48 hours" in text or "input.breach_notification" not in topics
    assert ("(C) The services include fine-tuning" in text) == fine_tuning
    assert ("Personal data processed\nYes" in text) == personal_data
    for marker in ("{{", "{%", "}}", "%}"):
        assert marker not in text
    assert paragraphs[0] == assembly.DOCUMENT_TITLES[doc_type].upper()


def test_sow_numbers_clauses_within_topic_groups_and_defines_only_used_terms():
    cleaned, data = render("sow", make_answers(engagement__deployment="self_hosted", engagement__fine_tuning=False,
                                               personal_data=False))
    paragraphs = docx_paragraphs(data)
    headings = [p for p in paragraphs if p[:2] in {f"{n}." for n in range(1, 10)} or p[:3] == "10."]
    # No fine-tuning: the derivatives group holds only the right to modify, without the Derivatives term.
    assert headings[:3] == ["1. Definitions", "2. Modification of the Model", "2.1 Right to modify the Model. "
                            "The Customer may modify, adapt, fine-tune, quantise, distil and create derivative works of "
                            "the Model without restriction, whether itself or through contractors acting on its "
                            "behalf, and may combine the Model and any modification of it with any other software, "
                            "data or models."]
    assert "3. Protection of customer inputs" in paragraphs
    assert any(p.startswith("3.2 Confidentiality of Customer Data.") for p in paragraphs)
    assert not any(p.startswith("3.3") for p in paragraphs)  # self-hosted, no fine-tuning: provider holds no data
    defined = [p.split("\u201d")[0][1:] for p in paragraphs if p.startswith("\u201c")]
    assert "Data Protection Laws" not in defined and "Personal Data" not in defined  # only data-location uses them
    assert "Subprocessor" in defined  # no clause here uses it, but the definition of Customer Data does
    # Customer Inputs' definition names Fine-Tuning Data only when the engagement includes fine-tuning
    assert "Customer Inputs" in defined and "Fine-Tuning Data" not in defined and "Derivatives" not in defined
    assert defined == sorted(defined, key=str.casefold)
    assert not any(p.startswith("10.2 Personal data.") or p.startswith("9.2 Personal data") for p in paragraphs)


def test_values_with_xml_characters_and_non_ascii_come_out_exactly():
    name, provider = 'Smith & Jones <UK> "Ltd"', "Zoë Ærøskøbing ApS"
    answers = make_answers(customer__name=name, provider__name=provider, governing_law="Zoë's <land> & \"Co\"",
                           subprocessors=[{"name": "A&B <GPU>", "purpose": "hosting 'fast'", "location": "Ærø"}])
    _, data = render("sow", answers)
    paragraphs = docx_paragraphs(data)
    assert f"(1) {name} (the \u201cCustomer\u201d), whose address is:" in paragraphs
    assert f"(2) {provider} (the \u201cProvider\u201d), whose address is:" in paragraphs
    assert f"For the Customer: {name}" in paragraphs
    assert "A&B <GPU>" in paragraphs and "hosting 'fast'" in paragraphs and "Ærø" in paragraphs
    assert any("governed by the laws of Zoë's <land> & \"Co\"." in p for p in paragraphs)


def test_two_line_address_comes_out_as_two_lines():
    _, data = render("dpa", make_answers(customer__address="1 Harbour Road\nBristol BS1 4XX"))
    doc = Document(io.BytesIO(data))
    para = next(p for p in doc.paragraphs if p.text.startswith("1 Harbour Road"))
    assert para.text == "1 Harbour Road\nBristol BS1 4XX"
    assert len(para._p.xpath(".//w:br")) == 1


def test_empty_subprocessor_list_says_none():
    _, data = render("dpa", make_answers(subprocessors=[]))
    paragraphs = docx_paragraphs(data)
    assert "None: the Provider engages no subprocessors at the date of this Data Processing Agreement." in paragraphs
    assert "Subprocessor" not in [p for p in paragraphs if p == "Subprocessor"]


def test_custom_properties_record_draft_versions_and_template_digest():
    cleaned = validate_answers(make_answers(), "sow")
    clauses = [assembly.ClauseText(c.topic, c.position, c.title, c.text, c.defined_terms, version_id=100 + i)
               for i, c in enumerate(assembly.clauses_from_data("sow", cleaned))]
    data = assembly.render_docx("sow", cleaned, clauses=clauses, draft_id=42)
    meta = assembly.read_generated_metadata(data)
    _, sha256 = assembly.template_bytes("sow")
    assert meta == {
        "generator": assembly.GENERATOR, "draft_id": 42, "doc_type": "sow", "template_key": "sow",
        "template_sha256": sha256, "clause_version_ids": list(range(100, 100 + len(clauses))),
        "topics": assembly.select_topics("sow", cleaned),
    }
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        types = zf.read("[Content_Types].xml").decode()
        rels = zf.read("_rels/.rels").decode()
    assert 'PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"' in types
    assert 'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"' in rels
    assert 'Target="docProps/custom.xml"' in rels


def test_clause_texts_alias_is_accepted():
    cleaned = validate_answers(make_answers(), "dpa")
    data = assembly.render_docx("dpa", cleaned, clause_texts=assembly.clauses_from_data("dpa", cleaned))
    assert assembly.read_generated_metadata(data)["draft_id"] is None


@pytest.mark.parametrize("blob", [b"", b"not a zip", None])
def test_documents_not_generated_here_are_not_recognised(blob, tmp_path):
    if blob is None:
        doc = Document()
        doc.add_paragraph("A vendor contract.")
        buf = io.BytesIO()
        doc.save(buf)
        blob = buf.getvalue()
    assert assembly.read_generated_metadata(blob) is None


def test_missing_clause_for_an_included_topic_is_an_error():
    cleaned = validate_answers(make_answers(), "dpa")
    clauses = [c for c in assembly.clauses_from_data("dpa", cleaned) if c.topic != "input.audit"]
    with pytest.raises(assembly.AssemblyError, match="no approved clause for topic input.audit"):
        assembly.render_docx("dpa", cleaned, clauses=clauses)


def test_clause_with_unknown_variable_fails_naming_it():
    cleaned = validate_answers(make_answers(), "dpa")
    clauses = [assembly.ClauseText(c.topic, c.position, c.title,
                                   c.text + " {{ cap_amount }}" if c.topic == "liability.cap" else c.text)
               for c in assembly.clauses_from_data("dpa", cleaned)]
    with pytest.raises(assembly.AssemblyError, match=r"clause liability.cap \[preferred\].*cap_amount"):
        assembly.render_docx("dpa", cleaned, clauses=clauses)


def _template_with(paragraph_runs, tmp_path, monkeypatch):
    doc = Document()
    para = doc.add_paragraph()
    for run in paragraph_runs:
        para.add_run(run)
    path = tmp_path / "sow_tpl.docx"
    doc.save(path)
    monkeypatch.setattr(assembly, "TEMPLATE_DIR", tmp_path)


def test_split_tag_is_repaired_by_docxtpl(tmp_path, monkeypatch):
    # Word splits "{{ governing_law }}" into runs on spell-check (python-docx-template #440); docxtpl joins them.
    _template_with(["Law: {", "{ governing_law }", "}"], tmp_path, monkeypatch)
    cleaned = validate_answers(make_answers(), "sow")
    data = assembly.render_docx("sow", cleaned, clauses=assembly.clauses_from_data("sow", cleaned))
    assert docx_paragraphs(data)[0] == "Law: England and Wales"


def test_stray_template_markup_in_a_template_is_reported_with_its_paragraph(tmp_path, monkeypatch):
    _template_with(["Law: {{ governing_law }} and a stray }}"], tmp_path, monkeypatch)
    cleaned = validate_answers(make_answers(), "sow")
    with pytest.raises(assembly.AssemblyError,
                       match=r"template markup survived rendering in body paragraph 1: 'Law: England and Wales and a stray }}'"):
        assembly.render_docx("sow", cleaned, clauses=assembly.clauses_from_data("sow", cleaned))


def test_template_markup_inside_an_unvalidated_value_cannot_reach_a_document():
    cleaned = validate_answers(make_answers(), "dpa")
    cleaned["provider"]["name"] = "Evil {% raw %} Ltd"  # validation refuses this; render_docx still guards
    with pytest.raises(assembly.AssemblyError, match=r"body paragraph \d+: '\(2\) Evil \{% raw %\} Ltd"):
        assembly.render_docx("dpa", cleaned, clauses=assembly.clauses_from_data("dpa", cleaned))


def test_template_variable_missing_from_context_is_named(tmp_path, monkeypatch):
    _template_with(["Fee: {{ annual_fee }} and {{ governing_law }}"], tmp_path, monkeypatch)
    cleaned = validate_answers(make_answers(), "sow")
    with pytest.raises(assembly.AssemblyError, match=r"template sow needs values for: annual_fee$"):
        assembly.render_docx("sow", cleaned, clauses=assembly.clauses_from_data("sow", cleaned))


def test_committed_templates_match_the_builder():
    from clauses.management.commands.build_docx_templates import build

    for key in assembly.TEMPLATE_KEYS:
        assert build(key) == assembly.template_path(key).read_bytes(), f"rebuild {key}: manage.py build_docx_templates"


def test_oversized_or_foreign_custom_properties_are_not_recognised():
    cleaned = validate_answers(make_answers(), "dpa")
    data = assembly.render_docx("dpa", cleaned, clauses=assembly.clauses_from_data("dpa", cleaned), draft_id=3)

    def replaced(custom_xml: bytes) -> bytes:
        src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for name in src.namelist():
                dst.writestr(name, custom_xml if name == "docProps/custom.xml" else src.read(name))
        return out.getvalue()

    huge = b'<?xml version="1.0"?><Properties>' + b" " * (assembly.MAX_CUSTOM_XML_BYTES + 10) + b"</Properties>"
    assert assembly.read_generated_metadata(replaced(huge)) is None
    foreign = assembly._custom_properties_xml({"aicontracts_generator": "someone-else/1", "aicontracts_draft_id": 3})
    assert assembly.read_generated_metadata(replaced(foreign)) is None
    assert assembly.read_generated_metadata(replaced(b"<not xml")) is None
    assert assembly.read_generated_metadata(data)["draft_id"] == 3
