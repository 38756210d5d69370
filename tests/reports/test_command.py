import io

import pypdf
import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_plan_command_writes_the_pdf(plan_world, staff, tmp_path):
    out = tmp_path / "plan.pdf"
    stdout = io.StringIO()
    call_command("plan", "--lang", "ur", "--out", str(out), stdout=stdout)
    assert f"Wrote {out}" in stdout.getvalue()
    text = "".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    assert "زراعت" in " ".join(text.split()) or "توانائی" in text


def test_plan_command_refuses_other_accounts(plan_world, a_admin, tmp_path):
    with pytest.raises(CommandError):
        call_command("plan", "--out", str(tmp_path / "x.pdf"), "--as", a_admin.email)


def test_plan_command_needs_a_staff_account(db, tmp_path):
    with pytest.raises(CommandError, match="No active Center staff"):
        call_command("plan", "--out", str(tmp_path / "x.pdf"))
