"""Table-driven sentences for the licence and model-security topics (our own wording, never corpus text).

Each case: (topic, text, expected status). License topics are checked with the model_license profile,
security topics with hosted_service (the profiles where they are required or optional, spec/topics.md).
Cases cover favourable and contradicting phrasings (synonyms, passives, list items, parties named in a
definition and then acting by name) and near-misses that must stay `missing` (the other party's duty,
definitions, headings, mutual clauses, unrelated negations). Company names are invented.
"""
import pytest

from clauses.nlp.check import check_text

ZENTRIX = 'This Agreement is between Zentrix Labs Ltd ("Zentrix" or "Provider") and the Customer. '
HALVARD = 'Halvard Systems Inc. ("Halvard", "we", "us") licenses the Model to you. '

USER_CAP = [
    ("The licence is granted without any cap on the number of users or on usage volume.", "present"),
    ("There are no usage caps under this Agreement.", "present"),
    ("Licensee may deploy the Model for an unlimited number of end users.", "present"),
    (ZENTRIX + "Zentrix grants the Customer the right to use the Software with no limit on the number of users.",
     "present"),
    ("(a) no user limit applies to the Customer's deployment of the Model;", "present"),
    ("If the monthly active users of your products exceed 100 million, you must request a separate licence from us.",
     "conflict"),
    ("Entities with annual gross revenue above USD 10 million must obtain a commercial licence.", "conflict"),
    ("A separate licence must be obtained once the Licensee's annual revenue exceeds $1 million.", "conflict"),
    ("Deployments serving more than 2 million daily active users require the Licensor's written consent.", "conflict"),
    ("There is no usage cap for research use. Commercial products with more than 1 million weekly active users "
     "need a separate licence.", "conflict"),
    ("An additional fee applies for each user above 500 users.", "conflict"),
    ("Use of the Software by more than 250 users requires an enterprise licence.", "conflict"),
    ("The Customer shall pay fees of $5,000 per month.", "missing"),
    ('"Monthly Active Users" means the number of unique accounts that sign in during a calendar month.', "missing"),
    ("Royalties are five percent of net revenue from the Product.", "missing"),
    ("User Limits", "missing"),
    ("Each party shall bear its own taxes on its revenue.", "missing"),
    ("After the takeover, the franchisor is entitled to use gross revenues above $1 million to run the unit.",
     "missing"),
    ("The sponsor receives unlimited use of the photographs in its advertising.", "missing"),
    ("The plan includes unlimited calls and voicemail.", "missing"),
    ("The royalty rate rises to 4% once cumulative revenue exceeds $200 million.", "missing"),
    ("Each party's liability is capped at the revenues it received in the prior year, not exceeding $2 million.",
     "missing"),
]

ACCEPTABLE_USE = [
    ("No acceptable use policy applies to the Customer's use of the Service.", "present"),
    ("The Customer is not bound by any usage policy of the Provider.", "present"),
    ("The use restrictions in Schedule 2 are exhaustive and may be changed only by a written amendment signed by "
     "both parties.", "present"),
    ("Customer shall comply with the Provider's Acceptable Use Policy at https://kestrel.example/aup.", "conflict"),
    ("Your use of the Services is subject to our Usage Policies, which are incorporated into these Terms by "
     "reference.", "conflict"),
    ("The Supplier may update its acceptable use policy from time to time.", "conflict"),
    ("(c) use the Model in line with the Prohibited Use Policy, as amended from time to time;", "conflict"),
    (ZENTRIX + "Zentrix may modify the AUP at any time by posting a new version.", "conflict"),
    ("The restrictions below are fixed for the Term. Customer must also follow the acceptable use policy posted on "
     "our website, as updated by us.", "conflict"),
    ("Licensee agrees to abide by the then-current use policy published by Halvard.", "conflict"),
    ("Please read our Privacy Policy at https://example.com/privacy.", "missing"),
    ("Acceptable Use Policy", "missing"),
    ('"Acceptable Use Policy" means the policy described in Exhibit C.', "missing"),
    ("The Customer shall use the equipment in accordance with the Provider's safety guidelines.", "missing"),
    ("We may update the Documentation from time to time.", "missing"),
]

