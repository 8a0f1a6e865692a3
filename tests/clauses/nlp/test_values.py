"""Values: jurisdictions, durations, thresholds; licence identification; profile detection."""
import pytest

from clauses.nlp.licenses import identify_license
from clauses.nlp.profiles import detect_profile
from clauses.nlp.values import durations, jurisdictions, normalise_jurisdictions, thresholds


@pytest.mark.parametrize(("sentence", "names"), [
    ("This Agreement is governed by the laws of the State of California.", ["California"]),
    ("These terms are governed by the laws of England and Wales.", ["England and Wales"]),
    ("Governed by the laws of Ireland for EEA customers and of New York otherwise.", ["Ireland", "New York"]),
    ("This licence is construed under the laws of the People's Republic of China.", ["China"]),
    ("Customer is located in France.", []),
])
def test_jurisdictions(sentence, names):
    assert [j["name"] for j in jurisdictions(sentence)] == names


def test_jurisdiction_normalisation_ignores_wording_and_federal_law():
    assert normalise_jurisdictions("the State of California") == normalise_jurisdictions("California law")
    assert normalise_jurisdictions("United States and the State of California") == frozenset({"California"})
    assert normalise_jurisdictions("PRC") == frozenset({"China"})


@pytest.mark.parametrize(("text", "days"), [
    ("within thirty (30) days", 30), ("within 60 days", 60), ("no later than 72 hours", 3), ("two weeks", 14),
    ("within ten business days", 14), ("fourteen days after posting", 14), ("3 months", 90),
])
def test_durations_normalise_to_days(text, days):
    assert durations(text)[0]["days"] == pytest.approx(days)


def test_durations_keep_offsets():
    text = "Notice is given within 48 hours of discovery."
    d = durations(text)[0]
    assert text[d["start"]:d["end"]] == "48 hours" and d["hours"] == 48


@pytest.mark.parametrize(("text", "value"), [
    ("more than 250 million monthly active users in the preceding month", "250 million monthly active users"),
    ("if your annual revenue exceeds $2 million", "annual revenue exceeds $2 million"),
    ("entities with USD $3,000,000 in annual revenue", "USD $3,000,000 in annual revenue"),
])
def test_thresholds(text, value):
    assert thresholds(text)[0]["text"] == value


@pytest.mark.parametrize(("text", "lid", "osi"), [
    ("Apache License\nVersion 2.0, January 2004\nTERMS AND CONDITIONS", "apache-2.0", True),
    ("MIT License\n\nPermission is hereby granted, free of charge, to any person ... without restriction", "mit", True),
    ("LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\nRelease date", "llama-3.1", False),
    ("Llama 2 Community License Agreement", "llama-2", False),
    ("Gemma Terms of Use\nLast modified", "gemma", False),
    ("Tongyi Qianwen LICENSE AGREEMENT", "qwen", False),
    ("DEEPSEEK LICENSE AGREEMENT Version 1.0", "deepseek", False),
    ("CreativeML Open RAIL-M\ndated August 22, 2022", "creativeml-openrail-m", False),
    ("STABILITY AI COMMUNITY LICENSE AGREEMENT", "stability-ai-community", False),
    ("NVIDIA Open Model License Agreement", "nvidia-open-model", False),
    ("Mistral AI Research License", "mistral-research", False),
])
def test_license_identification(text, lid, osi):
    got = identify_license(text)
    assert got["id"] == lid and got["osi_approved"] is osi and got["name"]


def test_unknown_document_has_no_license():
    assert identify_license("Master Services Agreement between two companies.") is None


@pytest.mark.parametrize(("text", "profile"), [
    ("Data Processing Addendum\n\nProvider acts as Processor for the Controller. Sub-processors are listed. "
     "Data subjects may exercise rights.", "dpa"),
    ("Statement of Work\n\nDeliverables: a fine-tuned model. Milestones and acceptance criteria apply.", "sow"),
    ("Model License Agreement\n\nLicensee may use the model weights and distribute derivatives. Licensee must keep "
     "the copyright notice.", "model_license"),
    ("Terms of Service\n\nCustomer may access the API. Fees are due monthly. Customer Content stays Customer's.",
     "hosted_service"),
])
def test_profile_detection(text, profile):
    assert detect_profile(text) == profile
