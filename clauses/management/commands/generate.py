"""`python manage.py generate {sow,dpa} --answers FILE.json --output FILE.docx`; `--example` prints answers to start from.

Validates the answers (every problem listed at once, exit code 1, no traceback), assembles the document
from the latest approved clause versions, records the Draft and prints the topics covered.

A Draft is recorded only together with a written output file: the output path is checked before any
work, and the Draft row (and its stored copy) is rolled back when writing the file still fails.
"""
import json
import os
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clauses.answers import DOC_TYPES, EXAMPLE_ANSWERS, AnswersError
from clauses.assembly import AssemblyError
from clauses.services import draft_generate


class Command(BaseCommand):
    help = "Generate a SOW or DPA .docx from an answers JSON file and record the draft."

    def add_arguments(self, parser):
        parser.add_argument("doc_type", choices=DOC_TYPES)
        parser.add_argument("--answers", help="answers JSON file (shared/spec/answers.md; --example prints one)")
        parser.add_argument("--output", help="where to write the .docx")
        parser.add_argument("--example", action="store_true",
                            help="print example answers as JSON (edit them and pass the file as --answers)")
        parser.add_argument("--user", default="", help="username recorded as the draft's creator (default: none)")

    def handle(self, *args, doc_type, answers, output, user, example=False, **options):
        if example:
            self.stdout.write(json.dumps(EXAMPLE_ANSWERS, indent=2, ensure_ascii=False))
            return
        missing = [flag for flag, value in (("--answers", answers), ("--output", output)) if not value]
        if missing:
            raise CommandError(f"{' and '.join(missing)} required (or --example to print answers to start from)")
        path = Path(answers)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"answers file not found: {path}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{path} is not valid UTF-8 JSON: {exc}") from None
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"no user named {user!r}")
        out = Path(output)
        problem = output_problem(out)
        if problem:
            raise CommandError(f"cannot write {out}: {problem}")
        with transaction.atomic():
            try:
                draft = draft_generate(doc_type=doc_type, answers=data, actor=actor)
            except AnswersError as exc:
                raise CommandError(f"invalid answers in {path}: {exc}") from None
            except AssemblyError as exc:
                raise CommandError(str(exc)) from None
            try:
                with draft.file.open("rb") as fh:
                    write_atomically(out, fh.read())
            except OSError as exc:
                # Raising inside atomic() rolls the Draft row back; its stored copy goes too.
                draft.file.delete(save=False)
                raise CommandError(f"cannot write {out}: {exc.strerror or exc}") from None
        versions = {v.clause.topic_id: v for v in draft.clause_versions.select_related("clause")}
        self.stdout.write(f"wrote {out} ({draft.get_doc_type_display()}, draft #{draft.pk}, "
                          f"template {draft.template_key} sha256 {draft.template_sha256[:12]})")
        self.stdout.write(f"topics covered ({len(draft.topics)}):")
        for tid in draft.topics:
            v = versions[tid]
            self.stdout.write(f"  {tid}  [{v.clause.position}, v{v.number}]")


def output_problem(out: Path) -> str:
    """Return why `out` cannot be written as a new or replaced file, or "" when it looks writable.

    Checked before generating so a doomed run records nothing: the parent must be an existing,
    writable directory and `out` itself must not be a directory.
    """
    parent = out.parent if str(out.parent) else Path(".")
    if out.is_dir():
        return "it is a directory; give a file name such as draft.docx"
    if not parent.exists():
        return f"directory {parent} does not exist (No such file or directory)"
    if not parent.is_dir():
        return f"{parent} is not a directory"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"directory {parent} is not writable (Permission denied)"
    return ""


def write_atomically(out: Path, data: bytes) -> None:
    """Write `data` to `out` via a temporary file in the same directory and a rename, so a failed
    write never leaves a truncated document behind. Raises OSError."""
    fd, tmp = tempfile.mkstemp(dir=out.parent if str(out.parent) else ".", prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; match what a plain open() would give
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
