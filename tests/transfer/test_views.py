import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from techbridge.directory.models import Organisation
from techbridge.marketplace.models import Posting
from techbridge.transfer.models import ImportBatch
from techbridge.transfer.services import import_batch_process, import_run
from tests.conftest import make_user
from tests.transfer.conftest import ORGANISATION, POSTING, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def upload(client, content: bytes, name: str = "orgs.csv", kind: str = "organisations", encoding: str = ""):
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(reverse("transfer:import"), {"kind": kind, "file": file, "encoding": encoding})


def test_the_import_page_is_for_staff_only(login, outsider, a_admin, staff):
    url = reverse("transfer:import")
    response = login(None).get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert login(outsider).get(url).status_code == 403
    assert login(a_admin).get(url).status_code == 403
    assert upload(login(a_admin), csv_bytes(ORGANISATION)).status_code == 403
    assert not ImportBatch.objects.exists()
    response = login(staff).get(url)
    assert response.status_code == 200
    assert b'type="file"' in response.content and b'accept=".csv,.xlsx"' in response.content


def test_staff_preview_then_confirm_an_import(login, staff):
    client = login(staff)
    response = upload(client, csv_bytes(ORGANISATION, encoding="gbk"))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "transfer:import_batch", args=[batch.pk]
    )

    page = client.get(response["Location"]).content.decode()
    assert "1 row(s) checked; no problems found." in page
    assert "gb18030" in page
    assert reverse("transfer:import_confirm", args=[batch.pk]) in page
    assert ORGANISATION["Legal Name"] in page
    assert not Organisation.objects.exists()

    response = client.post(reverse("transfer:import_confirm", args=[batch.pk]), follow=True)
    assert "1 row(s) imported." in response.content.decode()
    assert Organisation.objects.get().name_zh == ORGANISATION["Name_ZH"]
    assert reverse("transfer:import_confirm", args=[batch.pk]) not in response.content.decode()


def test_the_preview_lists_every_problem_and_offers_no_confirmation(login, staff, org_a):
    client = login(staff)
    content = xlsx_bytes([list(POSTING), list(POSTING.values()), [*POSTING.values()][:5] + ["11"]])
    response = upload(client, content, name="postings.xlsx", kind="postings")
    batch = ImportBatch.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "1 problem(s) found; nothing was imported." in page
    assert "2 rows read" in page
    assert "<td>3</td><td><bdi>trl</bdi></td>" in page
    assert reverse("transfer:import_confirm", args=[batch.pk]) not in page
    assert client.post(reverse("transfer:import_confirm", args=[batch.pk])).status_code == 403
    assert not Posting.objects.exists()


def test_another_staff_member_cannot_see_or_confirm_an_upload(login, staff, org_a):
    upload(login(staff), csv_bytes(POSTING), name="p.csv", kind="postings")
    batch = ImportBatch.objects.get()
    colleague = make_user("colleague@techbridge.example", full_name="Zhao Lei", platform_role="staff")
    assert login(colleague).get(reverse("transfer:import_batch", args=[batch.pk])).status_code == 404
    assert login(colleague).post(reverse("transfer:import_confirm", args=[batch.pk])).status_code == 404
    assert not Posting.objects.exists()


def test_oversized_uploads_are_refused(login, staff, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = upload(login(staff), csv_bytes(ORGANISATION))
    assert response.status_code == 200
    assert "The file is larger than 100" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("orgs.txt", b"legal_name\n", "Only .csv and .xlsx files can be imported."),
        ("orgs.csv", xlsx_bytes([["legal_name"]]), "This file is not a CSV text file."),
        ("orgs.xlsx", b"legal_name,country\n", "This file is not an Excel workbook (.xlsx)."),
    ],
    ids=["extension", "xlsx-named-csv", "csv-named-xlsx"],
)
def test_the_file_type_is_checked_by_its_content(login, staff, name, content, message):
    response = upload(login(staff), content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_import_page_works_right_to_left_in_urdu(login, staff):
    response = login(staff).get("/ur" + reverse("transfer:import"))
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


def test_export_page_and_downloads_for_signed_in_users(login, outsider, org_a):
    Posting.objects.create(
        organisation=org_a,
        kind="offer",
        title="Staff-only offer",
        description="Hidden from outsiders by its confidentiality.",
        status="published",
        confidentiality="staff",
    )
    assert login(None).get(reverse("transfer:export")).status_code == 302
    assert login(None).get(reverse("transfer:export_download", args=["postings", "csv"])).status_code == 302
    client = login(outsider)
    page = client.get(reverse("transfer:export")).content.decode()
    assert reverse("transfer:export_download", args=["organisations", "xlsx"]) in page

    response = client.get(reverse("transfer:export_download", args=["organisations", "csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="techbridge-organisations-')
    assert response.content.startswith(b"\xef\xbb\xbflegal_name,")
    assert org_a.legal_name in response.content.decode("utf-8-sig")

    response = client.get(reverse("transfer:export_download", args=["postings", "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [row for row in sheet.iter_rows(min_row=2, values_only=True)] == []
    assert client.get("/data/export/postings.pdf").status_code == 404
    assert client.get("/data/export/users.csv").status_code == 404


def test_the_menu_leads_staff_to_import_and_others_to_export(login, staff, outsider):
    assert f'href="{reverse("transfer:import")}"' in login(staff).get(reverse("web:home")).content.decode()
    page = login(outsider).get(reverse("web:home")).content.decode()
    assert f'href="{reverse("transfer:export")}"' in page
    assert f'href="{reverse("transfer:import")}"' not in page


def test_with_a_task_worker_the_page_waits_for_the_check(login, staff, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = login(staff)
    response = upload(client, csv_bytes(ORGANISATION))
    batch = ImportBatch.objects.get()
    assert batch.status == "checking"
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"batch_id": batch.pk}
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Working on it" in page
    assert reverse("transfer:import_confirm", args=[batch.pk]) not in page
    assert client.post(reverse("transfer:import_confirm", args=[batch.pk])).status_code == 403

    assert import_batch_process(batch_id=batch.pk) == "previewed"
    page = client.get(response["Location"]).content.decode()
    assert "hx-trigger" not in page and "1 row(s) checked; no problems found." in page

    client.post(reverse("transfer:import_confirm", args=[batch.pk]))
    assert ImportBatch.objects.get().status == "importing"
    assert import_batch_process(batch_id=batch.pk) == "imported"
    assert import_batch_process(batch_id=batch.pk) == "imported"  # a repeated job changes nothing
    assert Organisation.objects.count() == 1


def test_the_admin_lists_imports_read_only(login, org_a):
    superuser = make_user("root@techbridge.example", full_name="Root", is_staff=True, is_superuser=True)
    import_run(actor=superuser, kind="postings", filename="p.csv", content=csv_bytes(POSTING))
    client = login(superuser)
    page = client.get(reverse("admin:transfer_importbatch_changelist")).content.decode()
    assert "p.csv" in page and "1 row(s) imported." in page
    batch = ImportBatch.objects.get()
    assert client.get(reverse("admin:transfer_importbatch_change", args=[batch.pk])).status_code == 200
    assert client.get(reverse("admin:transfer_importbatch_add")).status_code == 403
