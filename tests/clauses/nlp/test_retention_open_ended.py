"""input.retention: open-ended retention ("as long as it deems necessary", "for its own purposes", "without limit",
"indefinitely") is indefinite retention -> conflict (topics.md), also when another sentence states a short
deletion period (favourable and unfavourable language both -> conflict). A stated upper bound keeps the topic
present; a retention duty bound only to the law is not a conflict. Our own sentences, written for this test."""
import pytest

from clauses.nlp.check import check_text

CASES = [
    # open-ended at the provider's choice -> conflict
    ("The Vendor may keep Client Data for as long as it deems appropriate.", "conflict"),
    ("Supplier shall store customer inputs for as long as it considers necessary for its own purposes.", "conflict"),
    ("We retain your prompts as long as needed for our business purposes and at our sole discretion, "
     "which the Company sees fit.", "conflict"),
    ("The Company may retain uploaded files for as long as required for its internal purposes.", "conflict"),
    ("The Processor keeps customer data indefinitely.", "conflict"),
    ("The Vendor may store Customer Inputs without any time limit.", "conflict"),
    # open-ended plus a 30-day deletion elsewhere -> still conflict
    ("The Vendor may keep Client Data for as long as it deems appropriate.\n\n"
     "The Vendor erases Client Data within 20 days after the agreement ends.", "conflict"),
    # bounded -> present
    ("The Vendor keeps Client Data only as long as needed to perform the Services and in any event no longer "
     "than 25 days.", "present"),
    ("Supplier will store customer inputs for as long as necessary to deliver the service, not to exceed 10 days.",
     "present"),
    ("The Vendor erases Client Data within 20 days after the agreement ends.", "present"),
    # bound only to the law -> not a conflict
    ("The Vendor keeps Client Data for as long as the applicable law requires.", "missing"),
    ("Supplier will retain customer data only as required by applicable law.", "missing"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_open_ended_retention(text, expected):
    report = check_text(text, profile="hosted_service")
    row = next(t for t in report["topics"] if t["topic"] == "input.retention")
    assert row["status"] == expected, row


def test_open_ended_retention_evidence_quotes_the_open_ended_sentence():
    text = ("The Vendor erases Client Data within 20 days after the agreement ends.\n\n"
            "The Vendor may keep Client Data for as long as it deems appropriate.")
    row = next(t for t in check_text(text, profile="hosted_service")["topics"] if t["topic"] == "input.retention")
    assert row["status"] == "conflict"
    assert row["evidence"][0]["quote"].startswith("The Vendor may keep Client Data for as long as")
