"""Benchmark the checker: words/second of a full scan vs bare spacy.blank("en") tokenisation.

    python bench/scan_bench.py [--corpus ../shared/corpus] [--mb 2] [--repeat 3]

Scans four texts and prints, for each, words/s of the full scan (check_text: profile, licence, roles,
pipeline, report) and of bare tokenisation of the same blocks in the same run, and their ratio
(target: scan within 4x of tokenisation, >100k words/s on one core); peak memory (tracemalloc) of the
2 MB scans. Times are CPU seconds of this process (time.process_time), the best of --repeat runs:
the machine is shared, and wall time counts other processes' work. Bare tokenisation uses a fresh
spacy.blank("en") each run (its vocabulary and cache start empty); the scans share the process's pipeline,
so runs after the first find their words in the vocabulary: the first scan is printed too.

- corpus raw (all files): the real documents, when ../shared/corpus is present;
- CUAD contracts, concatenated: real commercial contracts (../shared/corpus/cuad) up to --mb, a long text
  with a real vocabulary;
- synthetic, every paragraph a rule hit: paragraphs of SENTENCES, most of which trigger rules, so every
  paragraph goes through the whole pipeline; its 14 sentences repeat, so bare tokenisation runs from the
  tokenizer cache (a worst case for the ratio, not a realistic contract);
- synthetic, mostly boilerplate: about one sentence in five from SENTENCES, the rest from BOILERPLATE with
  varied names, numbers and dates (closer to a long vendor contract, where most paragraphs are
  administrative).
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


# Our own administrative sentences, with slots filled at random so the wording does not repeat exactly.
BOILERPLATE = [
    "The kick-off meeting takes place in {city} on {day} {month} {year}.",
    "Each party appoints a contract manager; {name} acts for the Customer until further notice.",
    "Invoice {num} covers the period from {day} {month} to the end of that month.",
    "The project plan in Annex {letter} lists {small} milestones and the people responsible for each.",
    "Working hours are 9:00 to 17:30 local time in {city}, excluding public holidays.",
    "Travel to {city} is reimbursed at cost, capped at EUR {amount} per trip.",
    "Status reports are sent every {weekday} and summarise progress, open questions and next steps.",
    "The helpdesk can be reached at support-{num}@example.org or on extension {small}{small}.",
    "Room {small}{letter} of the {city} office is reserved for the joint workshops.",
    "This Order Form was prepared by {name} and reviewed by the procurement team on {day} {month}.",
    "Training sessions for up to {small}0 staff members are held in the second month.",
    "Version {small}.{small} of the style guide applies to all written deliverables.",
    "Change requests are numbered CR-{num} and logged in the shared register.",
    "The schedule of rates in Appendix {letter} is expressed in pounds sterling.",
    "Meeting minutes are approved at the start of the following meeting by both project leads.",
    "The parties' representatives may attend by video conference from {city} or {city}.",
]
_SLOTS = {
    "city": ["Leeds", "Porto", "Tallinn", "Utrecht", "Graz", "Malmo", "Lyon", "Cork", "Ghent", "Brno"],
    "name": ["Ada Kestrel", "Ivo Marsh", "Lena Orvane", "Tomas Halvard", "Rhea Zentrix", "Omar Pellow"],
    "month": ["January", "March", "May", "July", "September", "November"],
    "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
    "letter": list("ABCDEFG"),
}


def _fill(template: str, rng: random.Random) -> str:
    out = template
    while "{" in out:
        i = out.index("{")
        j = out.index("}", i)
        slot = out[i + 1:j]
        if slot == "day":
            val = str(rng.randint(1, 28))
        elif slot == "year":
            val = str(rng.randint(2024, 2031))
        elif slot == "num":
            val = str(rng.randint(1000, 99999))
        elif slot == "small":
            val = str(rng.randint(1, 9))
        elif slot == "amount":
            val = f"{rng.randint(2, 40) * 50:,}"
        else:
            val = rng.choice(_SLOTS[slot])
        out = out[:i] + val + out[j + 1:]
    return out


def boilerplate_contract(target_chars: int, seed: int = 2, rule_share: float = 0.2) -> str:
    """Return a numbered contract of about `target_chars` characters: each sentence is from SENTENCES with
    probability `rule_share`, else a BOILERPLATE sentence with its slots filled at random."""
    rng = random.Random(seed)
    parts, size, n = [], 0, 0
    while size < target_chars:
        n += 1
        sents = [rng.choice(SENTENCES) if rng.random() < rule_share else _fill(rng.choice(BOILERPLATE), rng)
                 for _ in range(rng.randint(2, 6))]
        para = f"{n}. " + " ".join(sents)
        parts.append(para)
        size += len(para) + 2
    return "\n\n".join(parts)


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


def real_contracts(folder: Path, target_chars: int) -> str:
    """Return CUAD contracts (in name order) joined by blank lines, cut at a paragraph break near
    `target_chars`: real long contracts, with a real vocabulary (the synthetic texts repeat their words)."""
    parts, size = [], 0
    for p in sorted(folder.glob("*.txt")):
        text = p.read_text(encoding="utf-8", errors="replace")
        parts.append(text)
        size += len(text) + 2
        if size >= target_chars:
            break
    joined = "\n\n".join(parts)
    cut = joined.rfind("\n\n", 0, target_chars)
    return joined[:cut] if cut > target_chars // 2 else joined[:target_chars]


def bare_tokenise_seconds(text: str) -> float:
    """CPU seconds to tokenise `text` with a fresh spacy.blank("en") by the same blocks the checker uses."""
    import spacy

    from clauses.nlp.structure import iter_blocks

    nlp = spacy.blank("en")
    start = time.process_time()
    for _doc in nlp.tokenizer.pipe(text[s:e] for s, e in iter_blocks(text)):
        pass
    return time.process_time() - start


def scan_seconds(text: str) -> float:
    """CPU seconds of one full `check_text(text)`."""
    from clauses.nlp.check import check_text

    start = time.process_time()
    check_text(text)
    return time.process_time() - start


def main() -> None:
    import django

    django.setup()
    from clauses.nlp.check import check_text
    from clauses.nlp.pipeline import get_nlp

    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--mb", type=float, default=2.0)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing; the best is reported")
    args = parser.parse_args()
    get_nlp()  # build outside the timings
    texts = {}
    raw = Path(args.corpus) / "raw"
    size = int(args.mb * 1_000_000)
    if raw.is_dir():
        texts["corpus raw (all files)"] = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(raw.glob("*.txt")))
    cuad = Path(args.corpus) / "cuad" / "full_contract_txt"
    if cuad.is_dir():
        texts[f"CUAD contracts, concatenated ({args.mb:g} MB)"] = real_contracts(cuad, size)
    texts[f"synthetic, every paragraph a rule hit ({args.mb:g} MB)"] = synthetic_contract(size)
    texts[f"synthetic, mostly boilerplate ({args.mb:g} MB)"] = boilerplate_contract(size)
    for label, text in texts.items():
        words = len(text.split())
        check_text(text[:20000])  # warm caches
        runs = [scan_seconds(text) for _ in range(args.repeat)]
        scan = min(runs)
        tok = min(bare_tokenise_seconds(text) for _ in range(args.repeat))
        peak = None
        if not label.startswith("corpus"):  # a separate, traced run: tracemalloc slows Python down several times
            tracemalloc.start()
            check_text(text)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        print(f"{label}: {len(text):,} chars, {words:,} words")
        print(f"  full scan        {scan:7.2f} s  {words / scan:>10,.0f} words/s")
        print(f"  bare tokenisation{tok:7.2f} s  {words / tok:>10,.0f} words/s")
        print(f"  ratio scan/tokenise: {scan / tok:.2f}x (target <= 4x)")
        print(f"  first scan (new words not yet in the vocabulary): {runs[0]:.2f} s, {runs[0] / tok:.2f}x")
        if peak is not None:
            print(f"  peak traced memory during scan: {peak / 1e6:.0f} MB (target < 500 MB)")
    print(f"max RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"CPU seconds, best of {args.repeat} runs each")


if __name__ == "__main__":
    main()
