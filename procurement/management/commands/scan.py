"""`python manage.py scan FILE [FILE ...] [--profile ...] [--format text|json|jsonl]`.

`--format json` prints one pretty-printed report object for a single FILE and a JSON array of reports (in
input order, unreadable files left out) for several FILEs, so stdout is always one valid JSON document.

A face: read each file, extract its text (procurement.extraction via procurement.scanning), check it
(clauses.nlp.check_text) and print the report. The NLP pipeline is loaded once for the whole batch.
Exit 0 when every file was scanned; 2 when any file could not be read (`error: FILE: reason` on stderr;
the other files are still scanned).
"""
import hashlib
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from clauses.catalogue import groups
from clauses.nlp.profiles import PROFILE_CHOICES
from procurement import scanning

STATUS_MARK = {"conflict": "CONFLICT", "missing": "MISSING", "present": "present"}


def printable(name: str) -> str:
    """Return a file name safe to print on a terminal: control and bidi-override characters become \\xNN /
    \\uNNNN escapes (a hostile name must not recolour or rewrite the terminal; issue 6)."""
    import unicodedata

    return "".join(ch if unicodedata.category(ch) not in ("Cc", "Cf") else
                   (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}") for ch in name)


def render_text(report: dict) -> str:
    """Return a person-readable report: summary, findings first (grouped by topic group) with evidence,
    then the rest of the coverage table."""
    doc = report["document"]
    lic = doc.get("license")
    s = report["summary"]
    lines = [
        f"{printable(doc['name']) or '(text)'} — {doc['words']} words, profile {doc['profile']}"
        + (f" (detected {doc['profile_detected']})" if doc["profile"] != doc["profile_detected"] else " (detected)"),
    ]
    if lic:
        lines.append(f"licence: {lic['name']} ({lic['id']}{', OSI-approved' if lic['osi_approved'] else ''})")
    for warning in doc.get("warnings") or ():
        lines.append(f"warning: {warning}")
    lines.append(f"findings: {s['findings']} (high {s['high']}, medium {s['medium']}, low {s['low']}) — "
                 f"conflict {s['conflict']}, missing {s['missing']}, present {s['present']}")
    lines.append(f"checker {report['checker_version']}")
    titles = {g["id"]: g["title"] for g in groups()}
    findings = [t for t in report["topics"] if t["finding"]]
    rest = [t for t in report["topics"] if not t["finding"]]
    if findings:
        lines += ["", "FINDINGS"]
        current = None
        for t in findings:
            if t["group"] != current:
                current = t["group"]
                lines.append(f"\n  [{current}] {titles.get(current, '')}")
            lines.append(f"  {STATUS_MARK[t['status']]:<8} {t['severity']:<6} {t['topic']}"
                         + (f" — value: {t['value']}" if t["value"] else ""))
            lines.append(f"           {t['explanation']}")
            for ev in t["evidence"]:
                where = ", ".join(x for x in (f"section {ev['section']}" if ev["section"] else "",
                                              f"page {ev['page']}" if ev["page"] else "") if x)
                quote = " ".join(ev["quote"].split())
                quote = quote if len(quote) <= 300 else quote[:297] + "..."
                lines.append(f"           “{quote}”" + (f" ({where})" if where else ""))
            if t["suggested_clause"]:
                lines.append(f"           suggested clause: {t['suggested_clause']}")
    lines += ["", "COVERAGE (not findings)"]
    for t in rest:
        tag = "n/a" if not t["applicable"] else ("required" if t["required"] else "optional")
        lines.append(f"  {t['status']:<8} {t['topic']:<32} {tag}" + (f" — value: {t['value']}" if t["value"] else ""))
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = ("Scan contracts or model licences and report per topic present / missing / conflict with evidence. "
            "--format json prints one report object for one FILE and a JSON array of reports for several FILEs; "
            "--format jsonl prints one report per line.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help=".docx, .pdf, .txt, .md or .html (the content decides)")
        parser.add_argument("--profile", choices=PROFILE_CHOICES, default="auto",
                            help="what kind of document each FILE is (default: auto, detected from the text)")
        parser.add_argument("--format", choices=("text", "json", "jsonl"), default="text",
                            help="text for a person (default), json (one object, or an array for several FILEs), "
                                 "jsonl (one report per line)")

    def handle(self, *args, **opts):
        failed = False
        fmt = opts["format"]
        as_array = fmt == "json" and len(opts["files"]) > 1
        reports = []
        for n, name in enumerate(opts["files"]):
            path = Path(name)
            try:
                data = path.read_bytes()
                doc = scanning.extract(data, path.name)
            except (OSError, scanning.ScanInputError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                self.stderr.write(f"error: {printable(name)}: {reason}")
                failed = True
                continue
            report = scanning.check(doc, name=path.name, sha256=hashlib.sha256(data).hexdigest(), profile=opts["profile"])
            if fmt == "jsonl":
                self.stdout.write(json.dumps(report, ensure_ascii=False))
            elif as_array:
                reports.append(report)
            elif fmt == "json":
                self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            else:
                if n:
                    self.stdout.write("\n" + "=" * 78 + "\n")
                self.stdout.write(render_text(report), ending="")
        if as_array:
            self.stdout.write(json.dumps(reports, ensure_ascii=False, indent=2))
        if failed:
            sys.exit(2)
