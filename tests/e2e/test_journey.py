"""The main journey in a real browser against the live server, with the real extraction and checker:
procurement logs in → uploads → scan completes → legal logs in → opens report → decides findings →
approves; manager → dashboard. Screenshots go to tests/artifacts/."""
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from docx import Document

from procurement.models import Contract
from procurement.roles import LEGAL, MANAGER, PROCUREMENT, roles_ensure
from tests.e2e.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "e2e-pass-2026"


def _users():
    call_command("load_catalogue", stdout=io.StringIO())  # topics + clause library (the wording on the report)
    roles_ensure()
    User = get_user_model()
    made = {}
    for username, role in (("pat", PROCUREMENT), ("lee", LEGAL), ("max", MANAGER)):
        user = User.objects.create_user(username=username, password=PASSWORD)
        user.groups.add(Group.objects.get(name=role))
        made[role] = user
    return made


def _sample_docx(tmp_path):
    """A short vendor contract of our own words as .docx (headings numbered like a real one)."""
    doc = Document()
    doc.add_heading("Hosted Model Service Terms", level=1)
    for para in (
        "1. Services. The provider supplies a hosted text model to the customer through an API.",
        "2. Data. The provider may use customer content to improve its models. "
        "The provider retains data indefinitely. All data is encrypted at rest and in transit.",
        "3. Changes. The provider may change these terms at any time by posting them online.",
    ):
        doc.add_paragraph(para)
    path = tmp_path / "acme-hosted-terms.docx"
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(buf.getvalue())
    return path


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def _logout(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def test_procurement_upload_legal_review_approve_manager_dashboard(page, live_server, tmp_path):
    users = _users()
    base = live_server.url

    # --- procurement uploads -----------------------------------------------------------------------
    _login(page, base, "pat")
    shot(page, "01-procurement-contracts-empty")
    page.get_by_role("link", name="Upload", exact=True).click()
    page.get_by_label("New vendor name").fill("Acme AI Ltd")
    page.get_by_label("Engagement title").fill("Support chatbot")
    page.get_by_label("File", exact=True).set_input_files(str(_sample_docx(tmp_path)))
    shot(page, "02-upload-form")
    page.get_by_role("button", name="Upload and scan").click()
    # Embedded default: the scan ran in-process; otherwise the page polls until the report is there.
    page.get_by_role("heading", name="Coverage by topic").wait_for(timeout=90_000)
    contract = Contract.objects.get()
    assert contract.status == "needs_review"
    assert page.locator("#contract-status").inner_text() == "Needs review"
    assert page.locator("mark.hl-conflict").count() >= 2
    shot(page, "03-report-procurement")
    assert page.locator("form.decision-form").count() == 0  # procurement does not decide
    _logout(page)

    # --- manager assigns a legal reviewer ------------------------------------------------------------
    _login(page, base, "max")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Contracts").click()
    page.get_by_role("link", name="Support chatbot").click()
    page.get_by_label("Legal reviewer").select_option(label="lee")
    page.get_by_label("Due date").fill("2030-06-30")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "Reviewer and due date saved." in page.locator(".messages").inner_text()
    assert "reviewer lee" in page.locator(".meta").inner_text()
    _logout(page)

    # --- legal reviews -----------------------------------------------------------------------------
    _login(page, base, "lee")
    page.get_by_role("link", name="Support chatbot").click()
    assert page.locator(".clause-text").count() >= 2  # library wording shown, copyable
    shot(page, "04-report-legal")
    page.get_by_role("button", name="Start review").click()
    assert page.locator("#contract-status").inner_text() == "In review"
    page.get_by_role("button", name="Approve").click()
    assert "high-severity" in page.locator(".messages").inner_text()
    findings = page.locator("article.finding")
    n = findings.count()
    assert n >= 2
    for i in range(n):
        form = page.locator("article.finding form.decision-form").nth(i)
        topic = page.locator("article.finding").nth(i).locator("code.tid").first.inner_text()
        form.get_by_label("Decision").select_option("change_requested")
        form.get_by_label("Comment").fill(f"Please use our wording for {topic}")
        form.get_by_role("button", name="Save decision").click()
        page.wait_for_load_state()
        assert "Change requested" in page.locator(".messages").inner_text()
    shot(page, "05-findings-decided")
    page.get_by_label("Note (optional)").fill("Approved subject to the requested changes")
    page.get_by_role("button", name="Approve").click()
    assert page.locator("#contract-status").inner_text() == "Approved"
    shot(page, "06-approved")
    with page.expect_download() as dl:
        page.get_by_role("link", name="Letter to vendor (.docx)").click()
    letter = Document(dl.value.path())
    assert "Requested changes — Support chatbot" in "\n".join(p.text for p in letter.paragraphs)
    page.get_by_role("link", name="History").click()
    history = page.locator("table").inner_text()
    assert "In review → Approved" in history and "Finding decided" in history
    shot(page, "07-history")
    _logout(page)

    # --- manager dashboard -------------------------------------------------------------------------
    _login(page, base, "max")
    assert page.get_by_role("heading", name="Review dashboard").is_visible()
    assert page.locator("svg.chart rect").count() == 8
    assert page.locator("#open-high-count").inner_text() == "0"
    assert "lee" in page.locator("section[aria-labelledby=reviewer-h]").inner_text()
    shot(page, "08-dashboard")
    errors = [e for e in page.errors if "favicon" not in e and "404" not in e]
    assert errors == [], errors
    assert Contract.objects.get().status == "approved"
    assert users[LEGAL].pk == Contract.objects.get().events.filter(to_status="approved").get().actor_id


def test_contract_page_polls_until_a_background_scan_finishes(page, live_server, monkeypatch):
    """With a real broker the scan finishes after the upload: the page polls status.json (static JS) and
    shows the report by itself. Here the enqueue is held back and the scan is run by the test."""
    from procurement import reliability, services
    from tests.procurement.conftest import SAMPLE_TEXT

    users = _users()
    monkeypatch.setattr(reliability, "scan_enqueue", lambda scan_id, **kw: False)  # message "lost" until we run it
    result = services.contract_upload(vendor_name="Slow Vendor", title="Polling check", profile="auto",
                                      data=SAMPLE_TEXT.encode(), filename="slow.txt", actor=users[PROCUREMENT])
    _login(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/contracts/{result.contract.pk}/")
    assert page.get_by_role("heading", name="Scanning…").is_visible()
    shot(page, "09-scanning-progress")
    assert services.scan_run(scan_id=result.contract.current_scan_id) == "succeeded"
    page.get_by_role("heading", name="Coverage by topic").wait_for(timeout=60_000)
    assert page.locator("#contract-status").inner_text() == "Needs review"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Contracts").click()
    assert "Polling check" in page.locator("table.list").inner_text()
    shot(page, "10-contract-list")
    errors = [e for e in page.errors if "favicon" not in e and "404" not in e]
    assert errors == [], errors
