"""Checks shared by every private document upload: size, and a type sniffed from the content, not the name."""

from pathlib import Path

import filetype
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
# Office documents, PDFs and scans. The content is sniffed, not the name trusted.
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png",
    "jpg": "image/jpeg",
}


def sniffed_type(upload) -> str | None:
    """The upload's MIME type when its content and its extension agree on an accepted type."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    extension = Path(upload.name or "").suffix.lower().lstrip(".").replace("jpeg", "jpg")
    if kind is None or kind.extension != extension or DOCUMENT_TYPES.get(extension) != kind.mime:
        return None
    return kind.mime


def document_errors(upload) -> tuple[str | None, dict]:
    """(the sniffed MIME type, errors keyed "file") for an uploaded document; no errors when it is acceptable."""
    errors = {}
    if not 0 < upload.size <= DOCUMENT_MAX_BYTES:
        errors["file"] = _("The file must be between 1 byte and 10 MB.")
    content_type = sniffed_type(upload)
    if content_type is None:
        errors["file"] = _("Upload a PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG file.")
    return content_type, errors


def document_title(title: str, upload) -> str:
    """The title given, with its spaces tidied, or the file's name without its extension."""
    return (" ".join((title or "").split()) or Path(upload.name).stem)[:255]


def download_response(document) -> FileResponse:
    """A private document (`core.models.PrivateDocument`) as an attachment under its original name; the caller
    has checked that the reader may have it."""
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
