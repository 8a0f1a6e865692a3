"""`python manage.py generate {sow,dpa} --answers FILE.json --output FILE.docx`.

Validates the answers (every problem listed at once, exit code 1, no traceback), assembles the document
from the latest approved clause versions, records the Draft and prints the topics covered.
"""
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from clauses.answers import DOC_TYPES, AnswersError
from clauses.assembly import AssemblyError
from clauses.services import draft_generate


class Command(BaseCommand):
    help = "Generate a SOW or DPA .docx from an answers JSON file and record the draft."

    def add_arguments(self, parser):
        parser.add_argument("doc_type", choices=DOC_TYPES)
        parser.add_argument("--answers", required=True, help="answers JSON file (shared/spec/answers.md)")
        parser.add_argument("--output", required=True, help="where to write the .docx")
        parser.add_argument("--user", default="", help="username recorded as the draft's creator (default: none)")

    def handle(self, *args, doc_type, answers, output, user, **options):
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
        try:
            draft = draft_generate(doc_type=doc_type, answers=data, actor=actor)
        except AnswersError as exc:
            raise CommandError(f"invalid answers in {path}: {exc}") from None
        except AssemblyError as exc:
            raise CommandError(str(exc)) from None
        out = Path(output)
        try:
            with draft.file.open("rb") as fh:
                out.write_bytes(fh.read())
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc.strerror}") from None
        versions = {v.clause.topic_id: v for v in draft.clause_versions.select_related("clause")}
        self.stdout.write(f"wrote {out} ({draft.get_doc_type_display()}, draft #{draft.pk}, "
                          f"template {draft.template_key} sha256 {draft.template_sha256[:12]})")
        self.stdout.write(f"topics covered ({len(draft.topics)}):")
        for tid in draft.topics:
            v = versions[tid]
            self.stdout.write(f"  {tid}  [{v.clause.position}, v{v.number}]")
