"""New-user trial findings: error pages, upload sniffing, message wording, noise, reviewer choices."""
import logging

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_403_page_shows_reason_nav_and_home_link(client, users):
    client.force_login(users.procurement)
    response = client.get(reverse("procurement:dashboard"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "The dashboard is for managers." in body
    assert '<nav aria-label="Main">' in body and reverse("procurement:contract_list") in body
    assert '<a href="/">Back to the start page</a>' in body


@pytest.mark.django_db
def test_403_for_another_teams_contract_says_why(client, users, scanned_contract):
    client.force_login(users.outsider)
    response = client.get(reverse("procurement:contract_detail", args=[scanned_contract.pk]))
    assert response.status_code == 403
    assert "You may not see or change this contract" in response.content.decode()


@pytest.mark.django_db
def test_404_page_extends_base(client, users):
    client.force_login(users.legal)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Not found" in body and '<nav aria-label="Main">' in body and "/no-such-page/" in body


@pytest.mark.django_db
def test_403_logs_one_warning_line_without_traceback(client, users, caplog):
    client.force_login(users.procurement)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(reverse("procurement:dashboard"))
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].getMessage() == "Forbidden (Permission denied): /dashboard/"
    assert records[0].exc_info is None


def test_django_logger_has_no_second_handler():
    """Django's own console handler (DEBUG) would print every django.request record a second time."""
    assert logging.getLogger("django").handlers == []


def test_5xx_records_keep_their_traceback():
    from config.logging import DropClientErrorTraceback

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys
        exc = sys.exc_info()
    record = logging.LogRecord("django.request", logging.ERROR, "x", 1, "Internal Server Error", (), exc)
    record.status_code = 500
    DropClientErrorTraceback().filter(record)
    assert record.exc_info is exc
    record.status_code = 403
    DropClientErrorTraceback().filter(record)
    assert record.exc_info is None


PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.django_db
def test_web_upload_refuses_png_renamed_docx_and_creates_nothing(client, users, fake_scanner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from procurement.models import Contract, Vendor

    client.force_login(users.procurement)
    response = client.post(reverse("procurement:contract_upload"), {
        "new_vendor": "Pixel Corp", "title": "Image deal", "profile": "auto",
        "file": SimpleUploadedFile("terms.docx", PNG_BYTES)})
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors == ["“terms.docx” cannot be scanned: the file is a PNG image, not a document; upload a "
                      "text-based PDF or the .docx (OCR is not enabled)."]
    assert "the file is a PNG image" in response.content.decode()
    assert not Vendor.objects.filter(name="Pixel Corp").exists()
    assert Contract.objects.count() == 0
    assert fake_scanner == []


@pytest.mark.django_db
def test_web_version_upload_refuses_png_and_keeps_one_version(client, users, scanned_contract):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users.procurement)
    response = client.post(reverse("procurement:contract_version_upload", args=[scanned_contract.pk]),
                           {"file": SimpleUploadedFile("v2.docx", PNG_BYTES)}, follow=True)
    assert "the file is a PNG image" in response.content.decode()
    assert scanned_contract.versions.count() == 1


def test_api_and_web_share_one_sniffing_function():
    from procurement import forms, uploads
    from procurement.api import services_extra

    assert services_extra.upload_sniff is uploads.upload_sniff is forms.upload_sniff
    with pytest.raises(uploads.UnsupportedUpload, match="PNG image"):
        uploads.upload_sniff(data=PNG_BYTES, filename="x.docx")
    assert uploads.upload_sniff(data=b"1. Terms\nPlain words.\n", filename="x.txt") == "txt"


@pytest.mark.django_db(transaction=True)
def test_version_upload_message_says_scanned_when_embedded_scan_finished(client, users, fake_scanner):
    """No atomic test wrapper: on_commit runs the eager scan inside the request, as under `make run`."""
    from django.contrib.messages import get_messages
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.procurement.conftest import SAMPLE_TEXT

    client.force_login(users.procurement)
    client.post(reverse("procurement:contract_upload"), {
        "new_vendor": "Acme AI", "title": "Chat", "profile": "auto",
        "file": SimpleUploadedFile("v1.txt", SAMPLE_TEXT.encode())})
    from procurement.models import Contract
    contract = Contract.objects.get()
    response = client.post(reverse("procurement:contract_version_upload", args=[contract.pk]),
                           {"file": SimpleUploadedFile("v2.txt", SAMPLE_TEXT.encode() + b"\n4. More\nAdded.\n")})
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == ["Uploaded and scanned.", "Version 2 uploaded and scanned."]


@pytest.mark.django_db
def test_upload_message_follows_scan_state(scanned_contract):
    from procurement.views import _uploaded_message

    version = scanned_contract.current_version
    scan = version.scans.get()
    assert _uploaded_message(version, "Version 1 uploaded") == "Version 1 uploaded and scanned."
    scan.status = "queued"
    scan.save(update_fields=["status"])
    assert _uploaded_message(version, "Version 1 uploaded") == "Version 1 uploaded; it is being scanned."
    scan.status = "failed"
    scan.save(update_fields=["status"])
    assert _uploaded_message(version, "Uploaded") == "Uploaded, but the scan failed; the reason is shown below."


@pytest.mark.django_db
def test_letter_without_requested_changes_is_coherent_and_named_letter(client, users, scanned_contract):
    import io

    from docx import Document

    client.force_login(users.legal)
    response = client.get(reverse("procurement:export_letter", args=[scanned_contract.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="acme-ai-chat-assistant-letter-to-vendor.docx"'
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Review of your terms — Chat assistant" in text
    assert "We have reviewed it and have no requested changes at this stage." in text
    assert "ask you to change" not in text and "Requested changes" not in text
    csv_response = client.get(reverse("procurement:export_csv", args=[scanned_contract.pk]))
    assert csv_response["Content-Disposition"] == 'attachment; filename="acme-ai-chat-assistant-issues.csv"'


@pytest.mark.django_db
def test_api_letter_has_the_same_name(client, users, scanned_contract):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=users.legal)
    response = client.get(reverse("api:contract-export-letter", args=[scanned_contract.pk]),
                          HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="acme-ai-chat-assistant-letter-to-vendor.docx"'


def test_axes_logger_is_quiet_and_broker_is_in_memory_when_embedded():
    from django.conf import settings as live

    assert logging.getLogger("axes").getEffectiveLevel() == logging.WARNING
    import importlib
    import os
    from unittest import mock

    with mock.patch.dict(os.environ, {}, clear=False):
        os.environ.pop("CELERY_BROKER_URL", None)
        import config.settings.base as base
        base = importlib.reload(base)
        assert base.CELERY_BROKER_URL == "memory://localhost/" and base.CELERY_TASK_ALWAYS_EAGER is True
        from kombu import Connection
        with mock.patch.object(logging.getLogger("kombu.connection"), "warning") as warn:
            Connection(base.CELERY_BROKER_URL).info()
        assert warn.call_count == 0
        os.environ["CELERY_BROKER_URL"] = "redis://127.0.0.1:6379/0"
        base = importlib.reload(base)
        assert base.CELERY_BROKER_URL == "redis://127.0.0.1:6379/0" and base.CELERY_TASK_ALWAYS_EAGER is False
    importlib.reload(base)
    assert live.CELERY_TASK_ALWAYS_EAGER is True


@pytest.mark.django_db
def test_pages_declare_a_favicon(client, users):
    client.force_login(users.legal)
    body = client.get(reverse("procurement:contract_list")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in body
    from django.contrib.staticfiles import finders
    assert finders.find("favicon.svg")


@pytest.mark.django_db
def test_superuser_outside_legal_is_not_offered_or_accepted_as_reviewer(users, scanned_contract):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from procurement import services
    from procurement.forms import AssignForm

    admin = get_user_model().objects.create_superuser("admin", "a@example.test", "pw")
    offered = [u.username for u in AssignForm().fields["assignee"].queryset]
    assert offered == ["lawyer", "lawyer2"]
    with pytest.raises(services.ReviewError, match="legal group"):
        services.contract_assign(contract_id=scanned_contract.pk, assignee_id=admin.pk, due_date=None,
                                 actor=users.manager)
    admin.groups.add(Group.objects.get(name="legal"))
    assert [u.username for u in AssignForm().fields["assignee"].queryset] == ["admin", "lawyer", "lawyer2"]


@pytest.mark.django_db
def test_assigning_a_past_due_date_is_refused_with_a_clear_message(client, users, scanned_contract):
    import datetime

    from django.contrib.messages import get_messages
    from django.utils import timezone

    client.force_login(users.manager)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(reverse("procurement:contract_assign", args=[scanned_contract.pk]),
                           {"assignee": users.legal.pk, "due_date": yesterday.isoformat()})
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == [f"The due date {yesterday.isoformat()} is in the past; choose today "
                     f"({timezone.localdate().isoformat()}) or a later date."]
    scanned_contract.refresh_from_db()
    assert scanned_contract.assignee is None and scanned_contract.due_date is None


@pytest.mark.django_db
def test_keeping_an_existing_overdue_date_while_changing_reviewer_is_allowed(users, scanned_contract):
    import datetime

    from django.utils import timezone

    from procurement import services
    from procurement.models import Contract

    past = timezone.localdate() - datetime.timedelta(days=3)
    Contract.objects.filter(pk=scanned_contract.pk).update(due_date=past)
    services.contract_assign(contract_id=scanned_contract.pk, assignee_id=users.legal2.pk, due_date=past,
                             actor=users.manager)
    scanned_contract.refresh_from_db()
    assert scanned_contract.assignee == users.legal2 and scanned_contract.due_date == past


def test_profile_choice_labels():
    from procurement.forms import UploadForm

    assert UploadForm.base_fields["profile"].choices == [
        ("auto", "Detect automatically"), ("model_license", "Model licence"),
        ("hosted_service", "Hosted AI service"), ("dpa", "DPA"), ("sow", "SOW")]


@pytest.mark.django_db
def test_api_token_on_a_database_without_tables_is_one_line(monkeypatch):
    from django.contrib.auth import get_user_model
    from django.core.management import CommandError, call_command
    from django.db import OperationalError

    def no_table(*args, **kwargs):
        raise OperationalError("no such table: auth_user")

    monkeypatch.setattr(get_user_model().objects, "filter", no_table)
    with pytest.raises(CommandError) as info:
        call_command("api_token", "procurement")
    assert str(info.value) == ("The database has no user tables (no such table: auth_user): run "
                               "`python manage.py migrate` first (and check DATABASE_URL names the server's database).")


@pytest.mark.django_db
def test_approve_warns_about_high_findings_awaiting_vendor_changes(client, users, scanned_contract):
    from django.contrib.messages import get_messages

    from procurement import services

    scan = scanned_contract.current_scan
    highs = list(scan.findings.filter(severity="high").order_by("topic"))
    assert [f.topic for f in highs] == ["input.no_training", "input.retention"]
    for f in highs:
        services.finding_decide(finding_id=f.pk, decision="change_requested", actor=users.legal, comment="")
    services.contract_transition(contract_id=scanned_contract.pk, to_status="in_review", actor=users.legal)
    client.force_login(users.legal)
    page = client.get(reverse("procurement:contract_detail", args=[scanned_contract.pk])).content.decode()
    assert "approving now means approving with 2 high findings awaiting vendor changes" in page
    assert f'href="#finding-{highs[0].pk}"' in page and f'href="#finding-{highs[1].pk}"' in page
    response = client.post(reverse("procurement:contract_transition", args=[scanned_contract.pk]),
                           {"to_status": "approved", "note": ""})
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == ["Approved with 2 high findings awaiting vendor changes (decided “change requested”).",
                     "Status changed to “Approved”."]
    scanned_contract.refresh_from_db()
    assert scanned_contract.status == "approved"


@pytest.mark.django_db
def test_no_approve_warning_when_high_findings_are_resolved(client, users, scanned_contract):
    from procurement import services

    for f in scanned_contract.current_scan.findings.filter(severity="high"):
        services.finding_decide(finding_id=f.pk, decision="resolved", actor=users.legal, comment="")
    client.force_login(users.legal)
    page = client.get(reverse("procurement:contract_detail", args=[scanned_contract.pk])).content.decode()
    assert "awaiting vendor changes" not in page
