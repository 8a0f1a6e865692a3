"""Negation, prohibitions and lead-ins as contracts write them (clauses/nlp/components/polarity.py and the
block cutter in clauses/nlp/structure.py). All sentences are written for these tests."""
import pytest

from clauses.nlp.check import check_text
from clauses.nlp.structure import iter_blocks


def status(text: str, topic: str, profile: str = "model_license") -> str:
    report = check_text(text, name="t.txt", profile=profile)
    return next(t["status"] for t in report["topics"] if t["topic"] == topic)


HEAD = 'MODEL LICENCE\n"Licensor" means Zentrix Labs Ltd. "Licensee" or "you" means the person using the Model.\n\n'


@pytest.mark.parametrize("lead_in", [
    "The Licensee shall not:",
    "You may not:",
    "Do not:",
    "Licensee will not, and will not permit any third party to:",
    "You are not permitted to:",
])
@pytest.mark.parametrize("layout", ["tight", "blank lines", "bullets"])
def test_a_negative_lead_in_on_its_own_line_negates_each_list_item(lead_in, layout):
    items = ["use the Model to build a rival product;", "modify the Model or create derivative works of it; or",
             "distribute the Model to anyone."]
    if layout == "tight":
        body = "\n".join(f"({c}) {it}" for c, it in zip("abc", items, strict=True))
    elif layout == "blank lines":
        body = "\n\n".join(f"({c}) {it}" for c, it in zip("abc", items, strict=True))
    else:
        body = "\n".join(f"- {it.rstrip(';. or')}" for it in items)
    text = HEAD + "4. Restrictions\n\n" + lead_in + "\n\n" * (layout == "blank lines") + ("\n" if layout != "blank lines" else "") + body + "\n"
    assert status(text, "derivatives.right_to_modify") == "conflict"
    assert status(text, "license.redistribution") == "conflict"


def test_a_positive_lead_in_does_not_negate_its_items():
    text = HEAD + "You may:\n\n(a) modify the Model and create derivative works of it;\n\n(b) distribute the Model.\n"
    assert status(text, "derivatives.right_to_modify") == "present"
    assert status(text, "license.redistribution") == "present"


def test_not_limited_to_in_a_lead_in_is_no_negation():
    text = HEAD + "You may do the following, including but not limited to:\n(a) distribute the Model;\n(b) sell copies.\n"
    assert status(text, "license.redistribution") == "present"


def test_a_lead_in_does_not_reach_past_the_end_of_its_list():
    text = (HEAD + "You shall not:\n(a) remove any notices;\n(b) use the Licensor's marks.\n\n"
            "5. Distribution\n\nYou may distribute the Model to your customers.\n")
    assert status(text, "license.redistribution") == "present"


def test_lead_in_and_items_stay_in_one_block():
    text = "Customer shall not:\n\n(a) copy the model;\n\n(b) sell it.\n\n6. Fees\n\nFees are due monthly."
    blocks = [text[s:e] for s, e in iter_blocks(text)]
    assert blocks[0].startswith("Customer shall not:") and blocks[0].endswith("(b) sell it.")
    assert blocks[1:] == ["6. Fees", "Fees are due monthly."]


@pytest.mark.parametrize(("sentence", "topic", "expected"), [
    ("Neither party shall modify the Model.", "derivatives.right_to_modify", "conflict"),
    ("In no event shall the Licensee distribute the Model.", "license.redistribution", "conflict"),
    ("Under no circumstances will you distribute the Model.", "license.redistribution", "conflict"),
    ("The Licensee is not permitted to distribute the Model.", "license.redistribution", "conflict"),
    ("You may not, without the prior written consent of the Licensor, distribute the Model.",
     "license.redistribution", "conflict"),
    ("Without the prior written consent of the Licensor, you may not modify the Model.",
     "derivatives.right_to_modify", "conflict"),
    ("Except as expressly permitted in this Licence, you may not distribute the Model.",
     "license.redistribution", "conflict"),
    ("Nothing in this Licence prevents you from distributing the Model.", "license.redistribution", "present"),
    ("Nothing in this Licence shall be read to prohibit you from modifying the Model.",
     "derivatives.right_to_modify", "present"),
])
def test_negation_forms(sentence, topic, expected):
    assert status(HEAD + sentence + "\n", topic) == expected


def test_list_items_take_the_subject_of_their_lead_in():
    provider = ("SERVICES AGREEMENT\nThe Provider shall not:\n\n(a) use Customer Content to train any model;\n\n"
                "(b) sell Customer Content.\n")
    assert status(provider, "input.no_training", "hosted_service") == "present"
    provider_may = "SERVICES AGREEMENT\nThe Provider may:\n\n(a) use Customer Content to train its models.\n"
    assert status(provider_may, "input.no_training", "hosted_service") == "conflict"


def test_a_customer_lead_in_does_not_make_its_items_the_providers_acts():
    text = ("SERVICES AGREEMENT\nThe Customer may:\n\n(a) use its own Customer Content to train its models;\n\n"
            "(b) export its Customer Content.\n")
    assert status(text, "input.no_training", "hosted_service") == "missing"


def test_items_that_lost_their_labels_still_follow_the_lead_in():
    # Word auto-numbering can vanish on extraction: the items are bare lower-case paragraphs
    text = HEAD + "The Licensee must not:\n\nmodify the Model or create derivative works of it;\n\ndistribute the Model.\n"
    assert status(text, "derivatives.right_to_modify") == "conflict"
    assert status(text, "license.redistribution") == "conflict"


@pytest.mark.parametrize("sentence", [
    "The Licensee or the Licensor may terminate this Licence at any time for convenience.",
    "The Licensor and the Licensee may each terminate this Licence at any time for convenience.",
])
def test_two_sides_joined_by_or_and_are_no_one_subject(sentence):
    assert status(HEAD + sentence + "\n", "license.termination") != "conflict"


def test_a_pair_after_a_preposition_does_not_hide_the_subject():
    text = HEAD + "Under the licence between you and the Licensor, the Licensor may terminate it at any time for convenience.\n"
    assert status(text, "license.termination") == "conflict"


def test_recitals_describe_the_parties_and_decide_nothing():
    text = ("RESELLER AGREEMENT\nThis Agreement is between Zentrix Labs Inc. (\"Supplier\") and Orvane Ltd "
            "(\"Reseller\").\nWHEREAS, Orvane markets, sells and distributes software products to retailers; and\n"
            "WHEREAS, Zentrix may terminate its other reseller programmes at any time.\n")
    assert status(text, "license.redistribution") == "missing"
    assert status(text, "license.termination") == "missing"
