"""Values read in the forms contracts write them: number words with numerals in brackets, business / calendar
days, "hrs", months, "days' notice"; governing law vs forum; open-ended retention reads "indefinite".
Playbook defaults: retention 30 days, breach notice 72 hours, price-change notice 90 days. Our own sentences."""
import pytest

from clauses.nlp.check import check_text
from clauses.nlp.values import durations, jurisdictions, normalise_jurisdictions, thresholds, word_number


def row(text: str, topic: str, profile: str = "hosted_service") -> dict:
    return next(t for t in check_text(text, profile=profile)["topics"] if t["topic"] == topic)


@pytest.mark.parametrize(("text", "hours"), [
    ("seventy-two (72) hours", 72),
    ("3 business days", 3 * 24 * 7 / 5),
    ("within one month", 30 * 24),
    ("no later than 48 hrs", 48),
    ("within 1 hr", 1),
    ("within an hour", 1),
    ("thirty (30) calendar days", 30 * 24),
    ("90 days' prior written notice", 90 * 24),
    ("sixty (60) days’ notice", 60 * 24),
    ("one hundred twenty (120) days", 120 * 24),
    ("one hundred and eighty days", 180 * 24),
    ("a 72-hour window", 72),
    ("twenty-four (24) hours", 24),
    ("five (5) working days", 5 * 24 * 7 / 5),
])
def test_duration_forms(text, hours):
    assert durations(text)[0]["hours"] == pytest.approx(hours)


@pytest.mark.parametrize(("words", "n"), [("seventy-two", 72), ("an", 1), ("two hundred", 200),
                                           ("one hundred and five", 105), ("hundred", 100), ("thirty", 30)])
def test_word_numbers(words, n):
    assert word_number(words) == n


@pytest.mark.parametrize(("sentence", "found"), [
    ("This Agreement is governed by the laws of England and Wales.", [("England and Wales", "law")]),
    ("This Agreement shall be governed by the laws of the State of New York, without regard to its conflict of "
     "laws principles.", [("New York", "law")]),
    ("The courts of Ireland have exclusive jurisdiction over any dispute.", [("Ireland", "forum")]),
    ("The laws of England and Wales govern these terms and the courts of Ireland hear any dispute.",
     [("England and Wales", "law"), ("Ireland", "forum")]),
    ("Disputes go to the courts of Ireland and are decided under the laws of Ireland.", [("Ireland", "law")]),
    ("Delaware courts hear disputes, and Texas law governs.", [("Delaware", "forum"), ("Texas", "law")]),
    ("These terms are governed by English law and the Irish courts have jurisdiction.",
     [("England and Wales", "law"), ("Ireland", "forum")]),
    ("Kestrel AI is a company registered in Germany.", []),
    ("This Agreement is made in the State of Oregon and is governed by the laws thereof.", [("Oregon", "law")]),
    ("Users outside Canada must follow all local laws that govern their use.", []),
    # justified spacing from extracted text
    ("This Agreement is governed by the  laws  of  the  State  of  New  York.", [("New York", "law")]),
])
def test_jurisdiction_roles(sentence, found):
    assert [(j["name"], j["role"]) for j in jurisdictions(sentence)] == found


@pytest.mark.parametrize(("text", "status", "value"), [
    ("This Agreement is governed by the laws of England and Wales.", "present", "England and Wales"),
    ("This Agreement shall be governed by the laws of the State of New York, without regard to its conflict of "
     "laws principles.", "present", "New York"),
    # forum only: the forum is the value (topics.md: "governing law / venue stated")
    ("The courts of Ireland shall have exclusive jurisdiction over any dispute arising under this Agreement.",
     "present", "Ireland"),
    # law and forum: the law is the value
    ("This Agreement is governed by the laws of England and Wales and the courts of Ireland have exclusive "
     "jurisdiction.", "present", "England and Wales"),
    ("Each party submits to the exclusive jurisdiction of the courts of Ireland.\n\n"
     "Halvard Systems GmbH and the Customer agree that German law governs this Agreement.", "present", "Germany"),
    ("Any dispute will be heard in a court of competent jurisdiction.", "missing", None),
    # a province with its country reads as the province
    ("This Agreement is governed by the laws of the Province of Ontario and the federal laws of Canada applicable "
     "therein.", "present", "Ontario"),
    # "subject to the laws of" about something other than the agreement is not a choice of law
    ("Halvard, a corporation subject to the laws of the United States, must follow export rules." + "\n\n" +
     "This Agreement is subject to the laws of Sweden.", "present", "Sweden"),
    ("Halvard, a corporation subject to the laws of the United States, must follow export rules.", "missing", None),
])

