"""A size-limited upload handler: Django's FILE_UPLOAD_MAX_MEMORY_SIZE only picks memory vs temp file
and limits nothing (KNOWN-FAILURES "Uploads", Django ticket #37397). This one stops reading at
UPLOAD_MAX_BYTES and the view answers 413."""
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler

from procurement.extraction import ExtractionError, sniff_format

# Room for the other form fields and multipart boundaries when judging Content-Length up front.
FORM_OVERHEAD_BYTES = 64 * 1024


class UploadTooLarge(Exception):
    """The request body or an uploaded file exceeds UPLOAD_MAX_BYTES."""


class UnsupportedUpload(ValueError):
    """The uploaded content is not a document type extraction reads; str() says what it is and what to do."""


def upload_sniff(*, data: bytes, filename: str = "") -> str:
    """Return the document format of uploaded bytes (pdf|docx|html|md|txt), judged by content, not name.

    The one check both faces use before creating any record: the web upload forms (a form error) and the
    REST API (415). Raises UnsupportedUpload with extraction's one-line message for content extraction
    does not read (images, executables, old .doc, spreadsheets, a corrupt zip/Word file, unknown binary).
    """
    try:
        return sniff_format(data, filename or "")
    except ExtractionError as exc:
        raise UnsupportedUpload(str(exc)) from None


def upload_limit() -> int:
    """Return the maximum accepted file size in bytes (setting UPLOAD_MAX_BYTES)."""
    return int(settings.UPLOAD_MAX_BYTES)


class SizeLimitedUploadHandler(FileUploadHandler):
    """Count bytes of each uploaded file and raise UploadTooLarge past the limit.

    Installed first in `request.upload_handlers`; passes data on to Django's own handlers unchanged.
    """

    def __init__(self, request=None, limit: int | None = None):
        super().__init__(request)
        self.limit = upload_limit() if limit is None else limit
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit + FORM_OVERHEAD_BYTES:
            raise UploadTooLarge()
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise UploadTooLarge()
        return raw_data

    def file_complete(self, file_size):
        return None
