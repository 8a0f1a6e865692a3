"""Build english_words.tsv.gz: lower-case English words with log-probabilities, for PDF hyphen repair.

Source: spacy-lookups-data 1.0.5 (MIT), table en_lexeme_prob (log-probabilities of tokens in a
large English corpus). Kept: alphabetic, 2–24 letters, log-probability above -17 (about 74,000
words; rare run-together forms such as "noncompete" fall below). Run from the repository root:

    .venv/bin/python procurement/extraction/data/build_words.py
"""
import gzip
import json
import re
from pathlib import Path

import spacy_lookups_data

THRESHOLD = -17.0
OUT = Path(__file__).with_name("english_words.tsv.gz")


def main() -> None:
    src = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    probs = json.load(gzip.open(src))
    word = re.compile(r"^[a-z]{2,24}$")
    rows = sorted((w, p) for w, p in probs.items() if p > THRESHOLD and word.match(w))
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("# word\tlog-probability; from spacy-lookups-data en_lexeme_prob (MIT); see build_words.py\n")
        for w, p in rows:
            fh.write(f"{w}\t{p:.1f}\n")
    print(f"{len(rows)} words -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