def test_governing_law_value(text, status, value):
    r = row(text, "compliance.governing_law")
    assert (r["status"], r["value"]) == (status, value)


def test_value_comparison_reads_a_province_with_its_country_as_the_province():
    assert normalise_jurisdictions("Ontario, Canada") == normalise_jurisdictions("Ontario") == frozenset({"Ontario"})
    assert normalise_jurisdictions("England and Wales; United Kingdom") == frozenset({"England and Wales"})


@pytest.mark.parametrize(("text", "status", "value"), [
    ("The Vendor may keep Client Data for as long as it deems necessary.", "conflict", "indefinite"),
    ("Orvane retains uploaded prompts indefinitely.", "conflict", "indefinite"),
    ("The Supplier may store customer inputs without limit.", "conflict", "indefinite"),
    ("The Vendor may keep Client Data for as long as it deems necessary.\n\n"
     "The Vendor deletes Client Data within 10 days after termination.", "conflict", "indefinite"),
    ("The Supplier deletes Customer Data within thirty (30) calendar days after termination.", "present",
     "thirty (30) calendar days"),
    ("The Supplier deletes Customer Data within one month after termination.", "present", "one month"),
    ("The Supplier deletes Customer Data within sixty (60) days after termination.", "conflict", "sixty (60) days"),
    # the length of a term in the same sentence is not the retention period
    ("Throughout the initial term of 24 months, the Supplier deletes Customer Data within 20 days of a request.",
     "present", "20 days"),
    ("For a subscription term of one year the Supplier keeps Customer Data no longer than 10 days.", "present",
     "10 days"),
    # zero retention
    ("Kestrel does not store or log customer prompts.", "present", "0 days"),
])
def test_retention_value(text, status, value):
    r = row(text, "input.retention")
    assert (r["status"], r["value"]) == (status, value)


@pytest.mark.parametrize(("text", "status", "value"), [
    ("The Supplier will notify the Customer of a Security Incident within seventy-two (72) hours.", "present",
     "seventy-two (72) hours"),
    ("The Supplier will notify the Customer of a Security Incident no later than 48 hrs after discovery.",
     "present", "48 hrs"),
    ("The Supplier will notify the Customer of a Security Incident within one month.", "conflict", "one month"),
    ("The Supplier will notify the Customer of a Security Incident within five (5) business days.", "conflict",
     "five (5) business days"),
    # a follow-up report's deadline is not the notice period
    ("The Supplier will notify the Customer of a Security Incident within 24 hours and deliver a root-cause "
     "report within 15 days.", "present", "24 hours"),
])
def test_breach_notice_value(text, status, value):
    r = row(text, "input.breach_notification")
    assert (r["status"], r["value"]) == (status, value)


@pytest.mark.parametrize(("text", "status", "value"), [
    ("The Provider may change its fees upon 90 days' prior written notice to the Customer.", "present", "90 days"),
    ("The Provider may increase the fees on thirty (30) days' notice.", "conflict", "thirty (30) days"),
    ("The Provider may adjust its prices by giving the Customer one hundred twenty (120) days' notice.",
     "present", "one hundred twenty (120) days"),
    ("The Provider may revise the fees with three (3) months' written notice.", "present", "three (3) months"),
    # the notice period, not the payment term in the same sentence
    ("We may change our prices by giving you at least 90 days' notice; payments are due within 10 days of invoice.",
     "present", "90 days"),
    ("Kestrel may notify the Customer of a price increase at least 60 days before it takes effect, and fees are "
     "payable within 30 days.", "conflict", "60 days"),
])
def test_price_notice_value(text, status, value):
    r = row(text, "continuity.price_changes")
    assert (r["status"], r["value"]) == (status, value)


@pytest.mark.parametrize(("text", "value"), [
    ("If the monthly active users of the Licensee's apps exceed 100 million, a separate licence is needed.",
     "100 million monthly active users"),
    ("A fee applies once daily active users are above 5,000,000.", "5,000,000 daily active users"),
    ("Where the monthly active users reach 2.5 million, Kestrel may charge a fee.", "2.5 million monthly active users"),
    ("Services with more than 700 million monthly active users need a separate licence.",
     "700 million monthly active users"),
    ("Deployments with more than 500 named users require a site licence.", "more than 500 named users"),
    ("A fee applies to organisations with over 1,000 seats.", "over 1,000 seats"),
])
def test_user_threshold_forms(text, value):
    assert [t["text"] for t in thresholds(text)] == [value]