ATTRIBUTION = [
    ("You must retain all copyright notices in any copy of the Model you distribute.", "present"),
    ("Licensee shall reproduce the attribution notices contained in the NOTICE file.", "present"),
    ("Redistributions must include a copy of this License.", "present"),
    ("The Customer is not required to display any attribution or branding of the Provider.", "present"),
    ("No attribution to the Licensor is required in the Customer's products.", "present"),
    ("(b) keep intact all copyright and permission notices;", "present"),
    ('You must prominently display "Built with Halvard" on a related website or user interface.', "conflict"),
    ('Any AI model created from the Materials must include "Kestrel" at the beginning of its name.', "conflict"),
    ("The Customer shall display the Provider's logo on every screen of the Customer Application.", "conflict"),
    ("Licensee agrees to attribute the Model to the Licensor in all public materials about its product.", "conflict"),
    ('All user interfaces that expose Outputs shall carry a "Powered by Orvane" label.', "conflict"),
    ('You must retain the copyright notices. You must also prominently display "Powered by Zentrix" in your app.',
     "conflict"),
    ("The Provider shall display the Customer's name on its website only with the Customer's consent.", "missing"),
    ("Copyright Notices", "missing"),
    ("The Service displays outputs in a chat window.", "missing"),
    ("The integration was built with open-source tools and is described in the documentation.", "missing"),
    ("The Provider will build the connector together with the Customer's engineers.", "missing"),
    ("The Reseller is responsible for the hosting and display of the co-branded link.", "missing"),
    ("We are not obligated to spend the brand fund in any particular market.", "missing"),
    ("The Reseller may use the name, image and other attributes of the athlete in its advertising.", "missing"),
]

REDISTRIBUTION = [
    ("You may reproduce and distribute copies of the Model and derivatives thereof in any medium.", "present"),
    ("Licensee may redistribute the Model weights, with or without modification, if the licence notices are kept.",
     "present"),
    (ZENTRIX + "Zentrix grants the Customer the right to sublicense and distribute the Software to its end users.",
     "present"),
    ("Copies of the Model may be distributed by the Licensee to third parties.", "present"),
    ("You may: (a) use the Model; (b) distribute the Model and any Derivatives in source or object form.", "present"),
    ("You may not distribute the Model.", "conflict"),
    ("Licensee shall not sublicense, sell, or redistribute the Software.", "conflict"),
    ("The Model may be distributed solely for non-commercial research purposes.", "conflict"),
    ("The Customer shall not offer the Model to third parties as a hosted or managed service.", "conflict"),
    ("Redistribution of the Model weights is prohibited.", "conflict"),
    ("You may distribute the Model to your Affiliates. You may not distribute the Model to any other third party.",
     "conflict"),
    ("The Licensee may not transfer or sublicense its rights in the Software.", "conflict"),
    (HALVARD + "Halvard may distribute updates to the Model at its discretion.", "missing"),
    ('"Distribution" means making copies of the Model available to third parties.', "missing"),
    ("Distribution", "missing"),
    ("The Customer may not disclose Confidential Information to any third party.", "missing"),
    ("Neither party shall unreasonably withhold its consent to a sublicense of the Software.", "missing"),
    ("Personal data will not be distributed to third parties.", "missing"),
    ("Goods distributed under this Agreement are shipped by the Supplier.", "missing"),
    ("The Provider's hosting of the Service does not constitute a distribution of the Customer's software.",
     "missing"),
    ("The Customer is not eligible for a service credit until the month after the hosting service starts.",
     "missing"),
    ("The Carrier shall not use the Reseller's data for anything other than providing the hosting services.",
     "missing"),
]

