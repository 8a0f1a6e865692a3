"""Who is the provider and who the customer, read from a whole document (clauses/nlp/components/roles.py).

Preambles are invented for these tests (names too): distributor, reseller, consulting, supply and licence
deals as commercial contracts phrase them, plus documents that never name a side.
"""
import pytest

from clauses.nlp.check import check_text
from clauses.nlp.components.roles import CUSTOMER, PROVIDER, find_party_roles
from tests.clauses.nlp.helpers import run_pipes


def roles_of(text: str, *keys: str) -> list:
    roles = find_party_roles(text)
    return [roles.get(k) for k in keys]


@pytest.mark.parametrize(("text", "expected"), [
    # a distributor buys and resells: the other side ("Company") supplies
    ('THIS DISTRIBUTION AGREEMENT is made between Zentrix Robotics, Inc., a Delaware corporation ("Company"), '
     'and Orvane Trading Ltd, an English company ("Distributor").',
     {"company": PROVIDER, "distributor": CUSTOMER, "zentrix": PROVIDER, "orvane": CUSTOMER}),
    # a consultant serves the "Company": the Company is the customer here
    ('This Consulting Agreement is entered into by and between Halvard Foods, Inc. ("Company") and '
     'Kestrel AI LLC ("Consultant").',
     {"company": CUSTOMER, "consultant": PROVIDER, "halvard": CUSTOMER, "kestrel": PROVIDER}),
    # all-caps name with GmbH; the reseller is the customer
    ('RESELLER AGREEMENT between KESTREL SYSTEMS GMBH ("Kestrel") and Brindle Partners plc (the "Reseller").',
     {"kestrel": PROVIDER, "reseller": CUSTOMER, "brindle": CUSTOMER}),
    ('This Supply Agreement is between Orvane Ltd ("Customer") and Zentrix AG ("Supplier").',
     {"orvane": CUSTOMER, "zentrix": PROVIDER, "customer": CUSTOMER, "supplier": PROVIDER}),
    # hereinafter referred to as; a multi-word role term is read by its role word
    ('This Agreement is made by and between Marlow Analytics Inc., a Nevada corporation (hereinafter referred to '
     'as "Service Provider") and Teague Retail Co. (hereinafter referred to as "Client").',
     {"provider": PROVIDER, "client": CUSTOMER, "marlow": PROVIDER, "teague": CUSTOMER}),
    ('PELLOR COMPONENTS CORP., a Texas corporation ("Pellor"), and Vantry Medical Ltd. ("Purchaser") agree '
     'as follows, this agreement being between them.',
     {"pellor": PROVIDER, "purchaser": CUSTOMER}),
    # a developer licensing software to a distributor
    ('EXCLUSIVE DISTRIBUTOR AGREEMENT dated 3 May 2021 by and between Solvik Software Inc. (hereinafter '
     '"Developer") and Tarn Pte Ltd, a Singapore company (hereinafter "Distributor").',
     {"developer": PROVIDER, "distributor": CUSTOMER, "solvik": PROVIDER, "tarn": CUSTOMER}),
    ('This Licence is between Yarrow Health Inc. ("Licensee") and Zentrix Labs Ltd ("Licensor").',
     {"yarrow": CUSTOMER, "zentrix": PROVIDER}),
    ('This Hosting Agreement is between Zentrix Cloud Inc. (the "Company") and Orvane plc (the "Customer").',
     {"company": PROVIDER, "zentrix": PROVIDER, "orvane": CUSTOMER}),
])
def test_preamble_parties_get_their_roles(text, expected):
    roles = find_party_roles(text)
    assert {k: roles.get(k) for k in expected} == expected


def test_service_provider_does_not_make_every_service_a_party():
    text = ('This Agreement is between Marlow Analytics Inc. ("Service Provider") and Teague Retail Co. '
            '("Client").')
    assert find_party_roles(text).get("service") is None


def test_state_of_incorporation_is_not_a_party_name():
    text = ('This Agreement is between Zentrix Robotics, a Delaware corporation ("Supplier"), and Orvane Ltd '
            '("Customer").')
    roles = find_party_roles(text)
    assert roles.get("delaware") is None and roles["zentrix"] == PROVIDER


