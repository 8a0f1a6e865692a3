"""Speed work never changes findings (bench/scan_bench.py, issue: checker speed).

The optimised path (exact `can_match` gate per block, hash columns shared between the lemmatizer and the
topic matcher, candidate-rule cache, lazily built token strings) is compared with straightforward
reference paths kept here:
- `reference_hits`: every rule tried at every token through Token objects (`token.lower_` ...), the
  first match per rule and sentence kept, as the TopicMatcher documents;
- `reference_lemmas`: `lemmas.lemma_of` of each token's text;
- `reference_evidence`: every block of the text (no `can_match` gate) run through a fresh `nlp.make_doc` and
  each pipe in turn.
The texts are our own, written to be varied: definitions and roles, prohibitions lists, hard-wrapped
lines, long sentences, boilerplate with no rule, numbers and abbreviations.
"""
import pytest

from bench.scan_bench import synthetic_contract
from clauses.nlp import check as check_mod
from clauses.nlp.check import check_text
from clauses.nlp.components import sentences as S
from clauses.nlp.components.lemmas import lemma_of
from clauses.nlp.components.roles import find_party_roles
from clauses.nlp.components.topics import _ATTR
from clauses.nlp.pipeline import get_nlp
from clauses.nlp.rules import default_rules
from clauses.nlp.structure import iter_blocks
from tests.clauses.nlp.helpers import run_pipes

HOSTED = """CLOUD SERVICES AGREEMENT
This Agreement is made between Kestrel AI Ltd ("Kestrel", "we", "us") and Orvane plc ("Orvane", "Customer").

1. Definitions
"Customer Content" means prompts, files and other material Orvane submits to the Services.
"Output" means text or images the Services return in response to Customer Content.

2. Use of data
2.1 Kestrel will not use Customer Content or Output to train, retrain or fine-tune any model, and no
Kestrel affiliate shall do so.
2.2 Kestrel may keep Customer Content for as long as it deems necessary for its own purposes.
2.3 Kestrel deletes Customer Content within 30 days after the end of the subscription term.

3. Security
Kestrel encrypts Customer Content at rest and in transit. Kestrel will tell the Customer about any
security incident affecting Customer Content within 72 hours of becoming aware of it.

4. Liability
Kestrel's aggregate liability under this Agreement is limited to the fees paid in the 12 months before
the claim, except for breaches of confidentiality. Nothing in this Agreement limits liability for fraud.

5. General
The parties will hold a review meeting every quarter. Invoices are payable within 45 days. This
Agreement is governed by the laws of Ireland, and the courts of Dublin have exclusive jurisdiction.
Kestrel may change the fees on 15 days notice by e-mail, e.g. for a new price list.
"""

LICENCE = """HALVARD OPEN MODEL LICENCE v2
"Licensor" or "we" means Halvard Research B.V. "You" or "Licensee" means the person using the Model.

You may use, copy and modify the Model and its weights for any lawful purpose. You own the outputs you
generate, and we claim no rights in them. You must not, and must not let anyone else:
(a) use the Model to build a competing foundation model;
(b) distribute the weights without this licence; or
(c) remove any notice of attribution.
If your products have more than 500,000 monthly active users you must ask us for a separate licence.
We may terminate this licence at any time without notice. THE MODEL IS PROVIDED "AS IS", WITHOUT WARRANTY
OF ANY KIND, except as expressly stated in section 7. You will indemnify Halvard against third-party claims
arising from your use of the Model.
"""

DPA = """DATA PROCESSING ADDENDUM
Zentrix GmbH (the "Processor") processes personal data for the Controller only on documented
instructions. The Processor shall not engage a sub-processor without the prior written authorisation of
the Controller, and shall notify the Controller of a personal data breach without undue delay.
Personal data is transferred outside the EEA only under the standard contractual clauses.
On termination the Processor returns or deletes all personal data, unless Union law requires storage.
The Processor keeps records of processing activities and makes them available on request.
"""

