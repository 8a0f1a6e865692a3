"""Every API endpoint for every role: the expected status code of each cell (issue 5).

Roles as in the page matrix (tests/procurement/test_permissions.py): anonymous → 401 (token auth first,
`WWW-Authenticate: Token`); a signed-in user whose role may not act → 403; a procurement user outside
the uploader's team → 403 on that contract; allowed → the endpoint's success code (or the 409/400 the
state or the input calls for, which shows the permission check passed first).
"""
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from clauses.models import Clause, ClauseVersion, Draft, Topic
from procurement.models import Finding
from tests.procurement.conftest import SAMPLE_TEXT

pytestmark = pytest.mark.django_db

ROLES = ("anon", "procurement", "outsider", "legal", "manager", "norole", "admin")
EVERYONE = ROLES[1:]


def _expect(ok: int, allowed, *, refused: int = 403, anon: int = 401) -> dict:
    """Return {role: status}: `ok` for `allowed`, `refused` for other signed-in roles, 401 anonymous."""
    table = {role: (ok if role in allowed else refused) for role in EVERYONE}
    table["anon"] = anon
    return table


ANY_ROLE = {"procurement", "outsider", "legal", "manager", "admin"}
VIEWERS = {"procurement", "legal", "manager", "admin"}  # of the contract uploaded by "procurement"
UPLOADERS = {"procurement", "outsider", "admin"}
LEGAL = {"legal", "admin"}
MANAGER = {"manager", "admin"}
LEGAL_OR_MANAGER = {"legal", "manager", "admin"}


def _new_file(role):
    return {"vendor": "Zeta", "title": "New deal", "file": SimpleUploadedFile(
        "z.txt", f"1. Terms\nFresh text uploaded by {role}.\n".encode())}


def _new_version(role):
    return {"file": SimpleUploadedFile("v2.txt", SAMPLE_TEXT.encode() + f"\n4. More\nBy {role}.".encode())}


# (name, method, url template, body(role) or None, request format, {role: expected status})
MATRIX = [
    ("me", "get", "/api/v1/me/", None, None, _expect(200, EVERYONE)),
    ("vendors", "get", "/api/v1/vendors/", None, None, _expect(200, ANY_ROLE)),
    ("contract list", "get", "/api/v1/contracts/", None, None, _expect(200, ANY_ROLE)),
    ("upload", "post", "/api/v1/contracts/", _new_file, "multipart", _expect(201, UPLOADERS)),
    ("contract detail", "get", "/api/v1/contracts/{c}/", None, None, _expect(200, VIEWERS)),
    ("versions", "get", "/api/v1/contracts/{c}/versions/", None, None, _expect(200, VIEWERS)),
    ("new version", "post", "/api/v1/contracts/{c}/versions/", _new_version, "multipart",
     _expect(201, {"procurement", "admin"})),
    ("version file", "get", "/api/v1/contracts/{c}/versions/1/file/", None, None, _expect(200, VIEWERS)),
    ("version text", "get", "/api/v1/contracts/{c}/versions/1/text/", None, None, _expect(200, VIEWERS)),
    ("contract scans", "get", "/api/v1/contracts/{c}/scans/", None, None, _expect(200, VIEWERS)),
    ("rescan", "post", "/api/v1/contracts/{c}/rescan/", None, "json", _expect(202, LEGAL_OR_MANAGER)),
    ("retry (not failed: 409)", "post", "/api/v1/contracts/{c}/retry/", None, "json", _expect(409, VIEWERS)),
    ("findings", "get", "/api/v1/contracts/{c}/findings/", None, None, _expect(200, VIEWERS)),
    ("transition", "post", "/api/v1/contracts/{c}/transition/", lambda r: {"to_status": "in_review"}, "json",
     _expect(200, LEGAL)),
    ("assign", "post", "/api/v1/contracts/{c}/assign/", lambda r: {"assignee": None, "due_date": "2030-01-01"},
     "json", _expect(200, MANAGER)),
    ("comments", "get", "/api/v1/contracts/{c}/comments/", None, None, _expect(200, VIEWERS)),
    ("comment", "post", "/api/v1/contracts/{c}/comments/", lambda r: {"body": f"note from {r}"}, "json",
     _expect(201, VIEWERS)),
    ("history", "get", "/api/v1/contracts/{c}/history/", None, None, _expect(200, VIEWERS)),
    ("delete data", "post", "/api/v1/contracts/{c}/delete-data/", lambda r: {"confirm": "delete"}, "json",
     _expect(200, MANAGER)),
    ("export csv", "get", "/api/v1/contracts/{c}/export.csv", None, None, _expect(200, VIEWERS)),
    ("letter docx", "get", "/api/v1/contracts/{c}/letter.docx", None, None, _expect(200, VIEWERS)),
    ("false positives", "get", "/api/v1/false-positives.jsonl", None, None, _expect(200, LEGAL_OR_MANAGER)),
    ("dashboard", "get", "/api/v1/dashboard/", None, None, _expect(200, MANAGER)),
    ("scan status", "get", "/api/v1/scans/{s}/", None, None, _expect(200, VIEWERS)),
    ("scan report", "get", "/api/v1/scans/{s}/report/", None, None, _expect(200, VIEWERS)),
    ("finding", "get", "/api/v1/findings/{f}/", None, None, _expect(200, VIEWERS)),
    ("decide finding", "post", "/api/v1/findings/{f}/decision/", lambda r: {"decision": "resolved"}, "json",
     _expect(200, LEGAL)),
    ("topics", "get", "/api/v1/topics/", None, None, _expect(200, ANY_ROLE)),
    ("topic", "get", "/api/v1/topics/{t}/", None, None, _expect(200, ANY_ROLE)),
    ("clauses", "get", "/api/v1/clauses/", None, None, _expect(200, ANY_ROLE)),
    ("clause", "get", "/api/v1/clauses/{k}/", None, None, _expect(200, ANY_ROLE)),
    ("clause versions", "get", "/api/v1/clauses/{k}/versions/", None, None, _expect(200, ANY_ROLE)),
    ("clause version", "get", "/api/v1/clause-versions/{v}/", None, None, _expect(200, ANY_ROLE)),
    ("edit clause draft", "patch", "/api/v1/clause-versions/{d}/", lambda r: {"title": f"Edited by {r}"}, "json",
     _expect(200, LEGAL)),
    ("new clause draft", "post", "/api/v1/clause-versions/{v}/new-draft/", lambda r: {}, "json",
     _expect(201, LEGAL)),
    ("approve clause draft", "post", "/api/v1/clause-versions/{d}/approve/", None, "json", _expect(200, LEGAL)),
    ("drafts", "get", "/api/v1/drafts/", None, None, _expect(200, LEGAL_OR_MANAGER)),
    ("generate (invalid answers: 400)", "post", "/api/v1/drafts/", lambda r: {"doc_type": "sow", "answers": {}},
     "json", _expect(400, LEGAL_OR_MANAGER)),
    ("draft", "get", "/api/v1/drafts/{dr}/", None, None, _expect(200, LEGAL_OR_MANAGER)),
    ("draft download", "get", "/api/v1/drafts/{dr}/download/", None, None, _expect(200, LEGAL_OR_MANAGER)),
]


