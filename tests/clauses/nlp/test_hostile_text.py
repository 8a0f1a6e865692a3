"""Hostile or odd text never hangs the checker (no regex with catastrophic backtracking, no quadratic walk).

Each text below is a pathological shape of ~100,000 characters (a list of quoted brand names, spaces between
quoted names, brackets never closed, quote marks only, one giant "sentence" ...). A regular expression in
the party-role reader once backtracked exponentially on a real contract listing quoted service marks (found
by the held-out CUAD run), so a worker would have been pinned until its time limit. `re` cannot be
interrupted from Python, so the scans run in a child process with a generous bound: linear code scans each
text in about a second; a hang never finishes.
"""
import json
import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings

SIZE = 100_000
# name -> (prefix, unit repeated up to SIZE characters)
SHAPES = {
    "quoted-names-spaces": ("Brand names: ", '"Kestrel 0"            '),
    "quoted-names-open-paren": ("Orvane Labs (", '"a" , '),
    "quoted-or-chain": ("", '"x" or '),
    "quote-marks-only": ("", '"'),
    "curly-quotes": ("", "“a” ‘b’ "),
    "open-parens": ("", "Acme ("),
    "capitalised-words": ("", "Aa "),
    "definition-chain": ("", '"Term" means '),
    "section-numbers": ("", "1.1.1."),
    "spelled-periods": ("", "thirty (30) "),
    "hyphen-breaks": ("", "a-\n"),
    "tabs-and-spaces": ("", " \t"),
    "law-chain": ("", "laws of the State of "),
    "within-chain": ("", "within "),
    "list-markers": ("", "(a) "),
    "caps-headings": ("", "SECTION "),
    "retention-chain": ("", "retain for as long as "),
    "no-punctuation": ("", "the provider may use customer content to train "),
    "long-token": ("", "x"),
    "newlines": ("", "\n"),
    # one run of capitalised words without spaces: the definition regexes tried a match at every capital
    "capitalised-run": ("", "Provider"),
    "hex-run": ("", "DEADBEEF"),
    "letter-dot-run": ("", "A."),
}
BOUND_SECONDS = 120  # all shapes together; about 1 s each when linear

SCRIPT = textwrap.dedent("""
    import json, sys, time, django
    django.setup()
    from clauses.nlp.check import check_text
    shapes, size = json.loads(sys.stdin.read()), int(sys.argv[1])
    for name, (prefix, unit) in shapes.items():
        text = prefix + unit * ((size - len(prefix)) // len(unit))
        t = time.perf_counter()
        report = check_text(text, profile="hosted_service")
        assert len(report["topics"]) == 31
        print(name, round(time.perf_counter() - t, 2), flush=True)
""")


def test_pathological_texts_scan_in_linear_time():
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.test", PYTHONPATH=str(settings.BASE_DIR))
    env.pop("DATABASE_URL", None)
    try:
        out = subprocess.run([sys.executable, "-c", SCRIPT, str(SIZE)], input=json.dumps(SHAPES), env=env,
                             cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=BOUND_SECONDS)
    except subprocess.TimeoutExpired as exc:
        done = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        finished = [line.split()[0] for line in done.splitlines()]
        stuck = next((n for n in SHAPES if n not in finished), "?")
        raise AssertionError(f"the checker did not finish {stuck!r} (done: {finished})") from None
    assert out.returncode == 0, out.stderr[-3000:]
    assert [line.split()[0] for line in out.stdout.splitlines()] == list(SHAPES)


def test_long_runs_are_tamed_without_moving_offsets():
    from clauses.nlp.check import check_text, tame_long_runs

    junk = '"' * 5000 + "/" * 3000
    assert tame_long_runs("short " + junk) == "short " + "x" * len(junk)
    assert tame_long_runs("see https://example.com/a/b/c for details") == "see https://example.com/a/b/c for details"
    text = junk + "\n\nThe Provider will not use Customer Content to train any model.\n" + junk
    row = next(t for t in check_text(text, profile="hosted_service")["topics"] if t["topic"] == "input.no_training")
    assert row["status"] == "present"
    ev = row["evidence"][0]
    assert text[ev["start"]:ev["end"]] == ev["quote"] == "The Provider will not use Customer Content to train any model."


