"""Benchmark the checker: words/second of a full scan vs bare spacy.blank("en") tokenisation.

    python bench/scan_bench.py [--corpus ../shared/corpus] [--mb 2]

Scans the corpus raw texts (when present) and a synthetic ~2 MB contract built from our own sentences,
and prints words/s for the full scan (check_text: profile, licence, roles, prefilter, pipeline, report)
and for bare tokenisation of the same text in the same run, their ratio (target: scan within 4x of
tokenisation, >100k words/s on one core), and peak memory (tracemalloc) of the synthetic scan.
Prints figures, asserts nothing.
"""
import argparse
import os
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

# Our own sentences: a mix of boilerplate and clauses that trigger rules, like a long vendor contract.
SENTENCES = [
    "The parties will meet quarterly to review the delivery plan and the open risks.",
    "Each invoice lists the services performed, the hours worked and the applicable rate.",
    "The Provider will not use Customer Content to train or improve its models.",
    "Customer Data is encrypted at rest and in transit using industry-standard encryption such as AES-256 and TLS.",
    "The Provider will notify the Customer of any Security Incident without undue delay and in any event within 48 hours.",
    "Either party may terminate this Agreement for material breach that remains uncured for thirty days after notice.",
    "This Agreement is governed by the laws of England and Wales.",
    "The Provider's total liability will not exceed the fees paid in the twelve months before the claim.",
    "All notices must be in writing and delivered to the addresses set out in the Order Form.",
    "The steering committee consists of two representatives of each party and meets monthly.",
    "The Customer owns all Output generated for it, and the Provider assigns to the Customer any rights it has in Output.",
    "Subcontracting of the services requires the prior written consent of the Customer.",
    "The Provider will give at least ninety days notice before it deprecates a model version.",
    "Acceptance tests are run against the criteria agreed in the relevant statement of work.",
]


def synthetic_contract(target_chars: int, seed: int = 1) -> str:
    """Return a numbered contract of about `target_chars` characters made of SENTENCES."""
    rng = random.Random(seed)
    parts, size, n = [], 0, 0
    while size < target_chars:
        n += 1
        para = f"{n}. " + " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 6)))
        parts.append(para)
        size += len(para) + 2
    return "\n\n".join(parts)


def bare_tokenise_seconds(text: str) -> float:
    """Seconds to tokenise `text` with spacy.blank("en") by the same blocks the checker uses."""
    import spacy

    from clauses.nlp.structure import iter_blocks

    nlp = spacy.blank("en")
    start = time.perf_counter()
    for _doc in nlp.tokenizer.pipe(text[s:e] for s, e in iter_blocks(text)):
        pass
    return time.perf_counter() - start


def main() -> None:
    import django

    django.setup()
    from clauses.nlp.check import check_text
    from clauses.nlp.pipeline import get_nlp

    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--mb", type=float, default=2.0)
    args = parser.parse_args()
    get_nlp()  # build outside the timings
    texts = {}
    raw = Path(args.corpus) / "raw"
    if raw.is_dir():
        texts["corpus raw (all files)"] = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(raw.glob("*.txt")))
    texts[f"synthetic contract ({args.mb:g} MB)"] = synthetic_contract(int(args.mb * 1_000_000))
    for label, text in texts.items():
        words = len(text.split())
        check_text(text[:20000])  # warm caches
        t0 = time.perf_counter()
        check_text(text)
        scan = time.perf_counter() - t0
        peak = None
        if label.startswith("synthetic"):  # a second, traced run: tracemalloc slows Python down several times
            tracemalloc.start()
            check_text(text)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        tok = bare_tokenise_seconds(text)
        print(f"{label}: {len(text):,} chars, {words:,} words")
        print(f"  full scan        {scan:7.2f} s  {words / scan:>10,.0f} words/s")
        print(f"  bare tokenisation{tok:7.2f} s  {words / tok:>10,.0f} words/s")
        print(f"  ratio scan/tokenise: {scan / tok:.2f}x (target <= 4x)")
        if peak is not None:
            print(f"  peak traced memory during scan: {peak / 1e6:.0f} MB (target < 500 MB)")
    print(f"max RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
