import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "lang", "direction"), [("", "en", "ltr"), ("/zh-hans", "zh-hans", "ltr"), ("/ur", "ur", "rtl")]
)
def test_home_renders_in_each_language_with_its_direction(client, prefix, lang, direction):
    response = client.get(f"{prefix}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html
