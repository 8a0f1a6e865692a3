"""Table-driven sentences for continuity (terms / price changes, exit), liability (cap, customer indemnity,
warranty) and compliance (governing law, territory): present phrasings, conflicts (including a favourable and an
unfavourable sentence together), and near-misses that must stay `missing`. Our own wording, written for these
tests (never copied from the corpus); company names are invented."""
import pytest

from clauses.nlp.check import check_text

# A party definition so that named parties act with a role ("Zentrix" is the provider, "Orvane" the customer).
PARTIES = 'This Agreement is between Zentrix Labs Ltd ("Zentrix", "Provider") and Orvane plc ("Orvane", "Customer").\n\n'
BOTH = "\n\n"

TERMS = "continuity.terms_changes"
PRICE = "continuity.price_changes"
EXIT = "continuity.exit"
CAP = "liability.cap"
INDEMNITY = "liability.customer_indemnity"
WARRANTY = "liability.warranty"
LAW = "compliance.governing_law"
TERRITORY = "compliance.territory"

CASES = [
    # ------------------------------------------------------------ continuity.terms_changes
    (TERMS, "This Agreement may be amended only by a written instrument signed by both parties.", "present"),
    (TERMS, "These terms may be changed only by a written document that an officer of both Zentrix and "
            "Orvane has signed.", "present"),
    (TERMS, "Any variation to this Agreement must be agreed in writing and executed by the Customer and the "
            "Supplier.", "present"),
    (TERMS, "(a) amendments to this Agreement require the mutual written consent of the parties;", "present"),
    (TERMS, PARTIES + "Zentrix may update these Terms by giving Orvane 60 days' written notice, and Orvane may "
                      "terminate this Agreement before the update takes effect.", "present"),
    (TERMS, "The Provider may change these Terms from time to time, and any change takes effect thirty days after "
            "notice; if the Customer objects it may terminate this Agreement.", "present"),
    (TERMS, "Changes to this Agreement will only be binding once both parties have signed them.", "present"),
    (TERMS, "We may modify these Terms at any time by posting a revised version on our website.", "conflict"),
    (TERMS, PARTIES + "Zentrix reserves the right to change this Agreement from time to time in its sole "
                      "discretion.", "conflict"),
    (TERMS, "Your continued use of the Service after changes are posted constitutes acceptance of the revised "
            "Terms.", "conflict"),
    (TERMS, "These Terms may be updated by the Provider at any time, and the updated version is effective when "
            "posted.", "conflict"),
    (TERMS, "The Supplier may amend the terms of this Agreement at its discretion by notifying the Customer by "
            "email.", "conflict"),
    (TERMS, PARTIES + "Zentrix may revise these Terms at any time; the revised Terms take effect upon posting.",
     "conflict"),
    (TERMS, "This Agreement may be amended only by a writing signed by both parties." + BOTH +
            "We may modify these Terms at any time by posting a new version on our website.", "conflict"),
    (TERMS, "The Customer may modify its account settings at any time.", "missing"),
    (TERMS, '"Agreement" means these terms together with each order form.', "missing"),
    (TERMS, "Amendments", "missing"),
    (TERMS, "The Provider may update the Service from time to time.", "missing"),
    (TERMS, "The Customer may change its subscription plan at any time through the dashboard.", "missing"),
    (TERMS, "Each party waives any right to a jury trial in any proceeding under this Agreement.", "missing"),
    (TERMS, "IN WITNESS WHEREOF, the parties have executed this Amendment as of the date written above.", "missing"),
    (TERMS, "Each Party may change its steering committee members from time to time.", "missing"),
    # ------------------------------------------------------------ continuity.price_changes
    (PRICE, "The fees stated in the Order Form are fixed for the Initial Term.", "present"),
    (PRICE, "The Supplier will not increase the fees during the Subscription Term.", "present"),
    (PRICE, "Provider may change its fees upon ninety (90) days' prior written notice to Customer.", "present"),
    (PRICE, "Any price increase takes effect only after the Customer has received at least 120 days' written "
            "notice.", "present"),
    (PRICE, "(b) the Vendor may adjust its rates once per year on six (6) months' notice;", "present"),
    (PRICE, "Prices remain firm for the duration of this Statement of Work.", "present"),
    (PRICE, "The unit rates set out in Schedule 2 remain fixed for the term of this Statement of Work.", "present"),
    (PRICE, "We may change our prices at any time.", "conflict"),
    (PRICE, "Kestrel AI may modify its fees at any time without notice.", "conflict"),
    (PRICE, "The Provider may increase the fees on thirty (30) days' notice.", "conflict"),
    (PRICE, "Fee changes take effect fourteen days after they are posted on the pricing page.", "conflict"),
    (PRICE, "Halvard may revise its pricing in its sole discretion.", "conflict"),
    (PRICE, "The fees are fixed for the Initial Term." + BOTH + "Thereafter the Provider may change its fees at any "
            "time.", "conflict"),
    (PRICE, "The Customer shall pay all fees within 30 days of the invoice date.", "missing"),
    (PRICE, "The Customer may change its plan at any time.", "missing"),
    (PRICE, '"Fees" means the amounts stated in an Order Form.', "missing"),
    (PRICE, "Late payments accrue interest at 1.5% per month.", "missing"),
    (PRICE, "Fees are exclusive of taxes.", "missing"),
    (PRICE, "Pricing", "missing"),
    # ------------------------------------------------------------ continuity.exit
    (EXIT, "Upon termination, the Provider will return all Customer Data to the Customer in a standard "
           "machine-readable format.", "present"),
    (EXIT, "For 60 days after the Agreement expires, the Customer may export its Customer Data through the "
           "dashboard.", "present"),
    (EXIT, "On expiry or termination, the Supplier shall, at the Customer's election, return or delete all "
           "Customer Content.", "present"),
    (EXIT, "The Supplier shall provide reasonable transition assistance for up to six months after termination.",
     "present"),
    (EXIT, PARTIES + "(c) upon request after termination, Zentrix will deliver to Orvane a copy of the fine-tuned "
                     "model weights and all training data files.", "present"),
    (EXIT, "Customer Data will be made available to the Customer for retrieval for thirty days following the end "
           "of the subscription.", "present"),
    (EXIT, "Following termination, the Provider shall give the Customer a copy of all Customer Data in a commonly "
           "used format.", "present"),
    (EXIT, "On request, the Supplier will assist the Customer in migrating its data to a successor provider at the "
           "end of the term.", "present"),
    (EXIT, "If this Statement of Work is terminated early, the Supplier will promptly furnish to the Customer all "
           "deliverables and work product generated to date.", "present"),
    (EXIT, "Upon termination, the Provider will delete all Customer Data.", "conflict"),
    (EXIT, "Upon termination of this Agreement, the Customer's access to Customer Data will cease immediately.",
     "conflict"),
    (EXIT, "On termination, the Licensee shall destroy all fine-tuned derivatives it has created from the Model.",
     "conflict"),
    (EXIT, "Upon expiry of the subscription, we will permanently erase your content from our systems.", "conflict"),
    (EXIT, "The Provider has no obligation to return any Customer Data after termination.", "conflict"),
    (EXIT, "Upon termination, the Provider will return all Customer Data to the Customer." + BOTH +
           "Upon termination, the Provider will delete all Customer Data immediately.", "conflict"),
    (EXIT, "Either party may terminate this Agreement for material breach on 30 days' notice.", "missing"),
    (EXIT, "The Customer shall return the Provider's Confidential Information on termination.", "missing"),
    (EXIT, "Upon termination, the Licensee shall delete all copies of the Model.", "missing"),
    (EXIT, "The Customer may download invoices from the billing portal.", "missing"),
    (EXIT, "Termination", "missing"),
    (EXIT, "This Agreement binds the parties and their successors, and neither party may transfer it without "
           "consent, even after termination.", "missing"),
    (EXIT, "This Agreement, the Share Purchase Agreement and the Transition Services Agreement are the entire "
           "agreement of the parties.", "missing"),
    (EXIT, "The Customer may make copies of the Documentation for internal use until the end of the term.", "missing"),
    (EXIT, "On termination the Customer will transfer the remaining licences to a successor entity.", "missing"),
    (EXIT, "Sections 5 and 9 survive termination of this Agreement.", "missing"),
    (EXIT, "Section 12.4 (Effect of Termination) of the Agreement is deleted in its entirety and replaced with the "
           "following.", "missing"),
    (EXIT, "On termination, each Recipient will return or destroy the Discloser's Confidential Information.",
     "missing"),
    # ------------------------------------------------------------ liability.cap
    (CAP, "The Provider's aggregate liability under this Agreement shall not exceed the fees paid by the Customer "
          "in the twelve (12) months preceding the claim.", "present"),
    (CAP, "In no event will the total liability of either party exceed the greater of $1,000,000 or the amounts "
          "paid in the prior year.", "present"),
    (CAP, "The Supplier's liability for any claim is limited to two times the fees payable in the 12 months "
          "before the event.", "present"),
    (CAP, "Kestrel AI's maximum aggregate liability is capped at USD 2,000,000.", "present"),
    (CAP, "(d) the Vendor's total liability shall not exceed EUR 500,000, except for breaches of confidentiality "
          "and data protection obligations.", "present"),
    (CAP, "Each party's cumulative liability will be limited to the fees paid or payable in the 24 months before "
          "the claim.", "present"),
    (CAP, "In no event shall the Provider be liable for any damages whatsoever, whether direct, indirect or "
          "consequential.", "conflict"),
    (CAP, "The Provider's total liability shall not exceed one hundred dollars (US$100).", "conflict"),
    (CAP, "The Supplier's aggregate liability shall not exceed the fees paid in the one (1) month preceding the "
          "claim.", "conflict"),
    (CAP, "Under no circumstances will we be liable to you for any direct or indirect damages.", "conflict"),
    (CAP, "The Provider disclaims all liability for any damages arising out of the use of the Service, including "
          "direct damages.", "conflict"),
    (CAP, "The Provider's aggregate liability is limited to GBP 500.", "conflict"),
    (CAP, "The Provider's aggregate liability shall not exceed the fees paid in the 12 months before the claim." +
          BOTH + "In no event shall the Provider be liable for any damages whatsoever, direct or indirect.",
     "conflict"),
    (CAP, "In no event shall either party be liable for any special, consequential or indirect damages.", "missing"),
    (CAP, "Except with respect to any claim for infringement, in no event shall the Provider be liable for indirect or "
          "consequential damages.", "missing"),
    (CAP, "The Customer is liable for all fees incurred under its account.", "missing"),
    (CAP, "Limitation of Liability", "missing"),
    (CAP, "The Customer's liability shall not exceed the amounts it owes under this Agreement.", "missing"),
    (CAP, PARTIES + "Orvane's total liability shall not exceed the fees payable under this Agreement.", "missing"),
    (CAP, "Neither party excludes liability for fraud or for death or personal injury caused by negligence.",
     "missing"),
    (CAP, '"Liability" means any loss, damage, cost or expense.', "missing"),
    (CAP, "The Customer will pay the fees set out in the Order Form.", "missing"),
    (CAP, "Under no circumstances will either party be liable for lost revenue (whether direct or indirect) or for "
          "any consequential damages.", "missing"),
    # ------------------------------------------------------------ liability.customer_indemnity (optional: O)
    (INDEMNITY, "The Customer shall indemnify the Provider against third-party claims arising from the Customer's "
                "breach of this Agreement.", "present"),
    (INDEMNITY, "Customer will defend and indemnify Supplier from any claim resulting from Customer's violation of "
                "applicable law.", "present"),
    (INDEMNITY, "You agree to hold us harmless from losses caused by your breach of these Terms.", "present"),
    (INDEMNITY, "(e) the Licensee shall indemnify the Licensor for claims to the extent caused by the Licensee's "
                "breach of Section 4.", "present"),
    (INDEMNITY, "The Customer shall indemnify the Provider only against claims caused by the Customer's breach of "
                "this Agreement.", "present"),
    (INDEMNITY, "Customer agrees to indemnify the Provider from third-party claims to the extent resulting from "
                "Customer's violation of the Acceptable Use Policy.", "present"),
    (INDEMNITY, "The Customer shall indemnify the Provider against all claims arising out of the Customer's use of "
                "the Service.", "conflict"),
    (INDEMNITY, "You will defend, indemnify and hold harmless the Company from any claim relating to your access "
                "to the Services.", "conflict"),
    (INDEMNITY, "Licensee shall indemnify Licensor from any and all losses in connection with the Model or its "
                "outputs.", "conflict"),
    (INDEMNITY, "The Customer agrees to indemnify the Supplier for any losses resulting from the Customer's use of "
                "Outputs.", "conflict"),
    (INDEMNITY, PARTIES + "Orvane shall indemnify Zentrix against any claim arising out of Orvane's use of the "
                          "Services.", "conflict"),
    (INDEMNITY, "The Customer shall indemnify the Provider against claims arising from the Customer's breach of "
                "this Agreement." + BOTH + "The Customer will also indemnify the Provider against any claim "
                "arising from its use of the Service.", "conflict"),
    (INDEMNITY, "You will indemnify and hold us harmless from any claims arising out of your use of the Services or "
                "your violation of these Terms.", "conflict"),
    (INDEMNITY, "Customer will defend Provider against any claim arising from (a) Customer's use of the Services, (b) "
                "Customer Content, or (c) Customer's breach of this Agreement.", "conflict"),
    (INDEMNITY, "The Licensee will indemnify Halvard against any third-party claim arising out of or related\nto "
                "its use or distribution of the Weights.", "conflict"),
    (INDEMNITY, "You will indemnify us against claims arising out of your use of the Model in violation of this "
                "License.", "present"),
    (INDEMNITY, "The Provider will defend the Customer against any claim that the Service infringes a third "
                "party's patent.", "missing"),
    (INDEMNITY, PARTIES + "Zentrix shall indemnify Orvane against any claim arising out of the Services.",
     "missing"),
    (INDEMNITY, "Each party shall indemnify the other against claims arising from its gross negligence.", "missing"),
    (INDEMNITY, "Indemnification", "missing"),
    (INDEMNITY, '"Indemnified Party" means the party seeking indemnification.', "missing"),
    (INDEMNITY, "The Customer will hold all Provider credentials in confidence.", "missing"),
    (INDEMNITY, "The Customer shall promptly notify the Provider of any claim for which the Provider must "
                "indemnify it.", "missing"),
    # ------------------------------------------------------------ liability.warranty
    (WARRANTY, "The Provider warrants that the Service will perform materially in accordance with the "
               "Documentation.", "present"),
    (WARRANTY, "Supplier warrants that the Deliverables will be free from material defects for ninety days after "
               "acceptance.", "present"),
    (WARRANTY, "The Vendor represents and warrants that the Services will be performed in a professional and "
               "workmanlike manner.", "present"),
    (WARRANTY, PARTIES + "(f) Zentrix warrants that the Model, as delivered, does not infringe any third party's "
                         "intellectual property rights.", "present"),
    (WARRANTY, "The Provider guarantees that the API will conform in all material respects to its published "
               "specifications.", "present"),
    (WARRANTY, "The Provider warrants that the Service will conform to the Documentation." + BOTH +
               "Except as expressly stated in this Agreement, the Provider disclaims all other warranties.",
     "present"),
    (WARRANTY, "The Provider warrants that the Service will conform to the Documentation." + BOTH +
               "The Provider makes no warranty that the Service will be uninterrupted or error-free.", "present"),
    (WARRANTY, "Halvard Tools warrants that the Products will be free from defects in materials and workmanship.",
     "present"),
    (WARRANTY, "Each party warrants that its services will be performed in a professional and workmanlike manner.",
     "present"),
    (WARRANTY, 'THE SERVICE IS PROVIDED "AS IS" WITHOUT WARRANTY OF ANY KIND.', "conflict"),
    (WARRANTY, "The Provider disclaims all warranties, express or implied, including merchantability and fitness "
               "for a particular purpose.", "conflict"),
    (WARRANTY, "We make no warranties of any kind regarding the Services.", "conflict"),
    (WARRANTY, "The Model is made available on an as-is and as-available basis.", "conflict"),
    (WARRANTY, "To the maximum extent permitted by law, the Licensor excludes all warranties and conditions.",
     "conflict"),
    (WARRANTY, "The Provider warrants that the Service will conform to the Documentation." + BOTH +
               "The Service is provided as is and the Provider disclaims all warranties.", "conflict"),
    (WARRANTY, "The Customer warrants that it has all rights needed to upload its data.", "missing"),
    (WARRANTY, "Warranties", "missing"),
    (WARRANTY, "No Other Warranty.", "missing"),
    (WARRANTY, "The term \"Approved Test\" refers to any test for a condition, excluding any investigational use.",
     "missing"),
    (WARRANTY, "Transferred staff shall not be excluded from coverage or conditions of the benefit plans.", "missing"),
    (WARRANTY, "Each party represents that it has authority to enter into this Agreement.", "missing"),
    (WARRANTY, "The warranty period starts on the delivery date.", "missing"),
    (WARRANTY, "The Customer represents and warrants that its content does not violate any law.", "missing"),
    (WARRANTY, "The Provider will repair the hardware under the manufacturer's warranty.", "missing"),
    (WARRANTY, "The Provider will restore the Service as soon as is reasonably possible after an outage.", "missing"),
    (WARRANTY, "Any Feedback the Customer gives is provided as is, and the Provider may use it freely.", "missing"),
    # ------------------------------------------------------------ compliance.territory (profile model_license)
    (TERRITORY, "Licensor grants you a worldwide, royalty-free, non-exclusive license to use the Model.", "present"),
    (TERRITORY, "The rights granted here apply throughout the world without territorial limitation.", "present"),
    (TERRITORY, PARTIES + "Subject to these terms, Zentrix grants Orvane a non-exclusive, world-wide licence to the "
                          "Weights.", "present"),
    (TERRITORY, "(a) a perpetual, worldwide right to reproduce and distribute the Model;", "present"),
    (TERRITORY, "The licence is not limited to any territory.", "present"),
    (TERRITORY, "The Licensee may exercise these rights anywhere in the world.", "present"),
    (TERRITORY, "The Service is only available in supported countries listed on our website.", "conflict"),
    (TERRITORY, "You may not use the Model if you are located in a country subject to a comprehensive U.S. "
                "embargo.", "conflict"),
    (TERRITORY, "The licence granted is limited to the territory of the United States.", "conflict"),
    (TERRITORY, "Licensee shall not use the Model in Cuba, Iran, North Korea or Syria.", "conflict"),
    (TERRITORY, "Use of the Model is prohibited in any country on the sanctions list.", "conflict"),
    (TERRITORY, "Licensor grants you a worldwide license to use the Model." + BOTH +
                "You may not use the Model in any embargoed country.", "conflict"),
    (TERRITORY, "Licensor has affiliates worldwide.", "missing"),
    (TERRITORY, "The Provider stores data in the European Union.", "missing"),
    (TERRITORY, "Territory", "missing"),
    (TERRITORY, "The Customer is located in Canada.", "missing"),
    (TERRITORY, '"Territory" means the countries listed in Exhibit A.', "missing"),
    (TERRITORY, "Worldwide demand for AI services is growing.", "missing"),
    (TERRITORY, "There is no geographic limitation on the non-solicitation covenant in Section 9.", "missing"),
    (TERRITORY, "Venue for any proceeding not subject to arbitration is in the courts located in the State of Ohio.",
     "missing"),
]

