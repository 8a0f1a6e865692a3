"""Pattern files: every shipped file validates; malformed lines fail naming file and line."""
import json

import pytest

from clauses.catalogue import topic_ids
from clauses.nlp.rules import PATTERN_DIR, RuleFileError, default_rules, load_rules


def test_every_shipped_pattern_file_validates():
    rules = default_rules()
    assert len({r.id for r in rules}) == len(rules)
    assert {r.topic for r in rules} <= set(topic_ids())
    assert len(list(PATTERN_DIR.glob("*.jsonl"))) == 8  # one file per topic group


def test_every_topic_has_a_rule():
    assert {r.topic for r in default_rules()} == set(topic_ids())


GOOD = {"id": "x.1", "topic": "input.no_training", "polarity": "favourable", "pattern": [{"LOWER": "train"}]}


@pytest.mark.parametrize(("change", "message"), [
    ({"topic": "input.nope"}, "unknown topic"),
    ({"polarity": "good"}, "polarity must be"),
    ({"pattern": [{"LEMMA": "Train"}]}, "lower case"),
    ({"pattern": [{"POS": "VERB"}]}, "unsupported token attribute"),
    ({"phrase": "train"}, "exactly one of"),
    ({"negation": "maybe"}, "negation must be"),
    ({"subject": "owner"}, "subject must be"),
    ({"extra": 1}, "unknown key"),
])
def test_invalid_rule_names_file_and_line(tmp_path, change, message):
    path = tmp_path / "bad.jsonl"
    path.write_text("# comment\n" + json.dumps({**GOOD, **change}) + "\n")
    with pytest.raises(RuleFileError, match=rf"^bad\.jsonl:2: .*{message}"):
        load_rules([path])


def test_broken_json_names_file_and_line(tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps(GOOD) + "\n{not json\n")
    with pytest.raises(RuleFileError, match=r"^broken\.jsonl:2: invalid JSON"):
        load_rules([path])


def test_duplicate_ids_are_rejected(tmp_path):
    path = tmp_path / "dup.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps(GOOD) + "\n")
    with pytest.raises(RuleFileError, match=r"dup\.jsonl:2: duplicate rule id 'x.1' \(first at dup\.jsonl:1\)"):
        load_rules([path])


@pytest.mark.parametrize(("spec", "value"), [
    ({"LOWER": {"IN": ["subprocessor", "sub-processor"]}}, "sub-processor"),
    ({"LEMMA": "fine-tune"}, "fine-tune"),
    ({"LOWER": {"NOT_IN": ["world-wide"]}}, "world-wide"),
    ({"LOWER": "compet*"}, "compet\\*"),
])
def test_a_value_the_tokenizer_splits_is_a_file_error(tmp_path, spec, value):
    """spaCy cuts "sub-processor" into sub / - / processor: such a value never matches one token."""
    path = tmp_path / "split.jsonl"
    path.write_text(json.dumps({**GOOD, "pattern": [{"LOWER": "train"}, spec]}) + "\n")
    with pytest.raises(RuleFileError, match=rf"^split\.jsonl:1: .*value '{value}' can never match"):
        load_rules([path])


def test_values_that_are_one_token_in_some_casing_load(tmp_path):
    """"u.s." is the LOWER of the tokenizer's special case "U.S."; "aes-256" (hyphen before a digit) and
    "soc2" stay one token."""
    path = tmp_path / "ok.jsonl"
    path.write_text(json.dumps({**GOOD, "pattern": [{"LOWER": {"IN": ["u.s.", "aes-256", "soc2"]}}]}) + "\n")
    assert load_rules([path])[0].pattern == ({"LOWER": {"IN": ["u.s.", "aes-256", "soc2"]}},)


def test_a_role_constraint_loads_and_matches_the_defined_provider_name(tmp_path):
    """{"ROLE": "provider"} is the party role party_roles puts on a token, so a rule can say "remains with
    <the provider, however the contract names it>"."""
    from clauses.nlp.components.roles import find_party_roles
    from clauses.nlp.components.topics import TopicMatcher
    from clauses.nlp.pipeline import get_nlp

    path = tmp_path / "role.jsonl"
    path.write_text(json.dumps({"id": "t.role", "topic": "output.ownership", "polarity": "unfavourable",
                                "pattern": [{"LEMMA": "content"}, {"OP": "{0,3}"}, {"LEMMA": "remain"},
                                            {"LOWER": "with"}, {"ROLE": "provider"}]}) + "\n")
    rules = load_rules([path])
    assert rules[0].pattern[-1] == {"ROLE": "provider"}
    nlp = get_nlp()
    text = ('This SOW is made between Zentrix Labs Ltd ("Zentrix" or "Provider") and Orvane plc ("Orvane" or '
            '"Customer").\n\nTitle to all generated content remains with Zentrix. '
            "Title to all generated content remains with Orvane.")
    doc = nlp.make_doc(text)
    doc._.party_roles = find_party_roles(text)
    for name, proc in nlp.pipeline:
        if name != "topic_matcher":
            doc = proc(doc)
    doc = TopicMatcher(nlp.vocab, rules)(doc)
    assert [doc[s:e].text for _i, s, e in doc._.topic_hits] == ["content remains with Zentrix"]


def test_the_shipped_role_rule_reads_remains_with_the_provider_name_as_a_conflict():
    from clauses.nlp.check import check_text

    text = ('This SOW is made between Zentrix Labs Ltd ("Zentrix" or "Provider") and Orvane plc ("Orvane" or '
            '"Customer").\n\nTitle to all generated content remains with Zentrix.')
    row = next(r for r in check_text(text)["topics"] if r["topic"] == "output.ownership")
    assert row["status"] == "conflict"
    assert [e["rule"] for e in row["evidence"]] == ["out.own.vests-in-provider-name"]


@pytest.mark.parametrize("role", ["owner", ["provider"], {"IN": ["vendor"]}])
def test_an_unknown_role_value_is_a_file_error(tmp_path, role):
    path = tmp_path / "role.jsonl"
    path.write_text(json.dumps({**GOOD, "pattern": [{"LOWER": "with"}, {"ROLE": role}]}) + "\n")
    with pytest.raises(RuleFileError, match=r"^role\.jsonl:1: ROLE must be"):
        load_rules([path])
