"""A staff member imports a Chinese spreadsheet on a phone, in Urdu (right to left)."""

from techbridge.directory.models import Organisation
from tests.browser.conftest import JOURNEY, sign_in
from tests.conftest import PASSWORD
from tests.transfer.conftest import ORGANISATION, csv_bytes

pytestmark = JOURNEY


def test_staff_upload_check_and_confirm_a_gbk_file(page, staff, tmp_path):  # noqa: F811
    path = tmp_path / "机构名录.csv"
    path.write_bytes(csv_bytes(ORGANISATION, encoding="gbk"))
    sign_in(page, staff.email, PASSWORD)
    page.goto("/ur/data/import/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.select_option("select[name=kind]", "organisations")
    page.set_input_files("input[name=file]", str(path))
    page.click("main button[type=submit]")
    page.wait_for_url("**/data/import/*/")
    assert page.locator("#issues").count() == 0, page.locator("#issues").inner_text()
    assert ORGANISATION["Legal Name"] in page.locator("#rows").inner_text()
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".messages li.success").count() == 1
    assert Organisation.objects.get().name_zh == ORGANISATION["Name_ZH"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
