import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from techbridge.directory.models import Organisation
from techbridge.marketplace.models import Posting
from tests.transfer.conftest import ORGANISATION, POSTING, csv_bytes

pytestmark = pytest.mark.django_db


def command(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_prints_the_report(tmp_path, staff):
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_bytes(ORGANISATION, encoding="gbk"))
    assert command("import", "organisations", str(path), "--as", staff.email) == "1 row(s) imported.\n"
    assert Organisation.objects.get().name_zh == ORGANISATION["Name_ZH"]


def test_import_with_problems_prints_them_and_exits_with_status_1(tmp_path, staff, org_a):
    path = tmp_path / "postings.csv"
    path.write_bytes(csv_bytes(POSTING, POSTING | {"title": "Another one", "trl": "0"}))
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import", "postings", str(path), "--as", staff.email, stdout=out)
    assert error.value.returncode == 1
    assert out.getvalue().splitlines() == [
        "Row 3, column “trl”: The technology readiness level must be a whole number from 1 to 9.",
        "1 problem(s) found; nothing was imported.",
    ]
    assert not Posting.objects.exists()


def test_dry_run_and_explicit_encoding(tmp_path, staff):
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_bytes(ORGANISATION, encoding="gb18030"))
    output = command(
        "import", "organisations", str(path), "--dry-run", "--encoding", "gb18030", "--as", staff.email
    )
    assert "Nothing was written (dry run)." in output
    assert not Organisation.objects.exists()


def test_import_needs_an_existing_account(tmp_path, staff):
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_bytes(ORGANISATION))
    with pytest.raises(CommandError, match="--as EMAIL"):
        command("import", "organisations", str(path))
    with pytest.raises(CommandError, match="No active user"):
        command("import", "organisations", str(path), "--as", "nobody@example.org")
    with pytest.raises(CommandError, match="Cannot read"):
        command("import", "organisations", str(tmp_path / "missing.csv"), "--as", staff.email)


def test_export_writes_what_the_account_may_see(tmp_path, a_member, org_a):
    Posting.objects.create(
        organisation=org_a,
        kind="offer",
        title="Staff-only offer",
        description="Visible to Center staff and the owner's members only.",
        status="published",
        confidentiality="staff",
    )
    path = tmp_path / "postings.xlsx"
    assert "Wrote" in command(
        "export", "postings", "--format", "xlsx", "--out", str(path), "--as", a_member.email
    )
    sheet = openpyxl.load_workbook(path).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Staff-only offer"]

    command("export", "postings", "--out", str(tmp_path / "public.csv"))  # no account: public data only
    assert (tmp_path / "public.csv").read_text(encoding="utf-8-sig").splitlines()[1:] == []
