"""The checker's spaCy pipeline: built once per process, lazily, from `spacy.blank("en")`.

Pipes: legal_sentencizer -> legal_lemmatizer (spacy-lookups-data table) -> party_roles -> topic_matcher
-> clause_polarity. No statistical model is downloaded or needed (see HOUSE-STYLE, spaCy section).
"""
import threading
from functools import cache

import spacy

from clauses.nlp.rules import patterns_digest

__version__ = "1.0.0"
CHECKER_VERSION = f"{__version__}+{patterns_digest()}"
MAX_CHUNK_CHARS = 100_000  # far below spaCy's 1,000,000 max_length (E088, spaCy #2817)
# spaCy's tokenizer caches the analysis of a whitespace-delimited chunk, but only of the first 10,000 chunks a
# process sees (Tokenizer max_cache_size): a worker then splits affixes afresh for every word the first
# documents did not have, and a 2 MB contract scanned after another one took twice as long
# (bench/scan_bench.py). 200,000 chunks cost ~15 MB and cover a long-running worker's working vocabulary.
TOKENIZER_CACHE_CHUNKS = 200_000
PIPE_NAMES = ("legal_sentencizer", "legal_lemmatizer", "party_roles", "topic_matcher", "clause_polarity")

# A sentence that must match after build: LEMMA rules silently match nothing when lemmas are missing
# (spaCy #4100), so a broken pipeline fails loudly at start-up instead of reporting "missing" everywhere.
SELF_TEST = ("The Provider will not use Customer Content to train its models.", "input.no_training", "favourable")

_lock = threading.Lock()
_nlp = None


@cache
def tokenizer_only():
    """Return a bare `spacy.blank("en")` (tokenizer only), cached; used to compile phrase rules."""
    return spacy.blank("en")


def build_nlp(*, self_test: bool = True):
    """Build a new pipeline; raise RuntimeError when the start-up self-test fails."""
    import clauses.nlp.components  # noqa: F401  (registers the factories)

    nlp = spacy.blank("en")
    nlp.max_length = MAX_CHUNK_CHARS * 2
    nlp.tokenizer.max_cache_size = TOKENIZER_CACHE_CHUNKS
    for name in PIPE_NAMES:
        nlp.add_pipe(name)
    if self_test:
        run_self_test(nlp)
    return nlp


def run_self_test(nlp) -> None:
    """Assert the known sentence yields the expected topic and polarity; RuntimeError otherwise."""
    text, topic, polarity = SELF_TEST
    try:
        doc = nlp(text)
    except ValueError as exc:  # spaCy E155: LEMMA patterns without a lemmatizer
        raise RuntimeError(f"checker self-test: the pipeline cannot run ({exc}); is the lemmatizer missing?") from exc
    if doc[4].lemma_ != "use" or not any(t.lemma_ == "model" for t in doc):
        raise RuntimeError("checker self-test: the lemmatizer produced no lemmas (is spacy-lookups-data installed?)")
    got = {(e["topic"], e["polarity"]) for e in doc._.topic_evidence}
    if (topic, polarity) not in got:
        raise RuntimeError(f"checker self-test failed: {text!r} should give {topic}/{polarity}, got {sorted(got)}")


# spaCy's vocabulary keeps every string a pipeline has seen (about 300 bytes each with its lexeme): +77,000 over
# the 510 CUAD contracts, but millions on text full of unique codes. Past this many strings the process builds
# a fresh pipeline (about a second), so a long-running web process (embedded mode) or solo-pool worker stays
# bounded too; prefork workers are also replaced past CELERY_WORKER_MAX_MEMORY_KB.
MAX_VOCAB_STRINGS = 1_000_000


def get_nlp():
    """Return the process-wide pipeline, building it on first use and again once its vocabulary holds more
    than MAX_VOCAB_STRINGS strings (thread-safe: a scan running on the old pipeline finishes with it)."""
    global _nlp
    nlp = _nlp
    if nlp is None or len(nlp.vocab.strings) > MAX_VOCAB_STRINGS:
        with _lock:
            if _nlp is None or len(_nlp.vocab.strings) > MAX_VOCAB_STRINGS:
                _nlp = build_nlp()
            nlp = _nlp
    return nlp