# Boilerplate only: no rule should fire (checks the can_match gate and the empty paths).
BOILERPLATE = """SCHEDULE 4 - MEETINGS
The steering group meets on the first Monday of each month in the Leeds office.
Minutes are circulated within five working days; each party bears its own travel costs.

Headings are for convenience only.
"""

TEXTS = {"hosted": HOSTED, "licence": LICENCE, "dpa": DPA, "boilerplate": BOILERPLATE,
         "synthetic": synthetic_contract(30_000, seed=7), "all": HOSTED + "\n\n" + LICENCE + "\n\n" + DPA}


def _tok_ok(tok, spec) -> bool:
    for attr, val in spec.items():
        if attr == "OP":
            continue
        got = len(tok) if attr == "LENGTH" else getattr(tok, _ATTR[attr])
        if isinstance(val, dict):
            if "IN" in val and got not in val["IN"]:
                return False
            if "NOT_IN" in val and got in val["NOT_IN"]:
                return False
        elif got != val:
            return False
    return True


def _seq(doc, pos, limit, specs) -> int:
    """End of `specs` matched from `pos` (optional specs: take first, then skip), or -1."""
    if not specs:
        return pos
    spec = specs[0]
    if pos < limit and _tok_ok(doc[pos], spec):
        end = _seq(doc, pos + 1, limit, specs[1:])
        if end >= 0:
            return end
    if spec.get("OP") == "?":
        return _seq(doc, pos, limit, specs[1:])
    return -1


def reference_hits(doc) -> set[tuple[int, int, int]]:
    """Every rule at every token of every sentence; the first match per (rule, sentence)."""
    hits = set()
    for sent in doc.sents:
        for idx, rule in enumerate(default_rules()):
            segs = rule.segments()
            for i in range(sent.start, sent.end):
                pos = _seq(doc, i, sent.end, segs[0][1])
                for gap, specs in segs[1:]:
                    if pos < 0:
                        break
                    pos = next((e for p in range(pos, min(pos + gap, sent.end) + 1)
                                if (e := _seq(doc, p, sent.end, specs)) >= 0), -1)
                if pos >= 0:
                    hits.add((idx, i, pos))
                    break
    return hits


def reference_evidence(text: str) -> list[dict]:
    """Evidence of every block of `text`, with no `can_match` gate."""
    roles = find_party_roles(text)
    out = []
    for start, end in iter_blocks(text, max_chars=check_mod.MAX_CHUNK_CHARS):
        for ev in run_pipes(text[start:end], roles)._.topic_evidence:
            ev = dict(ev)
            for k in ("sent_start", "sent_end", "match_start", "match_end"):
                ev[k] += start
            out.append(ev)
    return out


def _findings(report: dict) -> list[tuple]:
    return [(r["topic"], r["status"], r["value"], [(e["start"], e["end"], e["polarity"], e["rule"])
                                                   for e in r["evidence"]]) for r in report["topics"]]


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_topic_hits_equal_the_reference_matcher(name):
    text = TEXTS[name]
    roles = find_party_roles(text)
    for start, end in iter_blocks(text):
        doc = run_pipes(text[start:end], roles)
        assert set(doc._.topic_hits) == reference_hits(doc), text[start:end][:80]
        assert len(doc._.topic_hits) == len(set(doc._.topic_hits))


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_topic_hits_are_the_same_on_the_lower_keyed_and_the_pair_keyed_path(name):
    """With our lemmatizer's flag the matcher keys candidates on LOWER alone; without it (lemmas set by
    anything else) on (LOWER, LEMMA) pairs: both give the same hits, in the same order."""
    text = TEXTS[name]
    roles = find_party_roles(text)
    matcher = dict(get_nlp().pipeline)["topic_matcher"]
    for start, end in iter_blocks(text):
        doc = run_pipes(text[start:end], roles)
        assert doc.user_data.get("lemma_of_lower") is True
        fast = list(doc._.topic_hits)
        doc.user_data.pop("lemma_of_lower")
        assert list(matcher(doc)._.topic_hits) == fast


