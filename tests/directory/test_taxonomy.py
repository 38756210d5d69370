import json
import re
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from techbridge.directory.models import Sector
from techbridge.directory.taxonomy import (
    SECTORS_FILE,
    load_sectors,
    read_taxonomy,
    sector_tree,
    sectors_for_codes,
)

A, P, D, N = (
    Sector.Group.ZGC_ADVANTAGEOUS,
    Sector.Group.ZGC_POTENTIAL,
    Sector.Group.DOCKING_FIELD,
    Sector.Group.PK_NEED_AREA,
)

# Every field the founding seminar report names: (words in the English label, code, group or None).
NAMED_FIELDS = [
    # Zhongguancun's six advantageous industrial clusters
    ("next-generation internet", "telecom.next_internet", A),
    ("mobile internet and new-generation mobile communications", "telecom.mobile", A),
    ("satellite applications", "aerospace.satellite", A),
    ("biology and health", "bio", A),
    ("energy conservation and environmental protection", "environment", A),
    ("rail transit", "transport.rail", A),
    # ... its four potential clusters, and modern service industries
    ("integrated circuits", "ic", P),
    ("new and advanced materials", "materials", P),
    ("high-end equipment", "equipment", P),
    ("general aviation", "aerospace.aviation", P),
    ("new energy", "energy.new_energy", P),
    ("new energy vehicles", "energy.nev", P),
    ("modern service industries", "services", P),
    # the Center's docking fields
    ("artificial intelligence", "digital.ai", D),
    ("big data", "digital.bigdata", D),
    ("cloud computing", "digital.cloud", D),
    ("financial technology", "digital.fintech", D),
    ("biotechnology", "bio.biotech", D),
    ("agriculture", "agri", D),
    # Pakistan's areas of need
    ("emerging technologies", "emerging", N),
    ("advanced materials", "materials", None),
    ("green energy", "energy.green", N),
    ("digital economy", "digital.economy", N),
    ("smart cities", "smart_city", N),
    ("minerals and natural resources", "minerals", N),
    ("agricultural modernisation", "agri.modernisation", N),
    ("industrial modernisation through technology and innovation", "equipment.industry", N),
    ("biodiversity and climate change", "environment.climate", N),
    ("disaster mitigation and prevention", "environment.disaster", N),
    ("food processing", "agri.food_processing", N),
    ("herbal medicines", "bio.herbal", N),
    ("ocean sciences", "ocean", N),
    ("transport and highway", "transport.highway", N),
    ("space sciences", "aerospace.space_science", N),
    ("aeronautics and aerospace", "aerospace.engineering", N),
    ("medical technologies", "bio.medtech", N),
    ("drug discovery", "bio.drugs", N),
    ("vaccine development", "bio.vaccines", N),
    # cooperation channels the report names
    ("technology transfer", "services.tech_transfer", None),
    ("joint research", "services.joint_rnd", None),
    ("science and technology parks", "services.parks", None),
    ("stem education and science popularisation", "services.education", None),
]

ISIC_REV4_DIVISIONS = {
    f"{n:02d}"
    for n in [
        *range(1, 4),
        *range(5, 34),
        *range(35, 40),
        *range(41, 44),
        *range(45, 48),
        *range(49, 54),
        55,
        56,
        *range(58, 67),
        *range(68, 76),
        *range(77, 83),
        84,
        85,
        *range(86, 89),
        *range(90, 94),
        *range(94, 97),
        97,
        98,
        99,
    ]
}
HAN = re.compile(r"[\u4e00-\u9fff]")
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
ASCII_LETTER = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def rows():
    return read_taxonomy()


@pytest.fixture(scope="module")
def by_code(rows):
    return {node["code"]: node for node, _parent in rows}


@pytest.mark.parametrize(
    ("words", "code", "group"), NAMED_FIELDS, ids=[code for _w, code, _g in NAMED_FIELDS]
)
def test_every_field_the_founding_document_names_has_a_sector(by_code, words, code, group):
    node = by_code[code]
    assert words in node["labels"]["en"].lower()
    if group is not None:
        assert node["group"] == group


def test_every_group_of_the_model_is_used(by_code):
    assert {node["group"] for node in by_code.values()} == set(Sector.Group.values)


def test_codes_are_unique_stable_lowercase_and_two_levels(rows):
    codes = [node["code"] for node, _parent in rows]
    assert len(codes) == len(set(codes))
    assert 40 <= len(codes) <= 70
    for node, parent in rows:
        assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)?", node["code"]), node["code"]
        assert len(node["code"]) <= Sector._meta.get_field("code").max_length
        if parent is None:
            assert "." not in node["code"]
        else:
            assert node["code"].startswith(parent + ".")
            assert "children" not in node


