import pytest

from techbridge.matching.textprep import ConceptVocabulary, concept_token, terms, tokenize

VOCABULARY = ConceptVocabulary(
    [
        {"code": "agri", "labels": {"en": "Modern agriculture", "zh-hans": "现代农业", "ur": "جدید زراعت"}},
        {
            "code": "energy",
            "labels": {"en": "New energy", "zh-hans": "新能源", "ur": "نئی توانائی"},
            "synonyms": {"en": ["solar power"]},
        },
    ]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Solar-powered pumps are running", ["solar", "power", "pump", "run"]),
        ("面向干旱地区的太阳能滴灌", ["面向", "干旱", "旱地", "地区", "干旱地区", "太阳", "太阳能", "滴灌"]),
        ("基于AI的5G平台", ["基于", "ai", "5g", "平台"]),  # Latin runs inside Chinese become their own terms
        ("پنجاب کے کپاس کے کھیتوں کے لیے آبپاشی۔", ["پنجاب", "کپاس", "کھیتوں", "آبپاشی"]),
        ("پاكستان ۲۰۲۳ء", ["پاکستان", "2023"]),  # Arabic kaf unified, Urdu digits folded, year sign dropped
        ("کُتّا", ["کتا"]),  # diacritics do not split or change the word
        ("ＡＩ　平台", ["ai", "平台"]),  # full-width forms folded
        ("", []),
    ],
)
def test_tokenize(text, expected):
    assert tokenize(text) == expected


def test_terms_keep_the_surface_for_explanations():
    assert [(t.key, t.surface) for t in terms("Irrigation pumps")] == [
        ("irrig", "Irrigation"),
        ("pump", "pumps"),
    ]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("We need solar-power for modern agriculture", ["agri", "energy"]),
        ("现代农业和新能源示范区", ["agri", "energy"]),
        ("جدید زراعت کے لیے", ["agri"]),
        ("modern farming of agriculture", []),  # words of a label, but not the phrase
        ("", []),
    ],
)
def test_concept_vocabulary_finds_labels_in_every_language(text, codes):
    assert [concept.code for concept in VOCABULARY.find(text)] == codes


def test_concept_vocabulary_size_and_token():
    assert len(VOCABULARY) == 2
    assert concept_token("agri") == "§agri"
