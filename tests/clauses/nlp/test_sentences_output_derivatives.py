"""Table-driven: our own sentences -> expected status of one output.* or derivatives.* topic.

For each topic: favourable language in several phrasings (synonyms, passive voice, numbered list items,
parties acting under a defined name), contradicting language (also a favourable and an unfavourable
sentence together, which is a conflict), and near-misses that share the keywords but decide nothing
(another topic, the other party's duty, a definition, a heading alone, a mutual clause, an unrelated
negation). Every sentence was written for this file; none is taken from the corpus. Profiles: the
derivatives topics are required in model_license / sow, the output topics in hosted_service / sow
(shared/spec/topics.md).
"""
import pytest

from clauses.nlp.check import check_text

# Parties named in a definition, then acting by name (Zentrix = provider, Orvane = customer).
SOW = ('This Statement of Work is made between Zentrix Labs Ltd ("Zentrix" or "Provider") and Orvane plc '
       '("Orvane" or "Customer").\n\n')
LIC = 'Kestrel AI Inc. ("Kestrel" or "Licensor") licenses the Model to Halvard GmbH ("Halvard" or "Licensee").\n\n'

P, C, M = "present", "conflict", "missing"
# Rules match role *words* after "with / in / by / of"; a party's defined name there ("remains with Zentrix") has a
# role on its token but a token pattern cannot ask for it.
NEEDS_OBJECT_ROLE = ('needs a role constraint usable in token patterns (e.g. {"ROLE": "provider"} in '
                     'clauses/nlp/rules.py + components/topics.py) so "remains with <defined provider name>" matches')

DERIVATIVES_OWNERSHIP = [
    (P, "As between the parties, the Customer owns all fine-tuned models, adapters and weights produced under this SOW."),
    (P, SOW + "Orvane owns every fine-tuned model and checkpoint that Zentrix creates for it."),
    (P, "All right, title and interest in the Custom Model and its weights vest in the Customer on delivery."),
    (P, "The Supplier hereby assigns to the Customer all intellectual property rights in the fine-tuned models "
        "and adapters it develops under this Statement of Work."),
    (P, "Subject to Section 4:\n\n(a) Licensee retains ownership of all modifications and derivative works of the "
        "Model that it creates;"),
    (P, "Derivatives of the Model made by you or on your behalf are owned by you."),
    (P, "You are and will remain the sole owner of any adapters or LoRA weights you train."),
    (P, "Licensee shall retain all right, title and interest in the modifications it makes to the Model."),
    (P, "Customer will own the Custom Model Weights."),
    (P, "Fine-tuned models are the exclusive property of the Customer."),
    (P, "The Provider keeps its base model; the Customer owns the fine-tuned adapters."),
    (P, "The Contractor hereby assigns all right, title and interest in any customization it makes under this "
        "Agreement to the Customer."),
    (C, SOW + "Zentrix owns all fine-tuned models and derivatives created with the services."),
    (C, "The Provider retains all rights in any model fine-tuned on Customer Data."),
    (C, "All improvements, customizations and derivative works of the Platform, including those requested or paid "
        "for by the Customer, are owned exclusively by the Vendor."),
    (C, "Customer hereby assigns to Provider all right, title and interest in any fine-tuned models it creates "
        "using the Service."),
    (C, "The Customer owns all modifications it makes to the Model.\n\nThe Provider owns all fine-tuned versions of "
        "the Model created under this Agreement."),
    (C, "Title to all fine-tuned weights and adapters shall remain with the Provider."),
    (C, SOW + "Zentrix shall own the custom model and its checkpoints trained for Orvane under this SOW."),
    (C, "The Provider retains all right, title and interest in the Platform and in every customization of it."),
    (C, "The Customer hereby assigns to the Provider all rights in any customizations and fine-tuned weights."),
    (M, "Provider owns the Services and all related documentation."),
    (M, '"Derivative Works" means any modification or fine-tuned version of the Model.'),
    (M, "Customer owns all Customer Data and all Output."),
    (M, "Each party retains ownership of its pre-existing intellectual property."),
    (M, "4. Ownership of Fine-Tuned Models"),
    (M, "The Provider may fine-tune its own base models on public data."),
    (M, "The Provider retains all rights in its pre-trained base model and the Services."),
    (M, "Provider retains ownership of any feedback or suggestions you provide about improvements."),
    # kinds seen in real contracts (reworded): an exception for the customer's customisations, securities,
    # rights "owned by" a party next to the word derivative, an unclear-ownership clause
    (M, "Title to the Platform, except for the Customer's customizations, remains with the Supplier."),
    (M, "The Investors own shares of the Company and may acquire derivative securities."),
    (M, "If you sue us claiming that the Model or a derivative infringes rights owned by you, this licence ends."),
    (M, "Where ownership of an improvement is not clear, the parties will meet to decide it."),
    (M, "Any custom model built for the Customer remains dedicated to the Customer during the term."),
    (M, "The parties shall jointly own all improvements they develop together."),
    (M, "Each party shall own the derivative works it creates of the joint materials."),
    (M, "Ownership of improvements to the Software will be negotiated before any joint development starts."),
    (M, 'Section 8 defines "Customer-Owned Improvements" for the purposes of the licence back.'),
    (M, "You must retain all copyright notices in any derivative works you distribute."),
    (M, "The hosting software and its later modifications are licensed, not sold. The chat transcripts are the "
        "property of the Customer."),
    (M, "The licence extends to the Customer's successors and permitted assigns, who may modify the derivative works."),
]