@pytest.fixture
def world(users, scanned_contract):
    """The role users, a scanned contract of `users.procurement` with findings, and a small library."""
    admin = get_user_model().objects.create_superuser("root", password="pw-root-2026")
    topic = Topic.objects.create(id="input.no_training", group="input", title="No training on inputs",
                                 favourable="f", conflicting="c", profiles={}, default_severity="high", order=1)
    clause = Clause.objects.create(topic=topic, position="preferred")
    approved = ClauseVersion.objects.create(clause=clause, number=1, status="approved", title="No training",
                                            text="The Provider shall not train models on Customer Data.",
                                            defined_terms=["Customer Data"])
    draft_version = ClauseVersion.objects.create(clause=clause, number=2, title="No training (v2)",
                                                 text="The Provider shall not use Customer Data for training.",
                                                 defined_terms=["Customer Data"])
    draft = Draft.objects.create(doc_type="sow", answers={}, topics=[], template_key="sow", template_sha256="0" * 64)
    draft.file.save("sow.docx", ContentFile(b"PK fake docx bytes"), save=True)
    scan = scanned_contract.current_scan
    finding = Finding.objects.filter(scan=scan).order_by("pk").first()
    people = {"anon": None, "procurement": users.procurement, "outsider": users.outsider, "legal": users.legal,
              "manager": users.manager, "norole": users.nobody, "admin": admin}
    ids = {"c": scanned_contract.pk, "s": scan.pk, "f": finding.pk, "t": topic.pk, "k": clause.pk,
           "v": approved.pk, "d": draft_version.pk, "dr": draft.pk}
    return SimpleNamespace(people=people, ids=ids)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,method,url,body,fmt,expected", MATRIX, ids=[row[0] for row in MATRIX])
def test_endpoint_status_for_role(api, world, name, method, url, body, fmt, expected, role):
    client = api(world.people[role])
    kwargs = {}
    if body is not None or method in ("post", "patch"):
        kwargs = {"data": body(role) if body else {}, "format": fmt}
    response = getattr(client, method)(url.format(**world.ids), **kwargs)
    assert response.status_code == expected[role], (name, role, getattr(response, "data", None))
    if response.status_code >= 400:
        error = response.json()["error"]
        assert set(error) == {"code", "message", "fields"} and error["message"]
    if response.status_code == 401:
        assert response["WWW-Authenticate"] == "Token"


def test_matrix_covers_every_api_route():
    """A new endpoint without a row here fails: every route under /api/v1/ appears in MATRIX."""
    from django.urls import get_resolver

    routes = set()
    for pattern in get_resolver().url_patterns:
        if str(pattern.pattern) == "api/v1/":
            routes = {str(p.pattern) for p in pattern.url_patterns}
    covered = set()
    for _name, _method, url, *_ in MATRIX:
        path = url.removeprefix("/api/v1/")
        for route in routes:
            import re

            regex = "^" + re.sub(r"<[^>]+>", "[^/]+", route) + "$"
            if re.match(regex, path.replace("{", "").replace("}", "")):
                covered.add(route)
    assert routes and routes - covered == set()
