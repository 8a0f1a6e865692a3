"""`python manage.py evaluate_checker [--corpus PATH] [--json]`: score the checker on the dev gold labels."""
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clauses.nlp.evaluation import CorpusMissing, evaluate


class Command(BaseCommand):
    help = "Scan the labelled corpus documents and print accuracy, per-status P/R/F1, per-topic results and misses."

    def add_arguments(self, parser):
        parser.add_argument("--corpus", default=None,
                            help="corpus folder with raw/ and dev/labels.jsonl (default: ../shared/corpus beside the project)")
        parser.add_argument("--json", action="store_true", help="print the metrics as one JSON object")

    def handle(self, *args, **opts):
        corpus = Path(opts["corpus"]) if opts["corpus"] else Path(settings.BASE_DIR).parent / "shared" / "corpus"
        try:
            result = evaluate(corpus)
        except CorpusMissing as exc:
            raise CommandError(str(exc)) from None
        if opts["json"]:
            self.stdout.write(json.dumps(result, indent=1, ensure_ascii=False))
            return
        w = self.stdout.write
        w(f"corpus: {corpus}  documents: {result['documents']}  labels (high confidence): {result['labels']}")
        w(f"status accuracy: {result['accuracy']:.3f}   macro-F1: {result['macro_f1']:.3f}")
        for status, m in result["per_status"].items():
            w(f"  {status:<9} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  (n={m['support']})")
        w(f"evidence quotes verbatim: {result['evidence_verbatim_share']:.3f} of {result['evidence_quotes']}")
        gl = result["governing_law_value_accuracy"]
        w(f"governing-law value accuracy: {'n/a' if gl is None else f'{gl:.3f}'}")
        for row in result["governing_law_values"]:
            if not row["ok"]:
                w(f"    value miss {row['doc']}: gold {row['gold']!r} predicted {row['predicted']!r}")
        w("per topic:")
        for topic, m in result["per_topic"].items():
            w(f"  {topic:<32} {m['correct']:>3}/{m['n']:<3} {m['accuracy']:.2f}")
        w(f"misses ({len(result['misses'])}):")
        for m in result["misses"]:
            w(f"  {m['doc']} | {m['topic']} | gold {m['gold']} | predicted {m['predicted']} | rules {m['rules']}")
            for q in m["evidence"]:
                w(f"      > {q}")
