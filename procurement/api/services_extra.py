"""Small reads the API needs that the workflow services do not offer (issue 5). No business rules here:
the document type comes from extraction's sniffing, the upload limit from procurement/uploads.py."""
from procurement.uploads import UnsupportedUpload, upload_limit, upload_sniff

__all__ = ["UnsupportedUpload", "UploadOverLimit", "upload_read"]


class UploadOverLimit(ValueError):
    """The uploaded file is larger than UPLOAD_MAX_BYTES."""


def upload_read(*, uploaded_file) -> tuple[bytes, str]:
    """Read an uploaded file and return (bytes, sniffed format: pdf|docx|html|md|txt).

    Raises UploadOverLimit past UPLOAD_MAX_BYTES (the streaming handler normally stops earlier) and
    UnsupportedUpload with extraction's one-line message for content it does not read (images,
    executables, old .doc, spreadsheets, unknown binary data).
    """
    if uploaded_file.size is not None and uploaded_file.size > upload_limit():
        raise UploadOverLimit()
    data = uploaded_file.read(upload_limit() + 1)
    if len(data) > upload_limit():
        raise UploadOverLimit()
    return data, upload_sniff(data=data, filename=uploaded_file.name or "")
