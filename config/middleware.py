"""Project middleware: turn a stored file that cannot be decrypted into a clear page, not a traceback."""
import logging

from django.http import JsonResponse
from django.shortcuts import render

from procurement.storage import FileDecryptionError

logger = logging.getLogger("config.security")


class FileDecryptionErrorMiddleware:
    """Answer `FileDecryptionError` with HTTP 503 and a one-line explanation (HTML, or JSON under /api/).

    503 because the server is misconfigured (a missing key), not the request wrong; the operator's fix is
    in the log line and in README "Security". The page shows no stored name or key material.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        """Handle only FileDecryptionError; every other exception goes on to Django's handling."""
        if not isinstance(exception, FileDecryptionError):
            return None
        logger.error("stored file unreadable on %s: %s", request.path, exception)
        message = ("This document's stored file cannot be decrypted with the server's current keys. "
                   "An administrator must restore the missing FILE_ENCRYPTION_KEYS entry.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=503)
        return render(request, "file_unreadable.html", {"message": message}, status=503)
