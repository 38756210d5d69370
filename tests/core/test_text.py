import pytest

from techbridge.core.text import detect_language, normalise_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＩ　平台１２３", "AI 平台123"),  # full-width Latin, digits and space fold to ASCII
        ("پاكستان", "پاکستان"),  # Arabic kaf -> Urdu keheh
        ("زرعي", "زرعی"),  # Arabic yeh -> Farsi yeh
        ("مدرسه", "مدرسہ"),  # Arabic heh -> heh goal
        ("  solar\n\tpumps  ", "solar pumps"),
        ("کــتاب", "کتاب"),  # tatweel removed
    ],
)
def test_normalise_text(raw, expected):
    assert normalise_text(raw) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Solar-powered drip irrigation for cotton farms in Punjab", "en"),
        ("面向干旱地区的太阳能滴灌系统", "zh-hans"),
        ("پنجاب کے کپاس کے کھیتوں کے لیے شمسی توانائی سے چلنے والی ڈرپ آبپاشی", "ur"),
        ("基于 AI 的 5G 智慧城市平台", "zh-hans"),  # Latin acronyms inside Chinese
        ("ہمیں AI اور IoT پر مبنی سمارٹ سٹی حل درکار ہیں", "ur"),
        ("", "en"),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language
