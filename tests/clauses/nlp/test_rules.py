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