@pytest.mark.parametrize("name", sorted(TEXTS) + ["glued"])
def test_possible_rules_are_the_rules_whose_every_requirement_is_met(name):
    """The gated computation (each rule looked up by its likeliest-absent requirement) equals checking every
    requirement of every rule against the block's LOWER / LEMMA / ORTH hashes."""
    from clauses.nlp.components.topics import token_columns

    text = GLUED if name == "glued" else TEXTS[name]
    matcher = dict(get_nlp().pipeline)["topic_matcher"]
    roles = find_party_roles(text)
    for s, e in iter_blocks(text, max_chars=check_mod.MAX_CHUNK_CHARS):
        doc = run_pipes(text[s:e], roles)
        cols = [set(c) for c in token_columns(doc)]
        brute = {i for i, req in enumerate(matcher.required) if all(not h.isdisjoint(cols[c]) for c, h in req)}
        doc.user_data.pop("possible_rules")
        assert matcher.possible_rules(doc) == brute, text[s:e][:80]


def test_each_matcher_reads_only_its_own_cached_rule_filter():
    """`possible_rules` is cached on the Doc per matcher: a second matcher with other rules run over the same
    Doc must not reuse the first one's filter (it would find nothing)."""
    from clauses.nlp.components.topics import TopicMatcher
    from clauses.nlp.rules import Rule

    text = "The Provider shall keep the archive in Leeds. The ledger stays in Porto."
    doc = run_pipes(text, find_party_roles(text))
    assert doc.user_data["possible_rules"][0] is dict(get_nlp().pipeline)["topic_matcher"]
    rule = Rule(id="t.stay", topic="output.ownership", polarity="favourable",
                pattern=({"LEMMA": "stay"}, {"LOWER": "in"}))
    other = TopicMatcher(get_nlp().vocab, (rule,))
    assert [doc[s:e].text for _i, s, e in other(doc)._.topic_hits] == ["stays in"]
    assert other.possible_rules(doc) == {0}


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_lemmas_and_token_columns_equal_the_token_attributes(name):
    text = TEXTS[name]
    doc = run_pipes(text, find_party_roles(text))
    assert [t.lemma_ for t in doc] == [lemma_of(t.text) for t in doc]
    table = doc.user_data["token_table"]
    assert table.lists["LOWER"] == [t.lower_ for t in doc]
    assert table.lists["LEMMA"] == [t.lemma_ for t in doc]
    assert table.lists["ORTH"] == [t.text for t in doc]


@pytest.mark.parametrize("name", sorted(TEXTS) + ["glued"])
def test_report_equals_the_unfiltered_reference_path(name, monkeypatch):
    text = GLUED if name == "glued" else TEXTS[name]
    fast = check_text(text)
    monkeypatch.setattr(check_mod, "find_evidence", reference_evidence)
    slow = check_text(text)
    assert _findings(fast) == _findings(slow)
    assert fast["summary"] == slow["summary"]


def test_the_texts_exercise_the_rules():
    """The comparison means something only if the texts produce findings of every kind."""
    statuses = {r["status"] for name in ("hosted", "licence", "dpa") for r in check_text(TEXTS[name])["topics"]}
    assert statuses == {"conflict", "missing", "present"}
    assert sum(len(r["evidence"]) for r in check_text(TEXTS["all"])["topics"]) >= 10
    assert all(r["status"] == "missing" for r in check_text(BOILERPLATE)["topics"])


def test_second_scan_of_the_same_text_is_identical():
    """Process-wide caches (candidate rules, hash strings, lemmas) never change a later scan."""
    first = check_text(TEXTS["all"])
    check_text(TEXTS["synthetic"])
    assert _findings(check_text(TEXTS["all"])) == _findings(first)