def test_party_granting_the_licence_is_the_provider_when_no_term_says():
    text = ('This Licence Agreement is between Quillon Media plc ("Quillon") and Darrow Studios, Inc. ("Darrow").\n'
            '2. Grant. Quillon hereby grants to Darrow a non-exclusive licence to use the Model.\n'
            '3. Fees. Darrow shall pay Quillon the fees in Schedule 1.')
    assert roles_of(text, "quillon", "darrow") == [PROVIDER, CUSTOMER]


def test_party_providing_the_services_is_the_provider_when_no_term_says():
    text = ('This Agreement is between Brightwell Bank plc ("Brightwell") and Ferro Data Ltd ("Ferro").\n'
            'Ferro shall provide the Services described in the Statement of Work.\n'
            'Ferro will perform the Services with due care. Brightwell shall pay the invoices within 30 days.')
    assert roles_of(text, "ferro", "brightwell") == [PROVIDER, CUSTOMER]


def test_no_side_is_guessed_when_the_document_never_says():
    text = ('This Cooperation Agreement is between Alder Works Inc. ("Alder") and Birch Studio LLC ("Birch").\n'
            'Alder will attend the meetings. Birch may attend the meetings. Alder shall keep minutes. '
            'Alder may publish the minutes.')
    assert roles_of(text, "alder", "birch") == [None, None]


def test_a_frequent_actor_does_not_override_the_preamble():
    text = ('DISTRIBUTOR AGREEMENT between Orvane Devices Corp. ("Vendor") and Halvard Supplies Ltd '
            '("Distributor").\nDistributor shall market the Products. Distributor will keep records. '
            'Distributor may appoint agents. Distributor shall not sell outside the Territory.')
    assert roles_of(text, "distributor", "vendor", "orvane", "halvard") == [CUSTOMER, PROVIDER, PROVIDER, CUSTOMER]


def test_online_terms_still_find_the_provider_by_its_actions():
    text = ("Zentrix will host the Service. Zentrix may change the Service. Zentrix will notify Customer. "
            "Zentrix may suspend access at any time.")
    assert find_party_roles(text)["zentrix"] == PROVIDER


def status(text: str, topic: str, profile: str = "sow") -> str:
    report = check_text(text, name="t.txt", profile=profile)
    return next(t["status"] for t in report["topics"] if t["topic"] == topic)


CONSULTING = ('CONSULTING AGREEMENT\nThis Consulting Agreement is made between Halvard Foods, Inc. ("Company") and '
              'Kestrel AI LLC ("Consultant").\n')


def test_company_owning_the_consultants_modifications_is_the_customer_owning_them():
    text = CONSULTING + "5. Company shall own all modifications and improvements made under this Agreement.\n"
    assert status(text, "derivatives.ownership") == "present"


def test_consultant_retaining_modifications_is_the_provider_retaining_them():
    text = CONSULTING + "5. Consultant retains all modifications and improvements made under this Agreement.\n"
    assert status(text, "derivatives.ownership") == "conflict"


def test_distributor_suspending_is_not_the_provider_suspending():
    text = ('DISTRIBUTION AGREEMENT\nThis Agreement is between Zentrix Robotics, Inc. ("Company") and Orvane '
            'Trading Ltd ("Distributor").\n'
            '7. Distributor may suspend its orders at any time.\n')
    assert status(text, "license.termination", "hosted_service") == "missing"


def test_ordinary_words_of_a_company_name_are_not_party_names():
    text = ('This Agreement is between Global Software Partners Inc. ("Supplier") and Orvane Ltd ("Customer").\n'
            'The Software is licensed per seat.')
    roles = find_party_roles(text)
    assert roles.get("global") is None and roles.get("software") is None and roles["orvane"] == CUSTOMER


def test_a_preamble_repeated_on_a_cover_page_still_has_two_parties():
    preamble = 'This Exhibit is between Zentrix Labs, Inc. ("Zentrix") and Teague Retail Co. ("Customer").\n'
    assert find_party_roles(preamble + "1. Scope.\n" + preamble)["zentrix"] == PROVIDER


