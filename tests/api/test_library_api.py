"""Clause library and drafts through the API: catalogue, versions (new draft, approve), SOW/DPA generation."""
import io
import json

import pytest
from docx import Document

from clauses.api.views import answers_problem_fields
from clauses.models import ClauseVersion, Draft
from clauses.services import catalogue_load
from tests.clauses.generator_helpers import docx_paragraphs, make_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(db):
    catalogue_load()


def _error(response) -> dict:
    body = response.json()
    assert list(body) == ["error"] and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def test_topics_are_the_catalogue_in_order(api, users, library):
    body = api(users.procurement).get("/api/v1/topics/").json()
    assert body["count"] == 31
    assert [t["order"] for t in body["results"]] == sorted(t["order"] for t in body["results"])
    one = api(users.procurement).get("/api/v1/topics/input.no_training/").json()
    assert one["id"] == "input.no_training" and one["group"] == "input"


def test_clause_list_filters_and_shows_latest_approved(api, users, library):
    body = api(users.legal).get("/api/v1/clauses/", {"topic": "input.retention"}).json()
    positions = {c["position"] for c in body["results"]}
    assert "preferred" in positions and all(c["topic"] == "input.retention" for c in body["results"])
    preferred = next(c for c in body["results"] if c["position"] == "preferred")
    assert preferred["latest_approved"]["status"] == "approved" and preferred["latest_approved"]["text"]
    bad = api(users.legal).get("/api/v1/clauses/", {"position": "best"})
    assert bad.status_code == 400 and list(_error(bad)["fields"]) == ["position"]


