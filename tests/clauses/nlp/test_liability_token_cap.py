"""liability.cap: a cap at a token amount is a conflict (topics.md). Documented rule (clauses/nlp/values.py):
fewer than 12 months of fees, or a fixed amount under 10,000 (USD/EUR/GBP) -> token -> conflict; 12 months of fees
or more, or a larger amount -> present. The value names the cap. Our own sentences, written for this test."""
import pytest

from clauses.nlp.check import check_text
from clauses.nlp.values import cap_value

CASES = [
    # token caps -> conflict, with the value
    ("The Supplier's entire liability will not exceed the charges paid by the Client in the single month "
     "before the claim arose, being one (1) month.", "conflict", "1 month of fees"),
    ("The Vendor's aggregate liability shall not exceed the fees paid in the two months preceding the event.",
     "conflict", "2 months of fees"),
    ("In no event shall the Company's total liability exceed US$250.", "conflict", "US$250"),
    ("The Licensor's liability is limited to fifty dollars.", "conflict", "fifty dollars"),
    ("Vendor's cumulative liability shall not exceed the lesser of $500,000 or the amounts paid in the six "
     "months before the claim.", "conflict", "6 months of fees"),
    ("The Supplier's total liability is limited to EUR 2,500.", "conflict", "EUR 2,500"),
    # non-token caps -> present
    ("The Vendor's aggregate liability shall not exceed the fees paid in the twelve (12) months preceding the "
     "event.", "present", "12 months of fees"),
    ("The Supplier's entire liability will not exceed the charges paid in the 24 months before the claim.",
     "present", "24 months of fees"),
    ("In no event shall the Company's total liability exceed US$5,000,000.", "present", "US$5,000,000"),
    ("Vendor's liability shall not exceed the greater of $1,000 or the fees paid in the 12 months before the "
     "claim.", "present", "12 months of fees"),
    ("The Supplier's total liability shall not exceed the amounts paid under this Agreement.", "present", None),
]


@pytest.mark.parametrize("text,expected,value", CASES)
def test_token_cap(text, expected, value):
    row = next(t for t in check_text(text, profile="hosted_service")["topics"] if t["topic"] == "liability.cap")
    assert (row["status"], row["value"]) == (expected, value), row


@pytest.mark.parametrize("sentence,expected", [
    ("not exceed one thousand dollars", ("one thousand dollars", True)),
    ("not exceed 9,999 USD", ("9,999 USD", True)),
    ("not exceed 10,000 USD", ("10,000 USD", False)),
    ("not exceed $2 million", ("$2 million", False)),
    ("not exceed the fees paid in the prior three weeks", ("0.7 months of fees", True)),
    ("not exceed the fees paid in the one (1) year before the claim", ("12 months of fees", False)),
    ("not exceed the fees paid under this Agreement", None),
])
def test_cap_value_rule(sentence, expected):
    assert cap_value(sentence) == expected