PROFILE = {TERRITORY: "model_license"}


@pytest.mark.parametrize(("topic", "text", "expected"), CASES)
def test_sentence_gives_expected_status(topic, text, expected):
    report = check_text(text, profile=PROFILE.get(topic, "hosted_service"))
    row = next(t for t in report["topics"] if t["topic"] == topic)
    assert row["status"] == expected, (row["status"], [e["rule"] for e in row["evidence"]])


# governing law: status and the value (the law; a forum only when no law is named)
LAW_CASES = [
    ("This Agreement is governed by the laws of England and Wales.", "present", "England and Wales"),
    ("These Terms shall be governed by and construed in accordance with the laws of the State of New York, without "
     "regard to its conflict of laws principles.", "present", "New York"),
    ("The laws of Ireland govern this Agreement.", "present", "Ireland"),
    ("This Agreement is subject to English law.", "present", "England and Wales"),
    ("(g) Governing law: the law of the State of Delaware.", "present", "Delaware"),
    ("Any dispute arising out of this Agreement shall be submitted to the exclusive jurisdiction of the courts of "
     "Ireland.", "present", "Ireland"),
    ("This Agreement and any dispute arising from it will be interpreted under the laws of Singapore.", "present",
     "Singapore"),
    ("Governing Law. This contract is governed by German law, and the courts of Munich have exclusive "
     "jurisdiction.", "present", "Germany"),
    ("California law governs these Terms, excluding its choice-of-law rules.", "present", "California"),
    ("The courts of Ireland have exclusive jurisdiction." + BOTH + "This Agreement is governed by the laws of "
     "England and Wales.", "present", "England and Wales"),
    ("Each party shall comply with all laws applicable to it.", "missing", None),
    ("This Agreement is governed by the laws of the jurisdiction stated in the Order Form.", "missing", None),
    ("Governing Law", "missing", None),
    ("The Provider is a company incorporated in Ireland.", "missing", None),
    ("Customer shall comply with the export control laws of the United States.", "missing", None),
    ("The Provider processes personal data in accordance with the laws of the European Union.", "missing", None),
    ("A court of competent jurisdiction may enter judgment on the arbitral award.", "missing", None),
]


