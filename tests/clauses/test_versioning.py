"""Clause versioning: approved versions immutable, edits create drafts, only approved wording generates."""
import dataclasses

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from clauses import library, selectors, services
from clauses.models import Clause, ClauseVersion, Draft, ImmutableVersionError
from tests.clauses.generator_helpers import docx_paragraphs, make_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    services.catalogue_load()


@pytest.fixture
def lawyer():
    return get_user_model().objects.create_user("lawyer", password="x", is_staff=True)


def retention(position="preferred"):
    return Clause.objects.get(topic_id="input.retention", position=position)


def test_library_load_creates_approved_version_one_by_the_system(loaded):
    v = retention().versions.get()
    assert (v.number, v.status, v.source, v.created_by, v.approved_by) == (1, "approved", "data_file", None, None)
    assert v.approved_at is not None
    assert v.variables == ["retention_days"]
    assert ClauseVersion.objects.filter(status="approved").count() == 67


def test_library_load_is_idempotent_and_adds_a_version_when_the_file_text_changes(loaded, monkeypatch):
    assert services.clause_library_load() == {"created": 0, "new_versions": 0, "unchanged": 67}
    entries = library.clause_entries()
    changed = tuple(dataclasses.replace(e, text=e.text.replace("securely and permanently", "permanently"))
                    if (e.topic, e.position) == ("input.retention", "preferred") else e for e in entries)
    monkeypatch.setattr(library, "clause_entries", lambda: changed)
    assert services.clause_library_load() == {"created": 0, "new_versions": 1, "unchanged": 66}
    assert services.clause_library_load() == {"created": 0, "new_versions": 0, "unchanged": 67}
    v2 = retention().versions.order_by("-number").first()
    assert (v2.number, v2.status) == (2, "approved") and "securely and permanently" not in v2.text


def test_approved_version_cannot_be_saved_changed_or_deleted(loaded, lawyer):
    v = retention().versions.get()
    v.text = "The Provider may keep Customer Data."
    with pytest.raises(ImmutableVersionError):
        v.save()
    with pytest.raises(ImmutableVersionError):
        v.delete()
    with pytest.raises(ImmutableVersionError):
        services.clause_version_update_draft(version=v, title="x", text="The Provider shall delete data.", actor=lawyer)
    with pytest.raises(ImmutableVersionError, match="already approved"):
        services.clause_version_approve(version=v, actor=lawyer)
    v.refresh_from_db()
    assert "securely and permanently delete" in v.text


def test_editing_creates_a_new_draft_that_generation_ignores_until_approved(loaded, lawyer):
    text = ("The Provider shall delete Customer Data within {{ retention_days }} days, and sooner on request, "
            "confirming the deletion in writing.")
    draft = services.clause_version_create_draft(clause=retention(), title="Deletion", text=text, actor=lawyer)
    assert (draft.number, draft.status, draft.created_by, draft.defined_terms) == (2, "draft", lawyer, ["Customer Data"])
    assert draft.variables == ["retention_days"]

    d1 = services.draft_generate(doc_type="dpa", answers=make_answers(positions={}))
    rendered = "Deletion. The Provider shall delete Customer Data within 30 days, and sooner on request"
    assert not any(rendered in p for p in docx_paragraphs(d1.file.read()))
    assert selectors.clause_versions_latest_approved()[("input.retention", "preferred")].number == 1

    services.clause_version_approve(version=draft, actor=lawyer)
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by) == ("approved", lawyer) and draft.approved_at is not None
    d2 = services.draft_generate(doc_type="dpa", answers=make_answers(positions={}))
    assert any(rendered in p for p in docx_paragraphs(d2.file.read()))
    assert draft in d2.clause_versions.all()


def test_draft_wording_is_checked(loaded, lawyer):
    with pytest.raises(ValidationError) as info:
        services.clause_version_create_draft(clause=retention(), title="", text="Keep for {{ retention_weeks }}.",
                                             actor=lawyer)
    assert info.value.messages == ["title must not be empty",
                                   "unknown variables ['retention_weeks']; use answer names such as retention_days"]


def test_draft_is_recorded_with_answers_versions_template_and_file(loaded, lawyer):
    draft = services.draft_generate(doc_type="sow", answers=make_answers(), actor=lawyer)
    draft = Draft.objects.get(pk=draft.pk)
    assert draft.created_by == lawyer and draft.template_key == "sow" and len(draft.template_sha256) == 64
    assert draft.answers["positions"] == {"input.retention": "fallback"}
    assert draft.clause_versions.count() == len(draft.topics) == 29
    assert draft.clause_versions.get(clause__topic_id="input.retention").clause.position == "fallback"
    assert draft.file.name.startswith("drafts/") and draft.file.name.endswith(f"sow-{draft.pk}.docx")
    from clauses.assembly import read_generated_metadata
    meta = read_generated_metadata(draft.file.read())
    assert meta["draft_id"] == draft.pk
    assert sorted(meta["clause_version_ids"]) == sorted(draft.clause_versions.values_list("pk", flat=True))
    assert meta["template_sha256"] == draft.template_sha256


def test_position_without_approved_wording_is_a_validation_error(loaded):
    from clauses.answers import AnswersError
    with pytest.raises(AnswersError) as info:
        services.draft_generate(doc_type="sow", answers=make_answers(positions={"input.audit": "walk_away"}))
    assert info.value.problems == ["positions.input.audit: the clause library has no approved 'walk_away' wording "
                                   "for this topic (available: preferred, fallback)"]
    assert not Draft.objects.exists()