TERMINATION = [
    ("This licence is perpetual and irrevocable.", "present"),
    ("Subject to these terms, the Licensor grants you a worldwide, non-exclusive, irrevocable licence to use the "
     "Model.", "present"),
    ("The Licensor may terminate this licence only if the Licensee commits a material breach that remains uncured "
     "30 days after written notice.", "present"),
    ("(a) the licence in Section 2 is perpetual, subject only to termination for uncured material breach;", "present"),
    ("We may terminate this licence at any time.", "conflict"),
    ("The Provider may suspend or terminate the Customer's access to the Service at its sole discretion.", "conflict"),
    (ZENTRIX + "Zentrix reserves the right to terminate this Agreement for any reason or no reason upon notice.",
     "conflict"),
    ("If you commence litigation alleging that the Model infringes a patent, all licences granted to you under "
     "this Agreement terminate as of the date the litigation is filed.", "conflict"),
    ("The Licensor may revoke the licence without cause.", "conflict"),
    ("This licence is revocable by the Licensor at any time.", "conflict"),
    ("The licence is perpetual. However, the Licensor may terminate it at any time for convenience.", "conflict"),
    ("Access to the Service may be suspended by the Provider without notice.", "conflict"),
    ("The Provider may terminate this Agreement without cause upon thirty days' notice.", "conflict"),
    (HALVARD + "Halvard may terminate this Agreement if you are in breach of any of its terms.", "conflict"),
    ("We may suspend your account if we reasonably believe that your use poses a risk to the Service.", "conflict"),
    ("Either party may terminate this Agreement if the other party materially breaches it and does not cure the "
     "breach within 30 days.", "missing"),
    ("The Customer may terminate this Agreement for convenience at any time.", "missing"),
    ("Either party may terminate this Agreement upon written notice if the other party becomes insolvent.", "missing"),
    ("The Licensor may terminate this Agreement if the Licensee fails to pay undisputed fees within 30 days after "
     "written notice of non-payment.", "missing"),
    ("Either the Provider or the Customer may terminate this Agreement for any reason on ninety days' notice.",
     "missing"),
    ("Upon termination of this Agreement for any reason, the Customer shall return all Documentation.", "missing"),
    ("The Provider may terminate this Agreement on notice if a Change of Control of the Customer occurs.", "missing"),
    ("The Customer may suspend payment of disputed invoices until the dispute is resolved.", "missing"),
    ("Licensee hereby grants the Licensor a perpetual, irrevocable licence to use any feedback it provides.",
     "missing"),
    ("If the Reseller fails for any reason to cure a default within the cure period, the Supplier may terminate "
     "this Agreement.", "missing"),
    ("This Agreement may be terminated at any time by a vote of the Customer's board on sixty days' notice.",
     "missing"),
    ("The Customer shall have the right, at its sole discretion, to terminate any order for convenience.", "missing"),
    ("The Customer or the Provider may terminate this Agreement for any reason on sixty days' notice.", "missing"),
    ("The licence granted in this Section may not be terminated or revoked for any reason.", "present"),
    ("Either party may terminate this Agreement if the other party brings litigation against it in any court.",
     "missing"),
    ("The fee waiver may be revoked at any time for any reason on ten days' notice.", "missing"),
    ("Each party grants the other party a non-exclusive, revocable licence to use its logo in joint announcements.",
     "missing"),
    ("The Company may end the consultant's employment at any time at its absolute discretion and may terminate "
     "his employment without notice.", "missing"),
    ("You grant us an irrevocable power of attorney to sign lien filings in your name.", "missing"),
]

ARTIFACT = [
    ("Each release of the weights is published with a SHA-256 checksum.", "present"),
    ("The Supplier shall deliver a software bill of materials with each release of the Software.", "present"),
    ("All model files are digitally signed by the Provider.", "present"),
    ("The Provider will publish a model card describing the training data and evaluation results.", "present"),
    ("Vendor shall document the provenance of the training data used for each model.", "present"),
    ("(d) deliver cryptographic hashes for every artifact provided under this SOW;", "present"),
    ("Orvane will provide verifiable signatures for all model weights it delivers.", "present"),
    ("Releases come with signed build provenance attestations.", "present"),
    ("This Agreement may be signed electronically and in counterparts.", "missing"),
    ("The parties' authorised representatives have signed this SOW.", "missing"),
    ("Passwords are stored as salted hashes.", "missing"),
    ("Model Card", "missing"),
    ("The country of provenance of the goods shall be stated on each invoice.", "missing"),
    ("The Provider does not publish checksums for its releases.", "missing"),
    ("Customer shall digitally sign each purchase order.", "missing"),
    ("The tenant shall obtain all building and sign permits before opening.", "missing"),
    ("No waiver is effective unless signed by both parties, and any release of claims must be in writing.",
     "missing"),
]

