"""`manage.py scan`: formats, batch behaviour and exit codes (own sample text, written for this test)."""
import json

import pytest
from django.core.management import call_command

SAMPLE = (
    "EXAMPLE MODEL LICENSE AGREEMENT\n\n"
    "1. Grant. Licensor grants you a worldwide, royalty-free licence to use, reproduce and distribute the Model.\n\n"
    "2. You may not modify the Model.\n\n"
    "3. This Agreement is governed by the laws of Ireland.\n"
)


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "sample-license.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_json_report_for_one_file(sample, capsys):
    call_command("scan", str(sample), "--format", "json", "--profile", "model_license")
    report = json.loads(capsys.readouterr().out)
    assert report["schema"] == "scan-report/1" and report["document"]["name"] == "sample-license.txt"
    rows = {t["topic"]: t for t in report["topics"]}
    assert rows["derivatives.right_to_modify"]["status"] == "conflict"
    assert rows["compliance.governing_law"]["value"] == "Ireland"
    for t in report["topics"]:
        for ev in t["evidence"]:
            assert SAMPLE[ev["start"]:ev["end"]] == ev["quote"]


def test_jsonl_one_report_per_file_in_input_order(sample, tmp_path, capsys):
    other = tmp_path / "b.txt"
    other.write_text("We may use your content to improve our services.", encoding="utf-8")
    call_command("scan", str(sample), str(other), "--format", "jsonl")
    lines = capsys.readouterr().out.strip().splitlines()
    assert [json.loads(line)["document"]["name"] for line in lines] == ["sample-license.txt", "b.txt"]


def test_text_report_lists_findings_first_with_evidence(sample, capsys):
    call_command("scan", str(sample), "--profile", "model_license")
    out = capsys.readouterr().out
    assert out.index("FINDINGS") < out.index("COVERAGE")
    assert "CONFLICT" in out and "“2. You may not modify the Model.”" in out


def test_unreadable_file_exits_2_and_other_files_still_scanned(sample, tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(SystemExit) as exc:
        call_command("scan", str(tmp_path / "nope.txt"), str(empty), str(sample), "--format", "jsonl")
    assert exc.value.code == 2
    captured = capsys.readouterr()
    errors = captured.err.strip().splitlines()
    assert errors[0].startswith(f"error: {tmp_path / 'nope.txt'}: ")
    assert errors[1].startswith(f"error: {empty}: ")
    assert len(captured.out.strip().splitlines()) == 1


@pytest.mark.parametrize("count", [2, 3])
def test_json_with_several_files_is_one_valid_array_in_input_order(sample, tmp_path, capsys, count):
    names = ["sample-license.txt"]
    paths = [str(sample)]
    for i in range(count - 1):
        other = tmp_path / f"extra-{i}.txt"
        other.write_text("Provider may use Customer Content to train its models.", encoding="utf-8")
        paths.append(str(other))
        names.append(other.name)
    call_command("scan", *paths, "--format", "json")
    reports = json.loads(capsys.readouterr().out)
    assert isinstance(reports, list)
    assert [r["document"]["name"] for r in reports] == names


def test_json_with_one_file_stays_one_object(sample, capsys):
    call_command("scan", str(sample), "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert isinstance(report, dict) and report["document"]["name"] == "sample-license.txt"


def test_json_array_leaves_out_unreadable_files(sample, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        call_command("scan", str(tmp_path / "nope.txt"), str(sample), "--format", "json")
    assert exc.value.code == 2
    reports = json.loads(capsys.readouterr().out)
    assert [r["document"]["name"] for r in reports] == ["sample-license.txt"]


def test_extraction_warnings_reach_the_report_and_the_text_output(tmp_path, capsys):
    """A vendor's redline read with its tracked changes accepted must say so wherever the report is read: the
    deletion of "not" below turns a promise into a conflict."""
    from tests.procurement.test_extraction_fixtures import make_docx, para, run

    runs = (run("The Provider shall ")
            + '<w:del w:id="1" w:author="Vendor"><w:r><w:delText>not </w:delText></w:r></w:del>'
            + run("use Customer Data to train its models."))
    path = tmp_path / "redline.docx"
    path.write_bytes(make_docx(para(runs=runs)))
    lying = tmp_path / "terms.pdf"
    lying.write_text("The Provider will not use Customer Data to train its models.", encoding="utf-8")
    call_command("scan", str(path), str(lying), "--format", "jsonl", "--profile", "hosted_service")
    reports = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [len(r["document"]["warnings"]) for r in reports] == [1, 1]
    assert "tracked changes" in reports[0]["document"]["warnings"][0]
    assert "read as txt" in reports[1]["document"]["warnings"][0]
    assert {t["topic"]: t["status"] for t in reports[0]["topics"]}["input.no_training"] == "conflict"
    call_command("scan", str(path), "--profile", "hosted_service")
    out = capsys.readouterr().out
    assert "warning: 1 unresolved revisions (tracked changes); read as if all were accepted" in out
    assert out.index("warning:") < out.index("FINDINGS")


def test_a_text_without_warnings_reports_an_empty_list(sample, capsys):
    call_command("scan", str(sample), "--format", "json")
    assert json.loads(capsys.readouterr().out)["document"]["warnings"] == []
    call_command("scan", str(sample))
    assert "warning:" not in capsys.readouterr().out