DERIVATIVES_RIGHT_TO_MODIFY = [
    (P, "You may modify, adapt and fine-tune the Model for any lawful purpose."),
    (P, "Licensee is permitted to create derivative works based on the Model weights."),
    (P, LIC + "Kestrel grants Halvard a licence to fine-tune, quantize and otherwise adapt the Model."),
    (P, "Subject to this Licence, Licensee may: (a) run the Model; (b) fine-tune the Model on its own datasets; "
        "and (c) distribute the results."),
    (P, "The Customer may customise the Model using its own data."),
    (P, "Nothing in this Licence prevents you from modifying the Model."),
    (P, "Customer may train adapters on top of the Model."),
    (P, "You may distil the Model into smaller models and quantise its weights."),
    (C, "You shall not modify, adapt or translate the Model."),
    (C, "Licensee may not fine-tune the Model or create derivative works from it."),
    (C, "Modification of the Model weights is prohibited."),
    (C, "The Licensee must not, and must not allow others to: (a) copy the Model except for backup purposes; "
        "(b) alter or adapt the Model; or (c) remove any notice."),
    (C, "You may fine-tune the Model on your data.\n\nYou may not otherwise modify the Model or create derivative "
        "works of it."),
    (C, LIC + "Halvard shall not retrain or fine-tune the Model."),
    (C, "The Model may not be altered, fine-tuned or merged with other models."),
    (M, "We may modify these Terms at any time by posting a new version."),
    (M, "Provider may modify the fees on 90 days' notice."),
    (M, '"Derivative" means a modified or fine-tuned version of the Model.'),
    (M, "You may not use outputs to train any other model."),
    (M, "Provider may modify the features of the Service from time to time."),
    (M, "You may not reverse engineer or decompile the Software."),
    (M, "The Reseller shall not prepare derivative works of the Vendor's trademarks or logos."),
    (M, "A Statement of Work may alter the terms of this Agreement only if it says so expressly."),
    (M, "Customer may not use outputs to distil a model."),
    (M, "3. Modifications"),
    # warranty, support and indemnity exclusions mention modifications without restricting them
    (M, "The warranty does not apply to any modification of the Software made by the Customer."),
    (M, "The Provider is not liable for claims arising from the Customer's modification of the Model."),
    (M, "Support services do not include making modifications to the Licensed Materials."),
    (M, "The Reseller shall not remove or modify any copyright notices or trademarks on the Software."),
]