CHANGE_NOTICE = [
    ("We will give at least 90 days notice before we deprecate a model version.", "present"),
    ("The Provider shall notify the Customer in writing at least six months before retiring any model available "
     "through the API.", "present"),
    ("Customers may pin a specific model snapshot for the duration of the Term.", "present"),
    (HALVARD + "Halvard will not discontinue any material feature of the Service without giving twelve months' "
     "prior notice.", "present"),
    ("Deprecated models remain available for at least 12 months after the deprecation announcement.", "present"),
    ("The Provider will give advance written notice of any material change to the models used by the Service.",
     "present"),
    ("We may discontinue or change any model at any time without notice.", "conflict"),
    ("The Provider may modify, update or remove features of the Service at its sole discretion.", "conflict"),
    (ZENTRIX + "Zentrix may replace the underlying model with a different version without prior notice to the "
     "Customer.", "conflict"),
    ("Models may be retired or deprecated at any time.", "conflict"),
    ("Customer must always use the latest version of the Software.", "conflict"),
    ("We will give 30 days' notice before retiring a model. We may change the features of the Service at any time.",
     "conflict"),
    ("The Services are subject to change without notice.", "conflict"),
    (ZENTRIX + "Zentrix may update the Services periodically.", "conflict"),
    ("The Provider may modify the API from time to time in its discretion.", "conflict"),
    ("We may change these Terms at any time.", "missing"),
    ("The Provider may update the Services from time to time and will notify the Customer 60 days in advance.",
     "missing"),
    ("The Customer may change its model configuration at any time.", "missing"),
    ("Change Notice", "missing"),
    ("Fees may change at any time with notice.", "missing"),
    ("The Provider will notify the Customer of any security incident within 48 hours.", "missing"),
    ("Either party may update its contact details for notices at any time.", "missing"),
    ("If the Customer decides to discontinue the hosting service, it must arrange a new host within 30 days.",
     "missing"),
    ("The Provider is not liable for claims that would have been avoided by use of the latest version of the "
     "Software.", "missing"),
]

CASES = (
    [("license.user_cap", t, s) for t, s in USER_CAP]
    + [("license.acceptable_use", t, s) for t, s in ACCEPTABLE_USE]
    + [("license.attribution", t, s) for t, s in ATTRIBUTION]
    + [("license.redistribution", t, s) for t, s in REDISTRIBUTION]
    + [("license.termination", t, s) for t, s in TERMINATION]
    + [("security.artifact_integrity", t, s) for t, s in ARTIFACT]
    + [("security.change_notice", t, s) for t, s in CHANGE_NOTICE]
)

# text -> why it still fails (a change outside the pattern files is needed)
XFAIL: dict[str, str] = {}


def _status(topic: str, text: str) -> dict:
    profile = "hosted_service" if topic.startswith("security.") else "model_license"
    report = check_text(text, profile=profile)
    return next(r for r in report["topics"] if r["topic"] == topic)


@pytest.mark.parametrize(("topic", "text", "expected"), [
    pytest.param(*c, marks=pytest.mark.xfail(strict=True, reason=XFAIL[c[1]])) if c[1] in XFAIL else c
    for c in CASES
], ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_topic_status(topic, text, expected):
    row = _status(topic, text)
    assert row["status"] == expected, [(e["polarity"], e.get("rule"), e["quote"][:80]) for e in row["evidence"]]


def test_every_topic_has_at_least_twelve_cases():
    counts: dict[str, int] = {}
    for topic, *_rest in CASES:
        counts[topic] = counts.get(topic, 0) + 1
    assert len(counts) == 7
    assert min(counts.values()) >= 12, counts


@pytest.mark.parametrize(("text", "value"), [
    ("If the monthly active users of your products exceed 100 million, you must request a separate licence from "
     "us.", "100 million monthly active users"),
    ("Entities with annual gross revenue above USD 10 million must obtain a commercial licence.",
     "annual gross revenue above USD 10 million"),
    ("Products with more than 700 million monthly active users need a separate licence.",
     "700 million monthly active users"),
    ("Use of the Software by more than 250 users requires an enterprise licence.", "more than 250 users"),
])
def test_user_cap_value(text, value):
    row = _status("license.user_cap", text)
    assert row["status"] == "conflict"
    assert row["value"] == value
