"""Generator pages: legal users preview and download; procurement users get 403."""
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from clauses.assembly import read_generated_metadata
from clauses.models import Draft
from clauses.services import catalogue_load
from tests.clauses.generator_helpers import docx_paragraphs, make_answers

pytestmark = pytest.mark.django_db


def user_in(group):
    user = get_user_model().objects.create_user(group, password="pw-123456")
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def legal_client(client):
    catalogue_load()
    client.force_login(user_in("legal"))
    return client


def post_answers(client, url, doc_type, answers):
    return client.post(url, {"doc_type": doc_type, "answers": json.dumps(answers, ensure_ascii=False)})


def test_legal_user_sees_the_prefilled_form(legal_client):
    response = legal_client.get(reverse("clauses:generator"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Northwind Health &amp; Care Ltd" in body  # JSON example in the textarea, HTML-escaped once
    assert "security.artifact_integrity" in body and "engagement.deployment is self_hosted or hybrid" in body


def test_preview_lists_included_clauses_with_values(legal_client):
    response = post_answers(legal_client, reverse("clauses:generator"), "dpa",
                            make_answers(customer__name="Smith & Jones <UK>"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Preview: Data Processing Agreement" in body
    assert "Smith &amp; Jones &lt;UK&gt;" in body and "<UK>" not in body
    assert "within 48 hours" in body and "input.human_review" in body
    assert "derivatives.ownership" not in body  # not a DPA topic


def test_preview_shows_every_problem(legal_client):
    response = post_answers(legal_client, reverse("clauses:generator"), "dpa",
                            make_answers(personal_data=False, retention_days=-1))
    assert response.status_code == 400
    body = response.content.decode()
    assert "2 problems in the answers" in body
    assert "retention_days: must be at least 1 (got -1)" in body and "personal_data: is false" in body


def test_invalid_json_is_a_form_error(legal_client):
    response = legal_client.post(reverse("clauses:generator"), {"doc_type": "sow", "answers": "{oops"})
    assert response.status_code == 400
    assert "Not valid JSON" in response.content.decode()


def test_legal_user_downloads_the_docx_and_the_draft_is_recorded(legal_client):
    response = post_answers(legal_client, reverse("clauses:generate"), "sow", make_answers())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"].startswith('attachment; filename="sow-')
    data = b"".join(response.streaming_content)
    draft = Draft.objects.get()
    assert draft.created_by.username == "legal"
    assert read_generated_metadata(data)["draft_id"] == draft.pk
    assert "(2) Example AI <Labs> Inc. (the \u201cProvider\u201d), whose address is:" in docx_paragraphs(data)
    again = legal_client.get(reverse("clauses:draft_download", args=[draft.pk]))
    assert again.status_code == 200 and b"".join(again.streaming_content) == data


@pytest.mark.parametrize("name, method", [("clauses:generator", "get"), ("clauses:generate", "post")])
def test_procurement_user_is_forbidden(client, name, method):
    catalogue_load()
    client.force_login(user_in("procurement"))
    response = getattr(client, method)(reverse(name), {"doc_type": "sow", "answers": json.dumps(make_answers())})
    assert response.status_code == 403
    assert not Draft.objects.exists()


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("clauses:generator"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_legal_staff_can_approve_a_draft_in_the_admin(legal_client):
    from clauses.models import Clause, ClauseVersion
    user = get_user_model().objects.get(username="legal")
    user.is_staff = True
    user.save()
    clause = Clause.objects.get(topic_id="liability.cap", position="fallback")
    response = legal_client.post(reverse("admin:clauses_clauseversion_add"), {
        "clause": clause.pk, "title": "Limitation of liability",
        "text": "The Provider's total liability under this Agreement shall not exceed {{ liability_cap }}.",
        "defined_terms": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = ClauseVersion.objects.get(clause=clause, status="draft")
    assert (draft.number, draft.created_by, draft.defined_terms) == (2, user, ["Agreement"])
    approved = ClauseVersion.objects.get(clause=clause, number=1)
    assert legal_client.get(reverse("admin:clauses_clauseversion_change", args=[approved.pk])).status_code == 200
    response = legal_client.post(reverse("admin:clauses_clauseversion_changelist"),
                                 {"action": "approve", "_selected_action": [draft.pk]})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by) == ("approved", user)