DERIVATIVES_EXCLUSIVITY = [
    (P, "Models fine-tuned on Customer Data will be used solely for the Customer."),
    (P, SOW + "Any model trained on Orvane's data is dedicated exclusively to Orvane and will not be offered to "
              "other clients."),
    (P, "The Supplier shall not make any model trained on Customer Data available to any other customer."),
    (P, "Custom models developed with the Customer's training data are for the Customer's exclusive use."),
    (P, "Provider will not use the Customer's fine-tuned models to serve any other customer."),
    (P, "The Provider agrees that:\n\n(c) it will deploy the Custom Model only for the Customer;"),
    (P, "Provider shall use Customer Data solely to provide the services to Customer and shall not use it to train "
        "models for other customers."),
    (P, "Provider shall use Customer Data only to serve Customer and shall not use it to train models for other "
        "customers."),
    (P, SOW + "Zentrix will not deploy the customer-specific model for anyone else."),
    (C, "Provider may make models trained on Customer Data available to its other customers."),
    (C, "Models improved with your content may be offered to all of our customers."),
    (C, "Usage data and customer content may be used to train models that form part of the Provider's general "
        "product offering."),
    (C, "The Vendor may reuse any fine-tuned model built from Customer Data for other clients."),
    (C, "Custom models trained on Customer Data are for the Customer's exclusive use.\n\nProvider may nevertheless "
        "offer aggregated models derived from Customer Data to all customers."),
    (C, SOW + "Zentrix may license models trained on Orvane's datasets to third parties."),
    (C, "Models trained on Customer Data may be used to serve other customers."),
    (C, "The Vendor may share any model fine-tuned on Customer Data with others."),
    (M, "Provider offers its base models to all customers on the same terms."),
    (M, "The Provider makes the Service available to all customers worldwide."),
    (M, "Customer may make its applications available to its own end users."),
    (M, '"Custom Model" means a model trained on Customer Data.'),
    (M, "Neither party is obliged to deal exclusively with the other."),
    (M, "The Customer may use the Model only for internal purposes."),
    (M, "The Supplier shall report all revenue derived from products it sells to other customers."),
    (M, "Customer will not: (a) resell the Product to others; or (b) upload Customer Data it has no right to use "
        "to any model."),
]

OUTPUT_OWNERSHIP = [
    (P, "You own all Output you generate with the Service."),
    (P, "As between the parties, all outputs produced by the Service belong to the Customer."),
    (P, SOW + "Zentrix hereby assigns to Orvane all of its rights in the Output."),
    (P, "The Provider claims no ownership of any generated content."),
    (P, "Customer retains all right, title and interest in its Inputs and in the Outputs."),
    (P, "Outputs are owned by the Customer."),
    (P, "Customer owns all content generated by the Service for it."),
    (P, "The Customer owns the Outputs. Where the Provider holds any right in them, it hereby assigns that right to "
        "the Customer."),
    (P, "We waive any rights we may have in the responses generated for you."),
    (C, "The Provider owns all outputs generated by the model."),
    (C, "All Output is the exclusive property of the Provider."),
    (C, "All rights in the Output are reserved by the Provider."),
    (C, "Provider may use Outputs for any purpose."),
    (C, "Outputs belong to the Provider, and the Customer may use them under the licence below."),
    (C, "Customer grants Provider a perpetual, irrevocable licence to use, reproduce and publish any Output."),
    (C, "Title to all generated content remains with the Provider."),
    (C, SOW + "Title to all generated content remains with Zentrix."),
    (C, "You own the Output.\n\nHowever, we retain ownership of any Output generated using our templates."),
    (C, SOW + "Zentrix owns all results and outputs produced by the fine-tuned model."),
    (M, "Customer owns all Customer Data it uploads."),
    (M, '"Output" means content generated by the Service in response to Input.'),
    (M, "Provider owns the Service, the models and all related software."),
    (M, "Each party owns its own Confidential Information."),
    (M, "Provider may use Outputs only to provide the Services to the Customer."),
    (M, "The Provider is not responsible for the accuracy of any Output."),
    (M, "Output may not be unique and other users may receive similar output."),
    (M, "7. Ownership of Output"),
    # "generated" data or "as a result of" in ordinary contracts is not model output
    (M, "The Reseller shall retain all right, title and interest in sales data generated through its website."),
    (M, "The Distributor will own any inventory it acquires as a result of this Agreement."),
]

