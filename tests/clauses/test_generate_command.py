"""`manage.py generate` end to end, and the generated files in LibreOffice when it is installed."""
import json
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clauses.assembly import read_generated_metadata
from clauses.models import Draft
from clauses.services import catalogue_load
from tests.clauses.generator_helpers import docx_paragraphs, make_answers

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def answers_file(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(make_answers(), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.django_db
@pytest.mark.parametrize("doc_type, topics", [("sow", 29), ("dpa", 14)])
def test_generate_writes_the_document_records_the_draft_and_lists_topics(doc_type, topics, answers_file, tmp_path):
    catalogue_load()
    out, output = StringIO(), tmp_path / f"{doc_type}.docx"
    call_command("generate", doc_type, "--answers", str(answers_file), "--output", str(output), stdout=out)
    draft = Draft.objects.get()
    printed = out.getvalue().splitlines()
    assert printed[0].startswith(f"wrote {output} (") and f"draft #{draft.pk}" in printed[0]
    assert printed[1] == f"topics covered ({topics}):"
    assert "  input.retention  [fallback, v1]" in printed
    data = output.read_bytes()
    assert read_generated_metadata(data)["draft_id"] == draft.pk
    assert any("within 48 hours" in p for p in docx_paragraphs(data))
    assert draft.created_by is None


@pytest.mark.django_db
def test_invalid_answers_list_every_problem(tmp_path):
    catalogue_load()
    bad = make_answers(personal_data=False, retention_days="30")
    del bad["governing_law"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(CommandError) as info:
        call_command("generate", "dpa", "--answers", str(path), "--output", str(tmp_path / "x.docx"))
    message = str(info.value)
    assert "3 problem(s) in the answers" in message
    assert "- governing_law: missing" in message
    assert "- retention_days: must be an integer (got text)" in message
    assert "- personal_data: is false" in message
    assert not (tmp_path / "x.docx").exists() and not Draft.objects.exists()


@pytest.mark.django_db
def test_unreadable_answers_file_is_a_clear_error(tmp_path):
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(CommandError, match=r"broken.json is not valid UTF-8 JSON: Expecting property name"):
        call_command("generate", "sow", "--answers", str(tmp_path / "broken.json"), "--output", str(tmp_path / "o.docx"))
    with pytest.raises(CommandError, match="answers file not found"):
        call_command("generate", "sow", "--answers", str(tmp_path / "none.json"), "--output", str(tmp_path / "o.docx"))


@pytest.mark.slow
def test_command_exits_non_zero_without_traceback(tmp_path):
    db = tmp_path / "cmd.sqlite3"
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "DATABASE_URL": f"sqlite:///{db}", "DJANGO_MEDIA_ROOT": str(tmp_path / "media")}
    run = lambda *args: subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,  # noqa: E731
                                       capture_output=True, text=True, timeout=120)
    assert run("migrate", "-v0").returncode == 0
    (tmp_path / "bad.json").write_text(json.dumps({"customer": {}}))
    result = run("generate", "sow", "--answers", str(tmp_path / "bad.json"), "--output", str(tmp_path / "o.docx"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "customer.name: missing" in result.stderr and "liability_cap: missing" in result.stderr


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.django_db
def test_generated_documents_open_in_libreoffice(answers_file, tmp_path):
    catalogue_load()
    for doc_type in ("sow", "dpa"):
        call_command("generate", doc_type, "--answers", str(answers_file), "--output", str(tmp_path / f"{doc_type}.docx"),
                     stdout=StringIO())
    result = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                             "--convert-to", "pdf", "--outdir", str(tmp_path),
                             str(tmp_path / "sow.docx"), str(tmp_path / "dpa.docx")],
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    from pypdf import PdfReader
    for doc_type in ("sow", "dpa"):
        text = " ".join("".join(p.extract_text() for p in PdfReader(tmp_path / f"{doc_type}.pdf").pages).split())
        assert "governed by the laws of England and Wales" in text
        assert "Example AI <Labs> Inc." in text


def _media_files(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.mark.django_db
@pytest.mark.parametrize("make_output, message", [
    (lambda tmp: tmp / "nonexistent-dir" / "x.docx", r"cannot write .*x\.docx: directory .*nonexistent-dir does not exist"),
    (lambda tmp: tmp / "a-file.txt" / "x.docx", r"cannot write .*x\.docx: .*a-file\.txt is not a directory"),
    (lambda tmp: tmp, r"cannot write .*: it is a directory"),
])
def test_unwritable_output_fails_before_recording_a_draft(make_output, message, answers_file, tmp_path, settings):
    catalogue_load()
    (tmp_path / "a-file.txt").write_text("not a directory")
    output = make_output(tmp_path)
    with pytest.raises(CommandError, match=message):
        call_command("generate", "sow", "--answers", str(answers_file), "--output", str(output), stdout=StringIO())
    assert Draft.objects.count() == 0
    assert _media_files(settings) == []


@pytest.mark.django_db
def test_write_failing_after_generation_rolls_the_draft_back(answers_file, tmp_path, settings, monkeypatch):
    # The path passes the pre-check but the write itself fails (disk full, race): no Draft, no stored copy,
    # no partial output file.
    catalogue_load()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    call_command("generate", "sow", "--answers", str(answers_file), "--output", str(out_dir / "ok.docx"),
                 stdout=StringIO())
    before, stored = Draft.objects.count(), _media_files(settings)
    assert before == 1 and len(stored) == 1

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("clauses.management.commands.generate.os.replace", full_disk)
    with pytest.raises(CommandError, match=r"cannot write .*x\.docx: No space left on device"):
        call_command("generate", "sow", "--answers", str(answers_file), "--output", str(out_dir / "x.docx"),
                     stdout=StringIO())
    assert Draft.objects.count() == before
    assert _media_files(settings) == stored
    assert [p.name for p in out_dir.iterdir()] == ["ok.docx"]


@pytest.mark.django_db
def test_example_answers_print_and_generate_as_they_are(tmp_path):
    catalogue_load()
    out = StringIO()
    call_command("generate", "sow", "--example", stdout=out)
    answers = tmp_path / "answers.json"
    answers.write_text(out.getvalue(), encoding="utf-8")
    assert json.loads(out.getvalue())["engagement"]["fine_tuning"] in (True, False)
    call_command("generate", "sow", "--answers", str(answers), "--output", str(tmp_path / "sow.docx"), stdout=StringIO())
    assert (tmp_path / "sow.docx").stat().st_size > 0


def test_answers_and_output_are_required_without_example(tmp_path):
    with pytest.raises(CommandError, match=r"--answers and --output required \(or --example"):
        call_command("generate", "sow")
    with pytest.raises(CommandError, match=r"^--output required"):
        call_command("generate", "dpa", "--answers", str(tmp_path / "a.json"))