def test_role_constraint_in_a_token_pattern_matches_the_party_token():
    """{"ROLE": "provider"} asks for the party role party_roles gave the token (a defined name counts), so
    "remains with Zentrix" can be told from "remains with the Customer" (rules.py must accept the key)."""
    from clauses.nlp.components.topics import TopicMatcher
    from clauses.nlp.rules import Rule

    rule = Rule(id="t.role", topic="output.ownership", polarity="unfavourable",
                pattern=({"LEMMA": "remain"}, {"LOWER": "with"}, {"ROLE": "provider"}))
    matcher = TopicMatcher(get_nlp().vocab, (rule,))
    text = ('This SOW is between Zentrix Labs Ltd ("Zentrix", "Provider") and Orvane plc ("Orvane", "Customer"). '
            "Title to the reports remains with Zentrix. Title to the data remains with Orvane.")
    doc = matcher(run_pipes(text, find_party_roles(text)))
    assert [doc[s:e].text for _i, s, e in doc._.topic_hits] == ["remains with Zentrix"]


# Blocks whose rule words are hyphenated, glued by tokenizer special cases ("cannot" = can + not) or sit
# in runs with digits.
GLUED = """The Provider cannot use Customer Content to train or fine-tune models.

Zentrix engages sub-processors only after prior notice to the Customer.

Data is protected in transit with AES-256 and TLS1.3; audits follow SOC2.

Training sessions start at 9am; the world-wide licence is granted to Orvane.

A sub-contractor processing personal data needs prior written consent of the Customer.
"""


@pytest.mark.parametrize("name", sorted(TEXTS) + ["glued"])
def test_can_match_keeps_every_block_with_a_topic_hit(name):
    """The exact `can_match` (which lets a block skip the pipes after lemmatising) never rejects a block in
    which the reference matcher finds a hit."""
    text = GLUED if name == "glued" else TEXTS[name]
    roles = find_party_roles(text)
    matcher = dict(get_nlp().pipeline)["topic_matcher"]
    with_hits = 0
    for s, e in iter_blocks(text, max_chars=check_mod.MAX_CHUNK_CHARS):
        doc = run_pipes(text[s:e], roles)
        if reference_hits(doc):
            with_hits += 1
            assert matcher.can_match(doc), text[s:e][:80]
    assert with_hits >= {"boilerplate": 0, "glued": 5}.get(name, 1)


ODD_SPACING = ("  Zentrix  will not\tuse Orvane’s data\u00a0to train models.  \n\n\n (a) Café  terms — “quoted” …  "
               "\r\n2.1\tThe fee is €1,000.00 per month.   ")


@pytest.mark.parametrize("name", sorted(TEXTS) + ["odd_spacing", "glued"])
def test_the_sentencizer_keeps_the_doc_text_and_token_offsets(name):
    """set_sentence_starts rebuilds the text from (ORTH, IDX, SPACY) without Token objects; later pipes read
    doc.user_data["text"] / ["idx"] instead of doc.text / token.idx, so they must be the same."""
    text = {"odd_spacing": ODD_SPACING, "glued": GLUED}.get(name) or TEXTS[name]
    doc = run_pipes(text, find_party_roles(text))
    assert doc.user_data["text"] == doc.text == text
    assert doc.user_data["idx"] == [t.idx for t in doc]


def reference_profile_scores(text: str) -> dict[str, float]:
    """profile_scores as one case-insensitive regex pass per signal (the code before the word Counter)."""
    from clauses.nlp.profiles import _COMPILED

    title, body = text[:400], text[:300_000]
    words = max(1, len(body.split()))
    scores = {}
    for profile, sig in _COMPILED.items():
        s = 0.0
        for rx, tw, dw in sig:
            if tw and rx.search(title):
                s += tw
            if dw:
                s += min(4.0, dw * len(rx.findall(body)) * 1000 / words / 5)
        scores[profile] = round(s, 3)
    return scores


SIGNAL_WORDS = """DATA PROCESSING ADDENDUM (DPA). The Sub-Processor and SUBPROCESSORS, a sub_processor, controllers,
Data Subjects and a personal data breach; Standard Contractual Clauses. Statement of Work / SOW 4, a services order,
Acceptance Testing of Deliverables and milestones; work product. Licensee may redistribute, Redistribution,
distributors, weights, derivative works, Derivatives, models, copyright. Customer Content, customer data, Services, API
fees, subscription. Permission is hereby granted. Fees-based, the customer's API_key, preprocessors."""