OUTPUT_COMMERCIAL_USE = [
    (P, "You may use the Model for commercial purposes."),
    (P, "Customer may use the Outputs commercially, including in products it sells."),
    (P, "Licensee may sell, sublicense and commercially exploit the Output."),
    (P, "The licence permits both commercial and non-commercial use."),
    (P, "You may use the Model for non-commercial or commercial purposes."),
    (P, "Output may be used for any commercial or non-commercial purpose."),
    (P, "You may use the outputs in your products and services."),
    (P, "Customer may integrate the Service into applications it makes available to its own end users."),
    (P, "Subject to these Terms, you may use the Outputs for any lawful purpose, including commercial purposes."),
    (C, "The Model may be used for non-commercial research only."),
    (C, "You may use the Model solely for research purposes."),
    (C, "Commercial use of the Outputs requires a separate written licence from Zentrix."),
    (C, "Licensee shall not use the Model or its outputs for any commercial purpose."),
    (C, "Outputs may be used for personal, non-commercial purposes only."),
    (C, "The Model is licensed for internal evaluation only."),
    (C, "The licence is limited to personal use."),
    (C, "Outputs may not be sold or used in revenue-generating products."),
    (C, "You may use the Model for commercial purposes.\n\nOutputs may be used only for internal evaluation and not "
        "for any commercial purpose."),
    (M, "The Provider uses commercially reasonable efforts to keep the Service available."),
    (M, "Commercial terms are set out in the Order Form."),
    (M, '"Commercial Use" means any use intended for monetary gain.'),
    (M, "The fees are payable within 30 days of the invoice date."),
    (M, "Each party shall act in good faith in all commercial dealings."),
    (M, "Customer may use the Service only for internal business purposes."),
    (M, "Personal data is processed only for the purposes of the agreement."),
    (M, "5. Commercial Use"),
    (M, "The Vendor shall use commercially reasonable efforts to obtain any consent required by law."),
    (M, "Press releases and other commercial announcements are subject to prior written approval."),
]

OUTPUT_USE_RESTRICTIONS = [
    (P, "There are no restrictions on how you use the Outputs."),
    (P, "Customer may use, publish and distribute Output for any purpose without restriction."),
    (P, "The Provider places no limitations on the Customer's use of generated content."),
    (P, "Nothing in this Agreement restricts Customer from using Outputs to develop other models."),
    (C, "You may not use the outputs to train any other large language model."),
    (C, "Customer may not present Output as human-generated."),
    (C, "Customer will not use Output to build AI models that compete with the Provider."),
    (C, "The Customer will not, and will not permit End Users to: (a) copy the Service; (b) except as allowed in "
        "the Documentation, use Output to develop models that compete with Zentrix; or (c) resell the Service."),
    (C, "Customer must clearly label all Output as AI-generated before publishing it."),
    (C, "Outputs may not be used to provide medical diagnoses or legal advice."),
    (C, "Use of Outputs is subject to the use-based restrictions in Attachment A."),
    (C, "You may publish Outputs freely.\n\nYou may not use Outputs to train a competing model."),
    (C, "If Licensee uses any outputs of the Model to train a model that it distributes, Licensee must put the "
        "Model's name in that model's name."),
    (C, "All Outputs are subject to the usage restrictions in Section 5."),
    (M, "You may not use the Service to develop a competing product."),
    (M, "Customer is responsible for its use of Output."),
    (M, "Provider will not use Outputs to train its models."),
    (M, '"Output" means content returned by the Service.'),
    (M, "Our abuse detection systems may flag prompts and outputs that violate the acceptable use policy."),
    (M, "We may block or alter model outputs when a prompt breaches our usage policy."),
    (M, "If you become aware that any output breaches this usage policy, please tell us."),
    (M, "6. Restrictions on Output"),
]