@pytest.mark.parametrize(("text", "status", "value"), LAW_CASES)
def test_governing_law_status_and_value(text, status, value):
    row = next(t for t in check_text(text, profile="hosted_service")["topics"] if t["topic"] == LAW)
    assert (row["status"], row["value"]) == (status, value)


def test_governing_law_outside_the_accepted_list_is_a_conflict_with_its_value():
    text = "This Agreement is governed by the laws of the State of New York."
    report = check_text(text, profile="hosted_service", playbook={"accepted_governing_laws": ["England and Wales"]})
    row = next(t for t in report["topics"] if t["topic"] == LAW)
    assert (row["status"], row["value"], row["finding"]) == ("conflict", "New York", True)


def test_forum_alone_is_checked_against_the_accepted_list():
    text = "The courts of Ireland have exclusive jurisdiction over any dispute."
    report = check_text(text, profile="hosted_service", playbook={"accepted_governing_laws": ["Ireland"]})
    row = next(t for t in report["topics"] if t["topic"] == LAW)
    assert (row["status"], row["value"]) == ("present", "Ireland")


def test_court_clause_without_a_place_is_not_quoted_as_governing_law():
    text = ("This Agreement is governed by the laws of Ireland." + BOTH +
            "A court of competent jurisdiction may enter judgment on the arbitral award.")
    row = next(t for t in check_text(text, profile="hosted_service")["topics"] if t["topic"] == LAW)
    assert row["value"] == "Ireland"
    assert [e["quote"] for e in row["evidence"]] == ["This Agreement is governed by the laws of Ireland."]


@pytest.mark.parametrize(("text", "status", "value"), [
    ("The Vendor's liability will be limited in the aggregate to an amount equal to twenty-four (24) times the "
     "monthly service fee.", "present", "24 months of fees"),
    ("The Vendor's total liability shall not exceed three times the monthly fees paid by the Client.", "conflict",
     "3 months of fees"),
    ("Halvard's liability for lost goods is limited to US$4 per kilogram.", "present", None),
    ("The Supplier's aggregate liability shall not exceed the amounts paid in the 12 months before the claim, "
     "payable within ten (10) days after notice.", "present", "12 months of fees"),
    ("The Provider's liability shall not exceed the fees paid during the one-year period before the claim.",
     "present", "12 months of fees"),
])
def test_cap_values_in_other_forms(text, status, value):
    row = next(t for t in check_text(text, profile="hosted_service")["topics"] if t["topic"] == CAP)
    assert (row["status"], row["value"]) == (status, value)