@pytest.mark.parametrize("disguised", [
    "The Provider may use Customer Data to tr\u0430in its models.",          # Cyrillic a
    "The Provider may use Customer Data to \uff54\uff52\uff41\uff49\uff4e its models.",  # fullwidth
    "The Pr\u03bfvider may use Cust\u043emer D\u0430ta t\u043e train its m\u03bfdels.",  # Greek/Cyrillic o, a
])
def test_look_alike_letters_do_not_hide_a_clause_and_quotes_stay_verbatim(disguised):
    from clauses.nlp.check import check_text

    row = next(t for t in check_text(disguised, profile="hosted_service")["topics"] if t["topic"] == "input.no_training")
    assert row["status"] == "conflict"
    assert [e["quote"] for e in row["evidence"]] == [disguised]


def test_words_wholly_in_another_script_are_left_alone():
    from clauses.nlp.check import unmask_lookalikes

    text = "\u0414\u043e\u0433\u043e\u0432\u043e\u0440 \u043e \u0434\u0430\u043d\u043d\u044b\u0445 and tr\u0430in"
    assert unmask_lookalikes(text) == "\u0414\u043e\u0433\u043e\u0432\u043e\u0440 \u043e \u0434\u0430\u043d\u043d\u044b\u0445 and train"
    assert len(unmask_lookalikes(text)) == len(text)


@pytest.mark.parametrize("text", [
    "Plain ASCII: the Provider will not train on prompts.",
    "Curly \u201cquotes\u201d, an en dash \u2013 and caf\u00e9 only: nothing to unmask.",
    "Fullwidth only: \uff54\uff52\uff41\uff49\uff4e and \uff21\uff29.",
    "Look-alike only: tr\u0430in and m\u03bfdel.",
    "Both: \uff54rain, Pr\u03bfvider, \u201cCust\u043emer\u201d.",
    "\u0414\u043e\u0433\u043e\u0432\u043e\u0440 only in Cyrillic, with \u201cquotes\u201d.",
    "",
])
def test_unmask_equals_translating_every_character(text):
    """The fast path (one regex scan decides whether anything needs unmasking) returns exactly what the
    plain algorithm does: fullwidth ASCII translated everywhere, look-alikes inside Latin words."""
    import re

    from clauses.nlp import check

    def reference(block: str) -> str:
        block = block.translate(check._FULLWIDTH)
        return check._WORD_WITH_LOOKALIKE.sub(
            lambda m: m.group().translate(check._LOOKALIKE_TABLE) if re.search(r"[A-Za-z]", m.group()) else m.group(),
            block)

    assert check.unmask_lookalikes(text) == reference(text)
    assert len(check.unmask_lookalikes(text)) == len(text)


def test_no_sentence_is_longer_than_the_cap_and_a_clause_without_punctuation_is_still_read():
    """Text that lost its punctuation is one "sentence" per block: the sentencizer cuts it every
    MAX_SENTENCE_TOKENS tokens (after a comma or a line break where it can), so per-sentence work stays
    bounded, and the clause inside is still found."""
    from clauses.nlp.check import check_text
    from clauses.nlp.components.sentences import MAX_SENTENCE_TOKENS, cap_sentence_length
    from tests.clauses.nlp.helpers import run_pipes

    words = ("the parties meet every quarter to review the plan and the provider may use customer content to "
             "train its models and invoices list the hours worked, ") * 300
    doc = run_pipes(words, {})
    lengths = [b - a for a, b in doc.user_data["sent_bounds"]]
    assert max(lengths) <= MAX_SENTENCE_TOKENS and len(lengths) >= len(doc) // MAX_SENTENCE_TOKENS
    assert all(doc[a - 1].text == "," for a, _b in doc.user_data["sent_bounds"][1:])  # cut after a comma
    row = next(t for t in check_text(words, profile="hosted_service")["topics"] if t["topic"] == "input.no_training")
    assert row["status"] == "conflict"
    # sentences up to the cap are never cut
    flags = [True] + [False] * 99
    assert cap_sentence_length(list(flags), ["w"] * 100, cap=100) == flags
    assert cap_sentence_length(list(flags), ["w"] * 100, cap=40) == [i in (0, 40, 80) for i in range(100)]