def _sentence(text: str, roles: dict):
    sent = next(iter(run_pipes(text, roles).sents))
    return sent, {t.lemma_ for t in sent} | {t.lower_ for t in sent}, sent.text.lower()


def _rule(**extra):
    from clauses.nlp.rules import parse_rule

    obj = {"id": "t.ctx", "topic": "derivatives.ownership", "polarity": "unfavourable", "phrase": "retains"}
    obj.update(extra)
    return parse_rule(obj, "t.jsonl:1")


@pytest.mark.parametrize(("text", "entry", "expected"), [
    ("Zentrix retains all modifications made for Orvane.", "@customer", True),
    ("Zentrix retains all modifications made for Orvane.", "@provider", True),
    ("Zentrix retains all modifications it makes.", "@customer", False),
    ("Zentrix retains all modifications made for your team.", "@customer", True),
])
def test_context_role_entries_match_any_mention_of_that_party(text, entry, expected):
    from clauses.nlp.components.polarity import context_ok

    roles = find_party_roles('This Agreement is between Zentrix Labs Ltd ("Supplier") and Orvane plc ("Orvane").')
    sent, lemmas, low = _sentence(text, roles)
    assert context_ok(_rule(context_any=[entry]), sent, lemmas, low) is expected
    assert context_ok(_rule(context_none=[entry]), sent, lemmas, low) is (not expected)


def test_unknown_role_entry_is_a_rule_file_error():
    from clauses.nlp.rules import RuleFileError

    with pytest.raises(RuleFileError, match=r"t.jsonl:1: context_any: unknown role entry '@vendor'"):
        _rule(context_any=["@vendor"])


DEAL = ('This Services Agreement is between Zentrix Cloud Ltd ("Zentrix" or "Provider") and Orvane Retail plc '
        '("Orvane" or "Customer").\n\n')


def subjects(sentence: str, topic: str, head: str = DEAL) -> list[str | None]:
    """Return the subject role of each piece of evidence on `topic` in head + sentence."""
    from clauses.nlp.check import find_evidence

    return [e["subject"] for e in find_evidence(head + sentence + "\n") if e["topic"] == topic]


@pytest.mark.parametrize("sentence", [
    "The Provider shall give the Customer written notice of any security breach within 48 hours.",
    "Zentrix will send Orvane written notice of any security breach within two days.",
])
def test_a_party_right_after_the_verb_is_its_object_not_its_subject(sentence):
    got = subjects(sentence, "input.breach_notification")
    assert got and set(got) == {PROVIDER}


@pytest.mark.parametrize(("sentence", "role"), [
    ("Orvane's total liability under this Agreement shall not exceed the fees it paid.", CUSTOMER),
    ("The Provider's aggregate liability shall not exceed the fees paid in the prior twelve months.", PROVIDER),
    ("Zentrix’s entire liability is limited to the fees paid.", PROVIDER),
])
def test_a_possessive_before_the_match_gives_its_subject(sentence, role):
    got = subjects(sentence, "liability.cap")
    assert got and set(got) == {role}


@pytest.mark.parametrize("word", ["Users", "End Users", "Authorized Users"])
def test_users_act_on_the_customer_side(word):
    head = 'This Agreement is between Zentrix Cloud Ltd ("Provider") and Orvane Retail plc ("Customer").\n\n'
    sentence = f"{word} may use Outputs to train their own models."
    assert find_party_roles(head)["users"] == CUSTOMER
    assert set(subjects(sentence, "input.no_training", head)) <= {CUSTOMER}
    assert status(head + sentence + "\n", "input.no_training", "hosted_service") == "missing"


def test_users_defined_as_the_providers_staff_stay_on_that_side():
    text = ('This Agreement is between Zentrix Cloud Ltd ("Provider") and Orvane Retail plc ("Customer").\n'
            '"Users" means the employees of the Provider who operate the Service.\n')
    assert find_party_roles(text)["users"] == PROVIDER


def test_a_possessive_after_a_preposition_names_no_actor():
    text = DEAL + "Subject to Zentrix's ownership of the base model, Orvane owns all fine-tuned weights it creates.\n"
    assert status(text, "derivatives.ownership") == "present"
