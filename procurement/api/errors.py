"""One error body for the whole REST API (issue 5), set as REST_FRAMEWORK["EXCEPTION_HANDLER"].

Every error answer is::

    {"error": {"code": "invalid", "message": "One line for people.", "fields": {"file": ["..."]}}}

`code` is stable and machine-readable (DRF's error code: "invalid", "not_authenticated",
"permission_denied", "not_found", "conflict", "upload_too_large", "unsupported_media_type", ...);
`fields` maps each offending input (nested ones dotted: "answers.customer.name") to its messages and is
``{}`` when the error is not about particular fields. Status codes: 400 invalid input, 401 no or bad
token, 403 the role may not, 404 unknown id, 409 the state forbids it (a disallowed transition, approval
blocked by open high findings, a report that does not exist yet), 413 too large, 415 not a supported
document type, 429 over a request-rate limit (procurement/api/throttles.py, with Retry-After), 503 a stored file the server's keys cannot decrypt (FileDecryptionError).

The handler is generic: `clauses.api` raises plain DRF exceptions (or its own APIException subclasses)
and never imports this module.
"""
from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from procurement.storage import FileDecryptionError
from procurement.uploads import UploadTooLarge, upload_limit

logger = logging.getLogger("config.security")


class Conflict(exceptions.APIException):
    """409: the request is well-formed but the current state refuses it."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The current state of the resource does not allow this."
    default_code = "conflict"


class FileUnavailable(exceptions.APIException):
    """503: a stored file cannot be decrypted with the configured keys (a server configuration problem)."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = ("This document's stored file cannot be decrypted with the server's current keys. "
                      "An administrator must restore the missing FILE_ENCRYPTION_KEYS entry.")
    default_code = "file_unavailable"


class PayloadTooLarge(exceptions.APIException):
    """413: the request body or the uploaded file is over UPLOAD_MAX_BYTES."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The upload is too large."
    default_code = "upload_too_large"


class UnsupportedDocument(exceptions.APIException):
    """415: the uploaded file's content is not a document type the checker reads."""

    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    default_detail = "The file is not a supported document type."
    default_code = "unsupported_media_type"


def payload_too_large() -> PayloadTooLarge:
    """Return the 413 exception with the configured limit in its message."""
    mb = upload_limit() / (1024 * 1024)
    return PayloadTooLarge(f"The upload is larger than the {mb:g} MB limit (UPLOAD_MAX_BYTES); "
                           "upload a smaller file (e.g. without images) or split it.")


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested ValidationError detail into {"a.b": [messages]} (list items as "a[0].b")."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for k, v in _flatten(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            out.setdefault(prefix or "non_field_errors", []).extend(str(item) for item in detail)
        else:
            for i, item in enumerate(detail):
                for k, v in _flatten(item, f"{prefix}[{i}]").items():
                    out.setdefault(k, []).extend(v)
    elif detail is not None:
        out.setdefault(prefix or "non_field_errors", []).append(str(detail))
    return out


def _first_code(codes) -> str:
    if isinstance(codes, dict):
        for value in codes.values():
            return _first_code(value)
        return "invalid"
    if isinstance(codes, list):
        return _first_code(codes[0]) if codes else "invalid"
    return str(codes or "error")


def _printable(text) -> str:
    # Messages may echo input; a lone surrogate in it would make the JSON renderer fail (a 500).
    return str(text).encode("utf-8", "backslashreplace").decode("utf-8")


def error_body(*, code: str, message: str, fields: dict | None = None) -> dict:
    """Return the API's error body (the shape documented in this module's docstring)."""
    fields = {_printable(k): [_printable(m) for m in v] for k, v in (fields or {}).items()}
    return {"error": {"code": _printable(code), "message": _printable(message), "fields": fields}}


def exception_handler(exc, context):
    """DRF EXCEPTION_HANDLER: DRF's own handling (status, WWW-Authenticate, Retry-After), then our body.

    UploadTooLarge (raised by procurement.uploads.SizeLimitedUploadHandler while the body is parsed,
    possibly during the CSRF check of session authentication) becomes 413. Unknown exceptions return
    None so Django logs them and answers 500.
    """
    if isinstance(exc, UploadTooLarge):
        exc = payload_too_large()
    elif isinstance(exc, FileDecryptionError):
        logger.error("stored file unreadable: %s", exc)  # the operator's clue; the client gets one line
        exc = FileUnavailable()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, exceptions.Throttled):
        wait = max(1, int(exc.wait or 1))
        # DRF appends "Expected available in N seconds." to the detail
        exc = exceptions.Throttled(wait=wait, detail=(
            "Too many requests from this account; wait and retry (Retry-After gives the seconds)."))
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        non_field = fields.pop("non_field_errors", [])
        message = " ".join(non_field) or "The input is not valid; see the fields."
        code = "invalid"
    else:
        detail = exc.detail
        message = (" ".join(_flatten(detail).get("non_field_errors", [])) if isinstance(detail, (list, dict))
                   else str(detail))
        code = _first_code(exc.get_codes())
        fields = {}
    response.data = error_body(code=code, message=message, fields=fields)
    return response


def error_response(*, status_code: int, code: str, message: str, fields: dict | None = None) -> Response:
    """Return a Response with the error body (for views that answer an error without raising)."""
    return Response(error_body(code=code, message=message, fields=fields), status=status_code)
