"""Tokens (api_token command, revocation), the OpenAPI schema and docs pages, and the error handler."""
import io
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from rest_framework import exceptions
from rest_framework.authtoken.models import Token

from procurement.api.errors import error_body, exception_handler
from procurement.uploads import UploadTooLarge

pytestmark = pytest.mark.django_db


# --- tokens ------------------------------------------------------------------------------------------

def _token_command(*args) -> str:
    out = io.StringIO()
    call_command("api_token", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_api_token_prints_the_same_token_until_rotated(users):
    first = _token_command("lawyer")
    assert re.fullmatch(r"[0-9a-f]{40}", first) and Token.objects.get(user=users.legal).key == first
    assert _token_command("lawyer") == first
    rotated = _token_command("lawyer", "--rotate")
    assert rotated != first and Token.objects.filter(user=users.legal).count() == 1


def test_api_token_unknown_or_inactive_user_is_an_error(users):
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        _token_command("ghost")
    users.legal.is_active = False
    users.legal.save()
    with pytest.raises(CommandError, match="inactive"):
        _token_command("lawyer")


def test_rotated_or_revoked_token_stops_working_at_once(client, users):
    old = _token_command("boss")
    headers = {"HTTP_AUTHORIZATION": f"Token {old}"}
    assert client.get("/api/v1/me/", **headers).json()["roles"] == ["manager"]
    new = _token_command("boss", "--rotate")
    assert client.get("/api/v1/me/", **headers).status_code == 401
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {new}").status_code == 200
    Token.objects.filter(user=users.manager).delete()  # what the admin's delete does
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {new}").status_code == 401


def test_an_admin_revokes_a_token_in_the_django_admin(admin_client, client, users):
    key = _token_command("boss")
    assert admin_client.get("/admin/authtoken/tokenproxy/").status_code == 200
    response = admin_client.post(f"/admin/authtoken/tokenproxy/{users.manager.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Token.objects.filter(key=key).exists()
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


# --- schema and docs ---------------------------------------------------------------------------------

def test_schema_generates_without_warnings_or_errors(tmp_path):
    target = tmp_path / "schema.yaml"
    # --fail-on-warn raises SchemaGenerationError on any warning; --validate checks against OpenAPI 3.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "/api/v1/contracts/{id}/transition/:" in text or "/api/v1/contracts/{pk}/transition/:" in text


def test_schema_endpoint_serves_openapi_json(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.") and "/api/v1/scans/{scan_id}/report/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


@pytest.mark.parametrize("url", ["/api/schema/swagger-ui/", "/api/schema/redoc/"])
def test_docs_pages_load_everything_from_the_product(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "no CDN: every asset from the product"
    assert not re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline script (CSP script-src 'self')"
    scripts = [src.replace("&amp;", "&") for src in re.findall(r'<script src="([^"]+)"', html)]
    assert scripts
    for src in scripts:  # shipped static files (drf-spectacular-sidecar) or the page's own script view
        if src.startswith("/static/"):
            assert finders.find(src.removeprefix("/static/")), src
        else:
            assert client.get(src).status_code == 200, src
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy + ";"


# --- error handler -----------------------------------------------------------------------------------

def test_validation_errors_are_flattened_with_dotted_names():
    exc = exceptions.ValidationError({"a": ["bad"], "b": {"c": ["worse"]}, "items": [{"x": ["no"]}, {}],
                                      "non_field_errors": ["both wrong"]})
    response = exception_handler(exc, {})
    assert response.status_code == 400
    assert response.data == {"error": {"code": "invalid", "message": "both wrong", "fields": {
        "a": ["bad"], "b.c": ["worse"], "items[0].x": ["no"]}}}


def test_upload_too_large_raised_while_parsing_becomes_413():
    response = exception_handler(UploadTooLarge(), {})
    assert response.status_code == 413 and response.data["error"]["code"] == "upload_too_large"


def test_unknown_exceptions_are_left_to_django_as_500():
    assert exception_handler(RuntimeError("boom"), {}) is None


def test_error_body_escapes_lone_surrogates_echoed_from_input():
    body = error_body(code="invalid", message="bad \ud800", fields={"k\udfff": ["v\ud800"]})
    json.dumps(body).encode()
    assert json.dumps(body, ensure_ascii=False).encode("utf-8")
    assert body["error"]["message"] == "bad \\ud800"


def test_choice_echoing_a_surrogate_is_400_not_500(api, users, scanned_contract):
    body = json.dumps({"to_status": "\ud800"})
    response = api(users.legal).post(f"/api/v1/contracts/{scanned_contract.pk}/transition/", body,
                                     content_type="application/json")
    assert response.status_code == 400 and "to_status" in response.json()["error"]["fields"]
