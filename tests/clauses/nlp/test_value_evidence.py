"""A topic decided by its value quotes the sentences that state the value, not every mention of the subject.

A new user's trial found "The Provider shall keep Customer Data confidential ..." and "Customer Data will be
stored ... in the European Union" quoted (as favourable!) for a retention conflict decided by "365 days",
and the quotes went into the letter to the vendor.
"""
import pytest

from clauses.nlp.check import check_text

MENTIONS = ("2.3 The Provider shall keep Customer Data confidential and shall not disclose it to any third party.\n"
            "2.4 Customer Data will be stored and processed only in the European Union.\n"
            "2.5 The Provider shall notify the Customer of changes to its subprocessors.\n")


def row(text: str, topic: str) -> dict:
    return next(t for t in check_text(text, profile="hosted_service")["topics"] if t["topic"] == topic)


@pytest.mark.parametrize(("sentence", "topic", "status", "value"), [
    ("2.2 The Provider will retain Customer Data for 365 days after termination.", "input.retention", "conflict",
     "365 days"),
    ("2.2 The Provider deletes Customer Data within 14 days after termination.", "input.retention", "present",
     "14 days"),
    ("2.2 The Provider will notify the Customer of a Security Incident within 10 days.", "input.breach_notification",
     "conflict", "10 days"),
    ("2.2 The Provider may change its prices on 7 days' notice.", "continuity.price_changes", "conflict", "7 days"),
])
def test_only_the_sentence_with_the_value_is_quoted(sentence, topic, status, value):
    text = f"2. Customer Data\n{sentence}\n{MENTIONS}"
    r = row(text, topic)
    assert (r["status"], r["value"]) == (status, value)
    assert [e["quote"] for e in r["evidence"]] == [sentence]
    want = "unfavourable" if status == "conflict" else "favourable"
    assert [e["polarity"] for e in r["evidence"]] == [want]


def test_unfavourable_wording_without_a_value_is_still_quoted_beside_the_value():
    text = ("The Provider retains Customer Data for 20 days after termination.\n"
            "The Provider may retain Customer Data for as long as it considers necessary for its business.\n" + MENTIONS)
    r = row(text, "input.retention")
    assert r["status"] == "conflict"
    assert {e["quote"] for e in r["evidence"]} == {
        "The Provider retains Customer Data for 20 days after termination.",
        "The Provider may retain Customer Data for as long as it considers necessary for its business."}


@pytest.mark.parametrize("sentence", [
    "(c) for personal information under state privacy statutes, Zentrix will (ii) not keep, share or sell "
    "Customer Data except as required to run the hosted service for Orvane.",
    "The Provider will not store prompts other than as needed to provide the Services.",
    "The Provider shall not keep Customer Data unless the Customer asks it to.",
])
def test_a_purpose_limit_is_not_zero_retention(sentence):
    r = row(sentence, "input.retention")
    assert r["value"] != "0 days" and r["status"] != "present"


def test_zero_retention_still_reads_zero_days():
    r = row("The Provider does not store or log Customer prompts.", "input.retention")
    assert (r["status"], r["value"]) == ("present", "0 days")