@pytest.mark.parametrize("name", sorted(TEXTS) + ["signal_words"])
def test_profile_scores_equal_one_regex_pass_per_signal(name):
    from clauses.nlp.profiles import profile_scores

    text = SIGNAL_WORDS if name == "signal_words" else TEXTS[name]
    assert profile_scores(text) == reference_profile_scores(text)
    if name == "signal_words":
        assert min(profile_scores(text).values()) > 3


def reference_context_ok(rule, sent, lemmas: set, low_text: str, doc) -> bool:
    """context_ok as one test per term, in list order (the code before the terms were split by kind)."""
    from clauses.nlp.components.polarity import view

    def has(term: str) -> bool:
        if term[:1] == "@":
            roles = view(doc).role
            return any(roles.get(k) == term[1:] for k in range(sent.start, sent.end))
        if term.endswith("*"):
            return term[:-1] in low_text
        if " " in term or not term.isalnum():
            return term in low_text
        return term in lemmas

    if rule.context_any and not any(has(t) for t in rule.context_any):
        return False
    if rule.context_also and not any(has(t) for t in rule.context_also):
        return False
    return not (rule.context_none and any(has(t) for t in rule.context_none))


@pytest.mark.parametrize("name", sorted(TEXTS) + ["glued"])
def test_context_ok_equals_one_test_per_term(name):
    """Every rule with context terms, on every sentence of the text: the split (lemma set, substrings, roles)
    gives the same answer as testing term by term; the texts make both answers occur."""
    from clauses.nlp.components.polarity import Sent, context_ok, view

    text = GLUED if name == "glued" else TEXTS[name]
    rules = [r for r in default_rules() if r.context_any or r.context_also or r.context_none]
    answers = set()
    for start, end in iter_blocks(text):
        doc = run_pipes(text[start:end], find_party_roles(text))
        v = view(doc)
        for s in doc.sents:
            sent = Sent(s.start, s.end, s.start_char, s.end_char)
            lemmas = set(v.lem[s.start:s.end]) | set(v.low[s.start:s.end])
            low = s.text.lower()
            for rule in rules:
                got = context_ok(rule, sent, lemmas, low, doc)
                assert got == reference_context_ok(rule, sent, lemmas, low, doc), (rule.id, s.text)
                answers.add(got)
    if name != "boilerplate":
        assert answers == {True, False}


def reference_sentence_starts(texts: list[str], idxs: list[int], full_text: str) -> list[bool]:
    """sentence_starts visiting every token (the code before the candidate prefilter)."""
    n = len(texts)
    out = [False] * n
    if not n:
        return out
    out[0] = True
    for i in range(1, n):
        t = texts[i]
        if t.isspace():
            continue
        prev = texts[i - 1]
        start = False
        if prev.isspace():
            if "\n" not in prev:
                start = False
            elif prev.count("\n") >= 2:
                start = True
            else:
                before = texts[i - 2] if i >= 2 else None
                if before is None or before[-1:] in S._TERMINAL or before in (":", ";"):
                    start = True
                elif S.is_list_label(t) or t in ("•", "*", "-", "–", "—") or (
                        t == "(" and i + 2 < n and texts[i + 2] == ")"):
                    start = True
                else:
                    line_start = full_text.rfind("\n", 0, idxs[i - 2]) + 1
                    start = ((idxs[i - 1] - line_start) < 60 and S._starts_item_text(t)
                             and before.lower() not in S.FUNCTION_WORDS)
        elif prev in S._TERMINAL:
            if prev == "." and i >= 2:
                before = texts[i - 2]
                if before.lower() in S.ABBREVIATIONS or (S.is_list_label(before) and out[i - 2]):
                    start = False
                else:
                    is_punct = all(c in S._PUNCT_CHARS for c in t)
                    start = (S._starts_item_text(t) and not is_punct) or t in ("\"", "“", "(", "‘")
            else:
                is_punct = all(c in S._PUNCT_CHARS for c in t)
                start = S._starts_item_text(t) and not is_punct
        elif prev.endswith(".") and len(prev) > 1:
            low = prev.lower().rstrip(".")
            if low in S.ABBREVIATIONS or len(low) <= 3 or S.is_list_label(prev):
                start = False
            else:
                start = t[:1].isupper()
        out[i] = start
    return out


