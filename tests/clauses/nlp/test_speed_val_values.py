"""Speed work on the report stage never changes values (issue: checker speed).

- `values.JURISDICTION` and `values.ADJ_LAW` are prefix tries of the names; they must find exactly what
  the flat alternations they replaced find (`_FLAT`, `_FLAT_ADJ`, kept here as the reference).
- `check._read` memoises the value readers by sentence text; a memoised read equals a fresh one, and a
  report does not depend on what was read before.
The sentences are our own.
"""
import random
import re

import pytest

from clauses.nlp import check as check_mod
from clauses.nlp import values as V
from clauses.nlp.check import check_text

_FLAT = re.compile(r"\b(" + "|".join(re.escape(n).replace("\\ ", r"\s+") for n in V._JUR_NAMES) + r")\b", re.I)


_FLAT_ADJ = re.compile(r"\b(" + "|".join(V._ADJ_LAW) + r")\s+(law|laws|courts?)\b", re.I)


def _spans(rx: re.Pattern, text: str) -> list:
    return [(m.span(), m.groups()) for m in rx.finditer(text)]


def test_trie_assumptions_hold_for_the_names():
    # the trie is keyed by lower-cased characters: exact only if lower() keeps lengths, no name has a double
    # space, and no character of a name has a special case-insensitive fold in `re` (dotless i, long s, Kelvin)
    special = set("\u0130\u0131\u017f\u212a\u212b\u00b5\u03bc\u1e9b\u1e61\ufb05\ufb06")
    for name in V._JUR_NAMES:
        assert len(name.lower()) == len(name) and "  " not in name and not special & set(name), name
        assert re.match(r"\w", name), name


def test_every_name_alone_and_in_other_cases_matches_as_before():
    for name in V._JUR_NAMES:
        for form in (name, name.upper(), name.lower(), name.replace(" ", "  \n ")):
            for text in (form, f"the laws of {form} apply", f"{form}n courts", f"({form}), and {form}."):
                assert _spans(V.JURISDICTION, text) == _spans(_FLAT, text), text
                assert bool(V.JURISDICTION.fullmatch(form)) == bool(_FLAT.fullmatch(form))


SENTENCES = [
    "This Agreement is governed by the laws of the State of New York and the courts of New Jersey.",
    "Disputes go to the courts of Papua New Guinea, not Guinea-Bissau or Guinea, nor the Dominican Republic.",
    "The laws of Niger, Nigeria and the Niger Delta do not apply; English law and the courts of England & Wales do.",
    "Venue: United States of America (U.S.A.) or the United States, or the USA, or P.R.C. courts in Hong Kong.",
    "the  United   Kingdom and Northern Ireland and Ireland; South Georgia; Georgia; West Virginia; Virginia.",
    "Newyork, NewYork, New York-based, New Yorker, Washingtonian, Indianapolis, Kansas City, Saint Kitts.",
    "The People’s Republic of China and People's Republic of China; Korea, Republic of Korea, North Korea.",
    "Åland Islands, Côte d'Ivoire, Curaçao and Réunion law; Victoria, British Columbia and Ontario courts.",
]


def test_sentences_and_shuffled_mixtures_match_as_before():
    rng = random.Random(11)
    words = " ".join(SENTENCES).split() + V._JUR_NAMES[::7]
    texts = list(SENTENCES)
    for _ in range(300):
        texts.append(" ".join(rng.choice(words) for _ in range(rng.randint(5, 40))))
    texts += [f"{adj} law, {adj.upper()}  courts and {adj.title()}\nCourt; {adj}an laws" for adj in V._ADJ_LAW]
    for text in texts:
        assert _spans(V.JURISDICTION, text) == _spans(_FLAT, text), text
        assert _spans(V.ADJ_LAW, text) == _spans(_FLAT_ADJ, text), text


@pytest.mark.parametrize("sentence", SENTENCES)
def test_memoised_read_equals_a_fresh_read(sentence):
    for reader in (V.jurisdictions, V.notice_periods, V.retention_periods, V.notice_deadlines, V.cap_value,
                   V.thresholds):
        assert check_mod._read(reader, sentence) == reader(sentence)
        assert check_mod._read(reader, sentence) == reader(sentence)  # the cached one
        long = sentence + " and so on" * 500  # past _MEMO_MAX_CHARS: read afresh, not kept
        assert check_mod._read(reader, long) == reader(long)


CONTRACT = """SERVICES AGREEMENT
This Agreement is between Brellow Systems Inc ("Provider") and Quennet GmbH ("Customer").
1. Data
1.1 Provider deletes Customer Data within 45 days after termination.
1.2 Provider shall notify Customer of a security breach within 96 hours.
1.3 Provider may change the fees on 10 days' notice.
2. Liability
2.1 Provider's total liability shall not exceed the fees paid in the 2 months before the claim.
3. Law
3.1 This Agreement is governed by the laws of the State of Delaware.
3.2 The courts of Ontario have exclusive jurisdiction.
"""


def test_report_is_the_same_with_a_cold_and_a_warm_memo():
    check_mod._read_memo.cache_clear()
    cold = check_text(CONTRACT, name="c.txt")
    warm = check_text(CONTRACT, name="c.txt")
    assert cold == warm
    values = {t["topic"]: t["value"] for t in cold["topics"]}
    assert values["compliance.governing_law"] == "Delaware"
    assert values["input.retention"] == "45 days"
    assert values["input.breach_notification"] == "96 hours"


def _is_heading_reference(sentence: str) -> bool:
    words = re.findall(r"[A-Za-z][\w'’-]*", sentence)  # the heading test as first written: all words counted
    return len(words) <= 6 and not check_mod._VERBISH.search(sentence)


def test_heading_test_counts_words_as_before():
    rng = random.Random(5)
    words = "No Other Warranty . 9.2 Governing Law shall the Provider’s fees - 12 a-b it's Term (c)".split()
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    for text in texts + ["", "Limitation of Liability.", "One two three four five six", "One two three four five six seven"]:
        assert check_mod._is_heading(text) == _is_heading_reference(text), text