def test_legal_creates_a_draft_version_then_approves_it_then_409(api, users, library):
    legal = api(users.legal)
    source = ClauseVersion.objects.filter(clause__topic_id="input.retention", clause__position="preferred",
                                          status="approved").order_by("-number").first()
    created = legal.post(f"/api/v1/clause-versions/{source.pk}/new-draft/", {"title": "Retention (shorter)"},
                         format="json")
    assert created.status_code == 201
    new = created.json()
    assert new["status"] == "draft" and new["number"] == source.number + 1 and new["text"] == source.text
    assert new["created_by"]["username"] == "lawyer"
    approved = legal.post(f"/api/v1/clause-versions/{new['id']}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["approved_by"]["username"] == "lawyer"
    again = legal.post(f"/api/v1/clause-versions/{new['id']}/approve/")
    assert again.status_code == 409 and "already approved" in _error(again)["message"]


def test_new_draft_with_unknown_variable_is_400_on_text(api, users, library):
    source = ClauseVersion.objects.filter(status="approved").first()
    response = api(users.legal).post(f"/api/v1/clause-versions/{source.pk}/new-draft/",
                                     {"text": "The Provider keeps data for {{ no_such_answer }} days."},
                                     format="json")
    assert response.status_code == 400
    fields = _error(response)["fields"]
    assert list(fields) == ["text"] and any("no_such_answer" in m for m in fields["text"])


def test_generate_sow_returns_201_and_the_docx_keeps_literal_text(api, users, library):
    answers = make_answers(customer__name="Smith & Jones <UK> Ltd")
    response = api(users.legal).post("/api/v1/drafts/", {"doc_type": "sow", "answers": answers}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    draft = Draft.objects.get()
    assert body["id"] == draft.pk and response["Location"] == f"/api/v1/drafts/{draft.pk}/"
    assert body["topics"] == draft.topics and len(body["clause_versions"]) == len(draft.topics) > 0
    download = api(users.manager).get(body["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == ("application/vnd.openxmlformats-officedocument."
                                        "wordprocessingml.document")
    data = b"".join(download.streaming_content)
    Document(io.BytesIO(data))  # opens
    assert any("Smith & Jones <UK> Ltd" in p for p in docx_paragraphs(data))


def test_invalid_answers_name_every_offending_field(api, users, library):
    answers = make_answers()
    del answers["governing_law"]
    del answers["customer"]["name"]
    answers["colour"] = "blue"
    answers["retention_days"] = "thirty"
    answers["positions"] = {"input.retention": "best"}
    response = api(users.legal).post("/api/v1/drafts/", {"doc_type": "sow", "answers": answers}, format="json")
    assert response.status_code == 400
    fields = _error(response)["fields"]
    assert set(fields) == {"answers.governing_law", "answers.customer.name", "answers.colour",
                           "answers.retention_days", "answers.positions.input.retention"}
    assert fields["answers.governing_law"] == ["missing"] and fields["answers.colour"] == ["unknown key"]
    assert Draft.objects.count() == 0


def test_dpa_without_personal_data_is_400_saying_why(api, users, library):
    response = api(users.manager).post("/api/v1/drafts/", {"doc_type": "dpa",
                                                           "answers": make_answers(personal_data=False)},
                                       format="json")
    assert response.status_code == 400
    assert any("DPA is not needed" in m for m in _error(response)["fields"]["answers.personal_data"])


def test_answers_with_lone_surrogate_is_400_not_500(api, users, library):
    answers = make_answers(customer__name="bad \ud800 name")
    body = json.dumps({"doc_type": "sow", "answers": answers})  # ASCII, the surrogate escaped as \\ud800
    response = api(users.legal).post("/api/v1/drafts/", body, content_type="application/json")
    assert response.status_code == 400
    assert "answers.customer.name" in _error(response)["fields"]["answers"][0]


def test_generation_without_library_is_409(api, users):
    response = api(users.legal).post("/api/v1/drafts/", {"doc_type": "sow", "answers": make_answers()},
                                     format="json")
    assert response.status_code in (400, 409)  # positions refer to topics unknown without a library
    response = api(users.legal).post("/api/v1/drafts/", {"doc_type": "sow", "answers": make_answers(positions={})},
                                     format="json")
    assert response.status_code == 409 and "load the clause library" in _error(response)["message"]


def test_answers_problem_fields_maps_keys_and_keeps_keyless_problems():
    fields = answers_problem_fields(["customer.name: missing", "doc_type: must be one of sow, dpa (got 'x')",
                                     "answers: must be a JSON object (got list)", "something odd happened"])
    assert fields == {"answers.customer.name": ["missing"], "doc_type": ["must be one of sow, dpa (got 'x')"],
                      "answers": ["must be a JSON object (got list)", "something odd happened"]}


def test_download_of_a_draft_without_stored_file_is_404_not_500(api, users):
    draft = Draft.objects.create(doc_type="sow", answers={}, topics=[], template_key="sow", template_sha256="0" * 64)
    response = api(users.legal).get(f"/api/v1/drafts/{draft.pk}/download/")
    assert response.status_code == 404 and "generate it again" in _error(response)["message"]


def test_legal_edits_a_draft_version_but_not_an_approved_one(api, users, library):
    legal = api(users.legal)
    source = ClauseVersion.objects.filter(status="approved").order_by("pk").first()
    draft = legal.post(f"/api/v1/clause-versions/{source.pk}/new-draft/", {}, format="json").json()
    edited = legal.patch(f"/api/v1/clause-versions/{draft['id']}/", {"title": "Sharper title"}, format="json")
    assert edited.status_code == 200 and edited.json()["title"] == "Sharper title"
    assert edited.json()["text"] == source.text and edited.json()["number"] == draft["number"]
    refused = legal.patch(f"/api/v1/clause-versions/{source.pk}/", {"title": "Rewrite history"}, format="json")
    assert refused.status_code == 409 and "approved" in _error(refused)["message"]
    source.refresh_from_db()
    assert source.title != "Rewrite history"


def test_answers_json_schema_accepts_the_spec_example_and_refuses_unknown_keys():
    import jsonschema

    from clauses.answers import EXAMPLE_ANSWERS
    from clauses.api.serializers import answers_json_schema

    schema = answers_json_schema()
    jsonschema.validate(EXAMPLE_ANSWERS, schema)
    assert "subprocessors" not in schema["required"] and "governing_law" in schema["required"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**EXAMPLE_ANSWERS, "colour": "blue"}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(make_answers(engagement__deployment="on_the_moon"), schema)
