"""`python manage.py export_false_positives [-o FILE]`: every false-positive decision as JSON lines,
data for improving the checker's patterns (issue 4)."""
import json
import sys

from django.core.management.base import BaseCommand

from procurement.selectors import false_positive_rows


class Command(BaseCommand):
    help = "Write all false-positive finding decisions as JSONL (stdout or --output FILE)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="file to write (default: stdout)")

    def handle(self, *args, output=None, **options):
        out = open(output, "w", encoding="utf-8") if output else sys.stdout
        n = 0
        try:
            for row in false_positive_rows():
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
        finally:
            if output:
                out.close()
        self.stderr.write(f"{n} false-positive decision(s) exported")