@pytest.mark.parametrize("name", sorted(TEXTS) + ["odd_spacing", "glued"])
def test_sentence_starts_equal_visiting_every_token(name):
    """The sentencizer visits only tokens after whitespace, a terminal mark or a token ending in "."; the flags
    equal those of the loop over every token (abbreviations, list labels, hard-wrapped lines included)."""
    from spacy.attrs import IDX, ORTH

    text = {"odd_spacing": ODD_SPACING, "glued": GLUED}.get(name) or TEXTS[name]
    extra = "Zentrix Inc. and Orvane Ltd. agree, e.g. on fees.\n(a) first item;\n(b) second item.\nU.S. law applies. iii. Next"
    for block in (text, extra, text.replace("\n\n", "\n"), "."):
        doc = get_nlp().make_doc(block)
        arr = doc.to_array([ORTH, IDX]).tolist()
        texts = [doc.vocab.strings[o] for o, _ in arr]
        idxs = [i for _, i in arr]
        flags = S.sentence_starts(texts, idxs, block)
        assert flags == reference_sentence_starts(texts, idxs, block)
        assert sum(flags) >= (2 if len(block) > 40 else 1)


def reference_detect_sections(text: str) -> tuple:
    """detect_sections as it was: each heading scans forward for the next one of the same or a higher level."""
    from clauses.nlp.structure import _HEADING
    from clauses.textdoc import Section

    marks = []
    for m in _HEADING.finditer(text):
        line_end = text.find("\n", m.start())
        line_end = len(text) if line_end < 0 else line_end
        title = text[m.end():line_end].strip()
        title = title[:80] if len(title) <= 80 else None
        if m.group(1):
            marks.append((m.start(), m.group(1).count(".") + 1, m.group(1), title))
        elif m.group(2):
            marks.append((m.start(), 0, " ".join(m.group(2).split()), title))
        else:
            marks.append((m.start(), 9, f"({m.group(3)})", None))
    sections, parent_label = [], None
    for i, (start, level, label, title) in enumerate(marks):
        end = len(text)
        for start2, level2, _l, _t in marks[i + 1:]:
            if level2 <= level:
                end = start2
                break
        if level == 9:
            if parent_label is None:
                continue
            label = parent_label + label
        else:
            parent_label = label
        sections.append(Section(label=label, title=title if level != 9 else None, start=start, end=end))
    return tuple(sections)


@pytest.mark.parametrize("seed", range(5))
def test_sections_equal_the_forward_scan(seed):
    """The one-pass section ends equal the forward scan from each heading, on random outlines."""
    import random

    from clauses.nlp.structure import detect_sections

    rng = random.Random(seed)
    lines, n = [], [0, 0, 0]
    for _ in range(300):
        kind = rng.choice(["h1", "h2", "h3", "item", "schedule", "text", "text"])
        if kind == "h1":
            n = [n[0] + 1, 0, 0]
            lines.append(f"{n[0]}. Heading {n[0]}")
        elif kind == "h2":
            n[1] += 1
            lines.append(f"{n[0]}.{n[1]} Sub heading")
        elif kind == "h3":
            n[2] += 1
            lines.append(f"{n[0]}.{n[1]}.{n[2]} Detail")
        elif kind == "item":
            lines.append(f"({rng.choice('abcdef')}) an item of the list")
        elif kind == "schedule":
            lines.append(f"Schedule {rng.randint(1, 9)}")
        else:
            lines.append("The parties will review the plan every quarter.")
    text = "\n".join(lines)
    got = detect_sections(text)
    assert got == reference_detect_sections(text)
    assert len(got) > 100
