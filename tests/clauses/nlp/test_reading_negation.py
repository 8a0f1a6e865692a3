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


# ---- evidence-level reading: negation scope, names, definitions (find_evidence gives subject + negated) ----

DEAL = ('This Services Agreement is between Zentrix Cloud Ltd ("Zentrix" or "Provider") and Orvane Retail plc '
        '("Orvane" or "Customer").\n\n')


def evidence(sentence: str, topic: str, head: str = DEAL) -> list[tuple[str, bool, str | None]]:
    """Return (matched text, negated, subject) for each piece of evidence on `topic` in head + sentence."""
    from clauses.nlp.check import find_evidence

    text = head + sentence + "\n"
    return [(text[e["match_start"]:e["match_end"]], e["negated"], e["subject"])
            for e in find_evidence(text) if e["topic"] == topic]


def test_a_negation_does_not_reach_into_a_coordinated_clause_with_its_own_modal():
    got = evidence("The Provider shall not conceal any records, and shall assist with any audit by the Customer.",
                   "input.audit")
    assert got and all(not neg for _m, neg, _s in got)


def test_a_negation_inside_the_second_coordinated_clause_still_counts():
    sentence = ("Zentrix shall use Customer Data only to serve Orvane and shall not use it to train models for "
                "other customers.")
    got = evidence(sentence, "derivatives.exclusivity")
    assert got and all(neg and subj == "provider" for _m, neg, subj in got)
    assert status(DEAL + sentence + "\n", "derivatives.exclusivity", "sow") == "present"


def test_prohibited_inside_a_policy_name_is_no_negation():
    got = evidence("Subject to the Prohibited Use Policy, Zentrix may log Customer prompts and keep them for "
                   "thirty days.", "input.retention")
    assert got and all(not neg for _m, neg, _s in got)


def test_prohibited_as_a_verb_still_negates():
    got = evidence("Zentrix is prohibited from keeping Customer prompts after the session ends.", "input.retention")
    assert got == [] or all(neg for _m, neg, _s in got)


def test_not_otherwise_keeps_its_negation():
    got = evidence("Orvane may not otherwise alter the Model.", "derivatives.right_to_modify",
                   head='"Licensor" means Zentrix Labs Ltd. "Licensee" means Orvane plc.\n\n')
    assert got and all(neg for _m, neg, _s in got)


def test_or_otherwise_in_a_prohibition_keeps_its_negation():
    text = HEAD + "You shall not copy, sell or otherwise distribute the Model.\n"
    assert status(text, "license.redistribution") == "conflict"


def test_an_exception_opening_a_prohibited_list_item_keeps_the_lead_in_negation():
    text = (HEAD + "The Licensee will not:\n\n(a) rent the Model to anyone;\n\n"
            "(b) except as Schedule 2 allows, redistribute the Model to third parties.\n")
    assert status(text, "license.redistribution") == "conflict"


@pytest.mark.parametrize("sentence", [
    '"Output": means any content the Service returns to the Customer.',
    'The term "Output" means any content the Service returns to the Customer.',
    '"Output" shall have the meaning set out in the Order Form, and the Customer owns it.',
    '(c) The terms "Output" and "Results" mean any content the Service returns to the Customer.',
])
def test_definition_forms_decide_nothing(sentence):
    assert status(DEAL + sentence + "\n", "output.ownership", "hosted_service") == "missing"


@pytest.mark.parametrize(("sentence", "expected"), [
    ('the term "output" means any content the service returns.', True),
    ('"output" shall have the meaning given in the order form.', True),
    ('(c) the terms "output" and "results" mean any content the service returns.', True),
    ('the provider shall mean what it says.', False),
    ('customer owns all "output".', False),
])
def test_definition_sentence_forms(sentence, expected):
    from clauses.nlp.components.polarity import DEFINITION

    assert bool(DEFINITION.match(sentence)) is expected