OUTPUT_IP_INDEMNITY = [
    (P, "The Provider will defend the Customer against any third-party claim that the Service infringes a patent "
        "or copyright."),
    (P, SOW + "Zentrix shall indemnify and hold harmless Orvane from claims alleging that any Output infringes a "
              "third party's intellectual property rights."),
    (P, "Supplier will defend and indemnify Customer against third-party claims that the Model or its outputs "
        "misappropriate a trade secret."),
    (P, "We will defend you against any claim by a third party alleging that Outputs infringe its copyright, and "
        "pay the resulting damages."),
    (P, "(a) Provider IP Indemnity. Provider shall defend Customer against IP claims arising from Customer's "
        "authorised use of the Services."),
    (P, "Halcyon will defend Customer against third-party claims that the Service infringes a patent."),
    (C, "The Provider's indemnification obligations do not apply to claims arising from Output."),
    (C, "Provider has no obligation to indemnify Customer for any claim relating to generated content."),
    (C, "The IP indemnity excludes claims arising from Outputs."),
    (C, SOW + "Zentrix will defend Orvane against claims that the Service infringes third-party IP rights, but this "
              "obligation does not extend to any Output."),
    (C, "Claims based on Outputs are excluded from the Provider's defence obligations."),
    (C, "We will not indemnify you against infringement claims relating to Outputs."),
    (C, "The Supplier will indemnify the Customer against claims that the Service infringes a patent.\n\nThis "
        "indemnity does not cover any output generated by the Service."),
    (M, "Customer will defend and indemnify Provider against claims arising from Customer's content."),
    (M, "Each party will indemnify the other against claims arising from its breach of confidentiality."),
    (M, '"Indemnified Party" means the party seeking indemnification.'),
    (M, "The Provider does not warrant that Output will not infringe."),
    (M, "Provider will defend Customer against claims for bodily injury caused by Provider personnel."),
    (M, "9. Indemnification"),
    (M, "Customer will defend Halcyon against claims that Customer Content infringes a copyright."),
    # defending one's own patents, or a general "no duty to defend", is not an output exclusion
    (M, "Zentrix has the first right, but not the obligation, to defend the validity of its own patents."),
    (M, "The Licensor has no obligation to defend any claim based on a modified version of the Software."),
]

TABLES = {
    ("derivatives.ownership", "sow"): DERIVATIVES_OWNERSHIP,
    ("derivatives.right_to_modify", "model_license"): DERIVATIVES_RIGHT_TO_MODIFY,
    ("derivatives.exclusivity", "sow"): DERIVATIVES_EXCLUSIVITY,
    ("output.ownership", "hosted_service"): OUTPUT_OWNERSHIP,
    ("output.commercial_use", "hosted_service"): OUTPUT_COMMERCIAL_USE,
    ("output.use_restrictions", "hosted_service"): OUTPUT_USE_RESTRICTIONS,
    ("output.ip_indemnity", "hosted_service"): OUTPUT_IP_INDEMNITY,
}

CASES = [pytest.param(topic, profile, row[1], row[0], id=f"{topic}-{row[0]}-{i}",
                      marks=[pytest.mark.xfail(strict=True, reason=row[2])] if len(row) > 2 else [])
         for (topic, profile), rows in TABLES.items() for i, row in enumerate(rows)]


@pytest.mark.parametrize(("topic", "profile", "text", "expected"), CASES)
def test_sentence_gives_expected_status(topic, profile, text, expected):
    report = check_text(text, profile=profile)
    row = next(r for r in report["topics"] if r["topic"] == topic)
    assert row["status"] == expected, (text, [(e["rule"], e["polarity"]) for e in row["evidence"]])


def test_every_topic_has_at_least_twelve_cases_of_each_kind_overall():
    for (topic, _profile), rows in TABLES.items():
        kinds = {k: sum(1 for row in rows if row[0] == k and len(row) == 2) for k in (P, C, M)}
        assert len(rows) >= 12 and min(kinds.values()) >= 4, (topic, kinds)


def test_defined_provider_owning_fine_tuned_models_is_quoted_as_evidence():
    text = SOW + "Zentrix owns all fine-tuned models and derivatives created with the services."
    row = next(r for r in check_text(text, profile="sow")["topics"] if r["topic"] == "derivatives.ownership")
    assert row["status"] == "conflict"
    assert row["finding"] is True
    assert any(e["quote"].startswith("Zentrix owns all fine-tuned models") for e in row["evidence"]), row["evidence"]
