"""`python manage.py evaluate_checker [--corpus PATH] [--json]`: score the checker on the dev gold labels.

`--cuad [--limit N] [--jobs N] [--timeout S]` scores it instead on the held-out CUAD v1 contracts (clauses.nlp.evaluation.
evaluate_cuad): detection recall and a false-detection proxy per mapped topic, governing-law value accuracy.
"""
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clauses.nlp.evaluation import DEFAULT_CUAD_TIMEOUT, CorpusMissing, evaluate, evaluate_cuad


def _pct(value) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = ("Scan the labelled corpus documents and print accuracy, per-status P/R/F1, per-topic results and misses; "
            "with --cuad, the held-out CUAD evaluation (detection recall, false-detection proxy, governing-law value).")

    def add_arguments(self, parser):
        parser.add_argument("--corpus", default=None,
                            help="corpus folder with raw/ and dev/labels.jsonl (default: ../shared/corpus beside the project)")
        parser.add_argument("--json", action="store_true", help="print the metrics as one JSON object")
        parser.add_argument("--cuad", action="store_true",
                            help="held-out evaluation on CUAD v1 (corpus/cuad) instead of the dev labels")
        parser.add_argument("--limit", type=int, default=None,
                            help="with --cuad: scan only the first N contracts by file name (quick run)")
        parser.add_argument("--jobs", type=int, default=1,
                            help="with --cuad: scan in N processes (default 1; the full run takes ~4 min on one core)")
        parser.add_argument("--timeout", type=float, default=DEFAULT_CUAD_TIMEOUT,
                            help="with --cuad: seconds per contract before its scan is stopped and reported as "
                                 f"not scored (default {DEFAULT_CUAD_TIMEOUT:g})")

    def _run(self, evaluation, opts: dict) -> dict | None:
        """Return `evaluation()`'s result for the text report, or None once it was printed as JSON (--json).
        A missing corpus is a CommandError (one line, exit 1)."""
        try:
            result = evaluation()
        except CorpusMissing as exc:
            raise CommandError(str(exc)) from None
        if opts["json"]:
            self.stdout.write(json.dumps(result, indent=1, ensure_ascii=False))
            return None
        return result

    def handle(self, *args, **opts):
        corpus = Path(opts["corpus"]) if opts["corpus"] else Path(settings.BASE_DIR).parent / "shared" / "corpus"
        if opts["cuad"]:
            return self.handle_cuad(corpus, opts)
        if opts["limit"] is not None:
            raise CommandError("--limit only applies with --cuad")
        result = self._run(lambda: evaluate(corpus), opts)
        if result is None:
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

    def handle_cuad(self, corpus: Path, opts: dict) -> None:
        if opts["limit"] is not None and opts["limit"] < 1:
            raise CommandError("--limit must be at least 1")
        if opts["jobs"] < 1:
            raise CommandError("--jobs must be at least 1")
        if opts["timeout"] <= 0:
            raise CommandError("--timeout must be positive")

        def progress(done, total, result):
            if "error" in result:
                self.stderr.write(f"  not scored: {result['file']}: {result['error']}")
            if done % 50 == 0 or done == total:
                self.stderr.write(f"  scanned {done}/{total}")

        r = self._run(lambda: evaluate_cuad(corpus, limit=opts["limit"], jobs=opts["jobs"], timeout=opts["timeout"],
                                            progress=progress), opts)
        if r is None:
            return
        w = self.stdout.write
        w("Held-out evaluation on CUAD (rules never tuned on it)")
        w(f"data: {r['credit']}")
        w(f"contracts scanned: {r['contracts']} of {r['contracts_available']} with a text file"
          f" ({len(r['unmatched_csv_rows'])} CSV rows without one); profile {r['profile']} (statuses do not"
          " depend on the profile); "
          f"{r['words']:,} words in {r['seconds']:.1f} s with {r['jobs']} process(es) ({r['words_per_second']:,} words/s)")
        for bad in r["not_scored"]:
            w(f"  not scored (left out of every figure): {bad['file']}: {bad['error']}")
        w("mapping (CUAD category -> our topic; positive: CUAD 'Yes' = a clause we should decide; related: "
          "neither positive nor negative):")
        for m in r["mapping"]:
            rel = f"  related: {', '.join(m['related'])}" if m["related"] else ""
            w(f"  {m['topic']:<26} <- {', '.join(m['positive'])}{rel}  [{m['fit']}]")
            w(f"      why: {m['why']}")
        w("not mapped:")
        for cat, why in r["unmapped"].items():
            w(f"  {cat}: {why}")
        w("per topic: recall = we say present/conflict where CUAD found a clause; false-detection proxy = we say "
          "present/conflict where CUAD found none")
        w(f"  {'topic':<26} {'fit':<7} {'CUAD yes':>8} {'found':>6} {'recall':>6}  {'pres/conf':>9}  "
          f"{'CUAD no':>7} {'we say':>6} {'rate':>6}")
        for t, m in r["per_topic"].items():
            w(f"  {t:<26} {m['fit']:<7} {m['positive']:>8} {m['detected']:>6} {_pct(m['recall']):>6}  "
              f"{m['present']:>4}/{m['conflict']:<4}  {m['negative']:>7} {m['false_detected']:>6} "
              f"{_pct(m['false_detection_rate']):>6}")
            if len(m["per_category"]) > 1:
                for cat, v in m["per_category"].items():
                    w(f"      {cat}: {v['detected']}/{v['n']} ({_pct(v['recall']).strip()})")
        for label, tot in (("all mapped topics", r["total"]), ("close-fit topics", r["total_close"])):
            w(f"total, {label}: recall {_pct(tot['recall']).strip()} ({tot['detected']}/{tot['positive']}), "
              f"false-detection proxy {_pct(tot['false_detection_rate']).strip()} "
              f"({tot['false_detected']}/{tot['negative']})")
        gl = r["governing_law_values"]
        w(f"governing-law value accuracy: {_pct(r['governing_law_value_accuracy']).strip()} "
          f"({gl['ok']}/{gl['n']} contracts with a CUAD answer)")
        for row in gl["misses"]:
            w(f"    value miss {row['file']}: CUAD {row['gold']!r} ours {row['predicted']!r}")
        w("sample misses (CUAD found a clause, we report missing):")
        for t, m in r["per_topic"].items():
            for miss in m["misses"]:
                w(f"  {t} | {miss['file']} | {', '.join(miss['categories'])}")
        w("sample detections where CUAD found no clause (our evidence):")
        for t, m in r["per_topic"].items():
            for fd in m["false_detections"]:
                w(f"  {t} | {fd['file']} | {fd['status']} | {fd['rule']} | {fd['quote']!r}")
        slowest = ", ".join(f"{s['file']} {s['seconds']} s" for s in r["slowest"])
        w(f"slowest: {slowest}")
