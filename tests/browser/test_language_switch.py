from tests.browser.conftest import JOURNEY

pytestmark = JOURNEY


def test_visitor_switches_to_urdu_and_the_page_turns_right_to_left(page):
    page.goto("/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.click("form.lang-switch button[value=ur]")
    page.wait_for_url("**/ur/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ur"
    page.click("form.lang-switch button[value=zh-hans]")
    page.wait_for_url("**/zh-hans/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
