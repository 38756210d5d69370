import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from techbridge.cooperation import selectors, services
from techbridge.cooperation.models import Document
from techbridge.core import uploads
from techbridge.core.models import AuditEntry
from tests.cooperation.conftest import PDF

pytestmark = pytest.mark.django_db


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def share(actor, project, name="nda-signed.pdf", content=PDF, kind="nda", title="Signed NDA"):
    upload = SimpleUploadedFile(name, content)
    return services.document_add(actor=actor, project=project, kind=kind, title=title, upload=upload)


def test_a_party_shares_a_document_stored_outside_the_media_url(project, b_member, settings):
    document = share(b_member, project)
    assert (document.content_type, document.size, document.original_name) == (
        "application/pdf",
        len(PDF),
        "nda-signed.pdf",
    )
    stored = Path(document.file.path)
    assert stored.read_bytes() == PDF
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).parent / "private")
    assert not stored.is_relative_to(settings.MEDIA_ROOT)
    assert "nda-signed" not in stored.name
    assert AuditEntry.objects.filter(
        action="document.add", object_id=str(document.pk), actor=b_member
    ).exists()


def test_office_documents_are_accepted_by_their_content(project, a_member):
    document = share(a_member, project, name="MoU draft.DOCX", content=docx(), kind="mou", title="")
    assert document.title == "MoU draft"
    assert document.content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"MZ\x90\x00 an executable pretending to be a PDF"),
        ("report.exe", PDF),
        ("notes.txt", b"plain text"),
        ("empty.pdf", b""),
    ],
)
def test_wrong_types_and_empty_files_are_refused(project, staff, name, content):
    with pytest.raises(ValidationError) as error:
        share(staff, project, name=name, content=content)
    assert "file" in error.value.message_dict
    assert not Document.objects.exists()


def test_files_over_ten_megabytes_are_refused(project, staff, monkeypatch):
    monkeypatch.setattr(uploads, "DOCUMENT_MAX_BYTES", len(PDF) - 1)
    with pytest.raises(ValidationError, match="10 MB"):
        share(staff, project)


def test_only_parties_and_staff_share_or_read_documents(project, a_member, committee, outsider, staff):
    document = share(a_member, project)
    for refused in (committee, outsider):
        with pytest.raises(PermissionDenied):
            share(refused, project)
    assert selectors.document_list(user=staff, project=project) == [document]
    assert selectors.document_list(user=committee, project=project) == []
    assert selectors.access_document(user=staff, project_id=project.pk, id=document.pk) == document


def test_download_page_serves_the_file_to_parties_and_staff_only(
    login, project, a_member, b_member, committee, outsider
):
    document = share(a_member, project)
    path = f"/cooperation/{project.pk}/documents/{document.pk}/"
    response = login(b_member).get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="nda-signed.pdf"'
    assert login(committee).get(path).status_code == 404
    assert login(outsider).get(path).status_code == 404
    assert login(b_member).get(f"/cooperation/{project.pk}/documents/{document.pk + 1}/").status_code == 404


def test_project_page_lists_documents_and_upload_form_refuses_bad_files(login, project, a_member, committee):
    client = login(a_member)
    response = client.post(
        f"/cooperation/{project.pk}/documents/",
        {"kind": "report", "title": "Site visit", "file": SimpleUploadedFile("visit.pdf", PDF)},
    )
    assert response.status_code == 302
    assert "Site visit" in client.get(f"/cooperation/{project.pk}/").content.decode()
    assert "Site visit" not in login(committee).get(f"/cooperation/{project.pk}/").content.decode()
    response = client.post(
        f"/cooperation/{project.pk}/documents/",
        {"kind": "report", "file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")},
    )
    assert response.status_code == 400
    assert "Upload a PDF, Word" in response.content.decode()


def test_documents_api(login, project, a_member, committee, outsider):
    document = share(a_member, project)
    path = f"/api/v1/cooperation/projects/{project.pk}/documents"
    (item,) = login(a_member).get(path).json()
    assert (
        item["id"] == document.pk
        and item["download_url"] == f"/cooperation/{project.pk}/documents/{document.pk}/"
    )
    assert login(committee).get(path).json() == []
    assert login(outsider).get(path).status_code == 404


def test_documents_are_uploaded_through_the_api(login, project, a_member, committee, outsider):
    path = f"/api/v1/cooperation/projects/{project.pk}/documents"

    def upload(user, name, content, kind="nda"):
        return login(user).post(
            path, {"kind": kind, "title": "Signed NDA", "file": SimpleUploadedFile(name, content)}
        )

    response = upload(a_member, "nda.pdf", PDF)
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "application/pdf" and response.json()["size"] == len(PDF)
    assert upload(a_member, "nda.pdf", b"MZ\x90\x00 not a pdf").json()["errors"]["file"]
    assert upload(a_member, "nda.pdf", PDF, kind="poem").status_code == 422
    assert upload(committee, "nda.pdf", PDF).status_code == 403
    assert upload(outsider, "nda.pdf", PDF).status_code == 404
    assert Document.objects.filter(project=project).count() == 1
