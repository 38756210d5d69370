import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from techbridge.directory.models import Organisation, Sector
from techbridge.marketplace.models import Interest, Posting
from techbridge.transfer.columns import ORGANISATION_COLUMNS, POSTING_COLUMNS
from techbridge.transfer.selectors import access_import_batch, export_file, export_rows
from techbridge.transfer.services import import_batch_create, import_run
from tests.transfer.conftest import POSTING, csv_bytes

pytestmark = pytest.mark.django_db


def posting(org, title, *, status="published", confidentiality="public", anonymous=False):
    return Posting.objects.create(
        organisation=org,
        kind="offer",
        title=title,
        description="A posting used to check what an export may contain.",
        status=status,
        confidentiality=confidentiality,
        anonymous=anonymous,
    )


@pytest.fixture
def postings(org_a, org_b):
    return {
        "public": posting(org_a, "Public offer"),
        "members": posting(org_a, "Members-only offer", confidentiality="members"),
        "staff": posting(org_a, "Staff-only offer", confidentiality="staff"),
        "anonymous": posting(org_a, "Anonymous offer", anonymous=True),
        "draft": posting(org_b, "Draft need", status="draft"),
    }


def exported(viewer, kind="postings") -> dict[str, dict]:
    headers, rows = export_rows(viewer=viewer, kind=kind)
    return {row[2] if kind == "postings" else row[0]: dict(zip(headers, row, strict=True)) for row in rows}


def test_export_columns_are_the_import_columns(staff):
    assert export_rows(viewer=staff, kind="postings")[0] == [column.name for column in POSTING_COLUMNS]
    assert export_rows(viewer=staff, kind="organisations")[0] == [
        column.name for column in ORGANISATION_COLUMNS
    ]


def test_anonymous_visitors_export_public_postings_without_hidden_owners(postings, org_a):
    rows = exported(AnonymousUser())
    assert set(rows) == {"Public offer", "Anonymous offer"}
    assert rows["Public offer"]["organisation"] == org_a.legal_name
    assert rows["Anonymous offer"]["organisation"] == ""


def test_an_outsider_never_exports_confidential_postings_or_anonymous_owners(outsider, postings):
    rows = exported(outsider)
    assert set(rows) == {"Public offer", "Members-only offer", "Anonymous offer"}
    assert rows["Anonymous offer"]["organisation"] == ""
    assert rows["Anonymous offer"]["anonymous"] == "yes"


def test_an_accepted_interest_reveals_the_anonymous_owner(outsider, org_c, postings, org_a):
    Interest.objects.create(
        posting=postings["anonymous"], organisation=org_c, message="Interested", status="accepted"
    )
    assert exported(outsider)["Anonymous offer"]["organisation"] == org_a.legal_name


def test_members_of_the_owner_export_their_own_confidential_and_anonymous_postings(a_member, postings, org_a):
    rows = exported(a_member)
    assert set(rows) == {"Public offer", "Members-only offer", "Staff-only offer", "Anonymous offer"}
    assert rows["Anonymous offer"]["organisation"] == org_a.legal_name


def test_staff_export_everything(staff, postings):
    rows = exported(staff)
    assert set(rows) == {p.title for p in postings.values()}
    assert rows["Draft need"]["status"] == "draft"


def test_organisation_contacts_only_for_people_who_may_see_them(org_a, b_member):
    assert exported(AnonymousUser(), "organisations")[org_a.legal_name]["email"] == ""
    assert exported(b_member, "organisations")[org_a.legal_name]["email"] == org_a.email


def test_organisations_refused_by_the_center_are_not_exported_to_others(org_a, org_c, outsider, b_member):
    Organisation.objects.filter(pk=org_c.pk).update(verification="rejected")
    assert org_c.legal_name not in exported(b_member, "organisations")
    assert org_c.legal_name in exported(outsider, "organisations")  # its own people still see it


def test_exported_cells_cannot_run_as_formulas(staff, org_a):
    Organisation.objects.filter(pk=org_a.pk).update(description='=HYPERLINK("http://evil.example")')
    content = export_file(viewer=staff, kind="organisations", fmt="csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[0]["description"] == '\'=HYPERLINK("http://evil.example")'
    assert rows[0]["phone"] == "'+86 10 6000 0000"
    sheet = openpyxl.load_workbook(
        io.BytesIO(export_file(viewer=staff, kind="organisations", fmt="xlsx"))
    ).active
    description = sheet.cell(row=2, column=12)
    assert (description.value, description.data_type) == ('=HYPERLINK("http://evil.example")', "s")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(staff, org_a, org_b, fmt):
    org_a.sectors.set(Sector.objects.filter(code__in=["energy.solar", "digital"]))
    before = exported(staff, "organisations")
    content = export_file(viewer=staff, kind="organisations", fmt=fmt)
    Organisation.objects.all().delete()

    report = import_run(actor=staff, kind="organisations", filename=f"export.{fmt}", content=content)

    assert report.ok, report.lines()
    after = exported(staff, "organisations")
    assert after == before
    assert after[org_a.legal_name]["sectors"] == "digital;energy.solar"


def test_import_batches_are_seen_only_by_their_uploader(staff, a_admin, org_a):
    batch = import_batch_create(actor=staff, kind="postings", filename="p.csv", content=csv_bytes(POSTING))
    assert access_import_batch(user=staff, id=batch.pk) == batch
    for user in (a_admin, AnonymousUser()):
        with pytest.raises(Http404):
            access_import_batch(user=user, id=batch.pk)
    with pytest.raises(Http404):
        access_import_batch(user=staff, id=batch.pk + 1)