def test_every_label_is_given_in_its_own_script(rows):
    for node, _parent in rows:
        labels = node["labels"]
        assert set(labels) == {"en", "zh-hans", "ur"}
        assert all(label.strip() == label and label for label in labels.values()), node["code"]
        assert HAN.search(labels["zh-hans"]), node["code"]
        assert ARABIC_SCRIPT.search(labels["ur"]) and not ASCII_LETTER.search(labels["ur"]), node["code"]
        assert not HAN.search(labels["en"]) and not ARABIC_SCRIPT.search(labels["en"])


def test_isic_codes_are_rev4_divisions_and_the_source_is_cited(rows):
    document = json.loads(SECTORS_FILE.read_text(encoding="utf-8"))
    assert "ST/ESA/STAT/SER.M/4/Rev.4" in document["source"]["isic"]
    assert "United Nations Statistics Division" in document["source"]["isic"]
    for node, _parent in rows:
        assert set(node["isic"]) <= ISIC_REV4_DIVISIONS, node["code"]
    assert sum(1 for node, _parent in rows if node["isic"]) >= len(rows) - 2


@pytest.mark.django_db
def test_the_migration_loaded_the_file_and_loading_again_changes_nothing(rows):
    assert list(Sector.objects.order_by("position").values_list("code", flat=True)) == [
        node["code"] for node, _parent in rows
    ]
    seeds = Sector.objects.get(code="agri.seeds")
    assert seeds.parent.code == "agri"
    assert seeds.labels() == {
        "en": "Seeds and crop breeding",
        "zh-hans": "种子与作物育种",
        "ur": "بیج اور فصلوں کی افزائشِ نسل",
    }
    assert Sector.objects.get(code="agri").isic_divisions == ["01", "02", "03"]
    assert load_sectors() == 0


@pytest.mark.django_db
def test_loading_restores_labels_and_keeps_codes_that_are_in_use(org_a):
    Sector.objects.filter(code="bio.vaccines").update(label_ur="غلط", group=Sector.Group.DOCKING_FIELD)
    unused = Sector.objects.create(code="retired", group=A, label_en="x", label_zh_hans="x", label_ur="x")
    used_parent = Sector.objects.create(code="legacy", group=A, label_en="x", label_zh_hans="x", label_ur="x")
    used = Sector.objects.create(
        code="legacy.x", parent=used_parent, group=A, label_en="x", label_zh_hans="x", label_ur="x"
    )
    org_a.sectors.add(used)

    assert load_sectors() == 2
    vaccines = Sector.objects.get(code="bio.vaccines")
    assert vaccines.label_ur == "ویکسین کی تیاری"
    assert vaccines.group == N
    assert not Sector.objects.filter(pk=unused.pk).exists()
    assert set(Sector.objects.filter(code__startswith="legacy").values_list("code", flat=True)) == {
        "legacy",
        "legacy.x",
    }

    org_a.sectors.clear()
    assert load_sectors() == 2
    assert not Sector.objects.filter(code__startswith="legacy").exists()


@pytest.mark.django_db
def test_a_changed_file_adds_and_moves_codes(tmp_path):
    document = json.loads(SECTORS_FILE.read_text(encoding="utf-8"))
    document["sectors"].append(
        {
            "code": "space",
            "group": N,
            "isic": [],
            "labels": {"en": "Space", "zh-hans": "航天", "ur": "خلا"},
            "children": [],
        }
    )
    document["sectors"][0]["labels"]["en"] = "Digital technology"
    path = tmp_path / "sectors.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    assert load_sectors(path=path) == 2
    assert Sector.objects.get(code="digital").label_en == "Digital technology"
    assert Sector.objects.order_by("-position").first().code == "space"


def test_a_file_with_duplicate_codes_is_refused(tmp_path):
    document = json.loads(SECTORS_FILE.read_text(encoding="utf-8"))
    document["sectors"].append(document["sectors"][0])
    path = tmp_path / "sectors.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate"):
        read_taxonomy(path)


@pytest.mark.django_db
def test_load_sectors_command_reports_what_it_changed():
    Sector.objects.filter(code="ocean").update(label_zh_hans="")
    out = StringIO()
    call_command("load-sectors", stdout=out)
    assert out.getvalue().strip() == "1 sector(s) created, updated or removed."
    assert Sector.objects.get(code="ocean").label_zh_hans == "海洋科学"


@pytest.mark.django_db
def test_sector_tree_is_two_levels_in_file_order(rows, django_assert_num_queries):
    with django_assert_num_queries(2):
        tree = sector_tree()
        children = {root.code: [child.code for child in root.children.all()] for root in tree}
    assert [root.code for root in tree] == [node["code"] for node, parent in rows if parent is None]
    assert children["agri"][:2] == ["agri.modernisation", "agri.seeds"]
    assert children["emerging"] == []


@pytest.mark.django_db
def test_sectors_for_codes_names_unknown_codes():
    assert {sector.code for sector in sectors_for_codes(["agri", "agri", "bio.vaccines"])} == {
        "agri",
        "bio.vaccines",
    }
    with pytest.raises(ValidationError) as caught:
        sectors_for_codes(["agri", "nope", "zzz"])
    assert "nope, zzz" in str(caught.value.message_dict["sectors"])
