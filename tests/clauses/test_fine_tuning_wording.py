"""Documents follow `engagement.fine_tuning` in every clause and definition, not only in topic selection.

Decision (asserted below): without fine-tuning no SOW or DPA uses the Derivatives or Fine-Tuning Data
terms. Weights are named only where they are handled: in a SOW whose deployment delivers them to the
Customer (self_hosted, hybrid: artifact integrity and redistribution cover Model Artifacts), or whenever
the engagement includes fine-tuning. "fine-tune" as a verb survives only in the no-training prohibition
("train, retrain, fine-tune") and, when the Customer runs the Model, in its right to modify it.
"""
import itertools
import re

import pytest

from clauses import assembly, library, services
from clauses.answers import validate_answers
from clauses.models import Draft
from tests.clauses.generator_helpers import docx_paragraphs, make_answers

POSITION_SETS = ("preferred", "fallback", "walk_away")
MATRIX = [
    (doc_type, deployment, fine_tuning, position)
    for doc_type, deployment, fine_tuning, position in itertools.product(
        ("sow", "dpa"), ("hosted", "self_hosted", "hybrid"), (False, True), POSITION_SETS)
]
WEIGHTS = re.compile(r"\bweights?\b", re.IGNORECASE)
FINE_TUNE_VERB = re.compile(r"(\w+), fine-tun", re.IGNORECASE)


def _answers(doc_type, deployment, fine_tuning, position):
    available = library.positions_available()
    # Neutral engagement wording, so every hit below comes from the library, not from the answers.
    return make_answers(engagement__deployment=deployment, engagement__fine_tuning=fine_tuning,
                        engagement__description="Hosting a contract-summarisation service",
                        engagement__model="SummaryModel 2",
                        positions={t: position for t, ps in available.items() if position in ps})


def _definitions(paragraphs):
    """{term: definition paragraph} of the Definitions section."""
    return {p[1:].split("\u201d")[0]: p for p in paragraphs if p.startswith("\u201c") and "\u201d means " in p}


@pytest.mark.parametrize("doc_type, deployment, fine_tuning, position", MATRIX)
def test_wording_follows_fine_tuning_across_the_answer_matrix(doc_type, deployment, fine_tuning, position):
    cleaned = validate_answers(_answers(doc_type, deployment, fine_tuning, position), doc_type)
    data = assembly.render_docx(doc_type, cleaned, clauses=assembly.clauses_from_data(doc_type, cleaned))
    paragraphs = docx_paragraphs(data)
    text = "\n".join(paragraphs)
    defined = _definitions(paragraphs)

    if fine_tuning:
        assert "Derivatives" in defined and "Fine-Tuning Data" in defined
        assert text.count("Derivatives") > 1  # defined and used
        assert WEIGHTS.search(text)
    else:
        assert "Derivative" not in text
        assert "Fine-Tuning Data" not in text
        assert "Ownership of fine-tuned models" not in text
        weights_delivered = doc_type == "sow" and deployment != "hosted"
        assert bool(WEIGHTS.search(text)) == weights_delivered, WEIGHTS.findall(text)
        allowed = {"retrain"} | ({"adapt", "modify"} if deployment != "hosted" else set())
        assert {m.group(1).lower() for m in FINE_TUNE_VERB.finditer(text)} <= allowed
        assert text.lower().count("fine-tun") == len(FINE_TUNE_VERB.findall(text))

    # Definitions are computed from the rendered wording: every defined term is used outside its own
    # definition, and no term the rendered text uses is left undefined.
    rest = "\n".join(p.replace(f"\u201c{t}\u201d means", "", 1) if t else p
                     for p in paragraphs for t in [next((t for t in defined if p.startswith(f"\u201c{t}\u201d")), "")])
    used = library.terms_used(rest)
    assert set(defined) <= used, sorted(set(defined) - used)
    assert used - set(defined) == set(), sorted(used - set(defined))


@pytest.mark.django_db
@pytest.mark.parametrize("doc_type", ["sow", "dpa"])
def test_generated_hosted_draft_without_fine_tuning_has_no_derivatives_wording(doc_type):
    # The reported case, through the database path (approved versions, stored defined_terms).
    services.catalogue_load()
    draft = services.draft_generate(doc_type=doc_type, answers=_answers(doc_type, "hosted", False, "preferred"))
    with draft.file.open("rb") as fh:
        text = "\n".join(docx_paragraphs(fh.read()))
    assert "Derivative" not in text and "Fine-Tuning Data" not in text and not WEIGHTS.search(text)
    assert "in a commonly used, machine-readable format, for at least 60 days" in text
    assert Draft.objects.count() == 1
