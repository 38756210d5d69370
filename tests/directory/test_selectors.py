import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from techbridge.directory.models import Organisation, Sector
from techbridge.directory.selectors import access_organisation, organisation_list
from techbridge.directory.services import organisation_update

Verification = Organisation.Verification


def names(queryset):
    return [organisation.legal_name for organisation in queryset]


@pytest.fixture
def directory(org_a, org_b, org_c):
    org_a.sectors.set(Sector.objects.filter(code__in=["energy.solar", "environment"]))
    org_b.sectors.set(Sector.objects.filter(code__in=["agri.seeds"]))
    return org_a, org_b, org_c


@pytest.mark.django_db
def test_everyone_sees_the_directory_sorted_by_name(directory):
    assert names(organisation_list(viewer=AnonymousUser())) == [
        "Beijing Zhongke Solar Technology Co., Ltd.",
        "Karachi Logistics Pvt Ltd",
        "University of Agriculture, Faisalabad",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"country": "PK"}, ["Karachi Logistics Pvt Ltd", "University of Agriculture, Faisalabad"]),
        ({"org_type": "university"}, ["University of Agriculture, Faisalabad"]),
        ({"province": "sindh"}, ["Karachi Logistics Pvt Ltd"]),
        ({"sector": "energy"}, ["Beijing Zhongke Solar Technology Co., Ltd."]),
        ({"sector": "agri"}, ["University of Agriculture, Faisalabad"]),
        ({"sector": "agri.seeds"}, ["University of Agriculture, Faisalabad"]),
        ({"sector": "agri.livestock"}, []),
        ({"sector": "environment"}, ["Beijing Zhongke Solar Technology Co., Ltd."]),
        ({"country": "PK", "org_type": "enterprise"}, ["Karachi Logistics Pvt Ltd"]),
        ({"verification": "verified"}, []),
    ],
)
def test_filters(directory, filters, expected):
    assert names(organisation_list(viewer=None, **filters)) == expected


@pytest.mark.django_db
def test_a_sector_filter_does_not_repeat_organisations_tagged_twice_in_it(directory):
    org_a = directory[0]
    org_a.sectors.add(Sector.objects.get(code="energy.storage"))
    assert names(organisation_list(viewer=None, sector="energy")) == [
        "Beijing Zhongke Solar Technology Co., Ltd."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("uaf", ["University of Agriculture, Faisalabad"]),  # acronym, any case
        ("KARACHI", ["Karachi Logistics Pvt Ltd"]),  # name and city
        ("中科光伏", ["Beijing Zhongke Solar Technology Co., Ltd."]),  # Chinese name
        ("ＵＡＦ", ["University of Agriculture, Faisalabad"]),  # full-width forms folded
        ("زرعی یونیورسٹی", ["University of Agriculture, Faisalabad"]),  # Urdu name
        ("زرعي يونيورسٹي", ["University of Agriculture, Faisalabad"]),  # typed with Arabic yeh
        ("photovoltaic off-grid", ["Beijing Zhongke Solar Technology Co., Ltd."]),  # description, every word
        ("photovoltaic karachi", []),
        ("faisalabad", ["University of Agriculture, Faisalabad"]),
        (
            "   ",
            [
                "Beijing Zhongke Solar Technology Co., Ltd.",
                "Karachi Logistics Pvt Ltd",
                "University of Agriculture, Faisalabad",
            ],
        ),
    ],
)
def test_text_search_covers_names_in_every_script_acronym_city_and_description(directory, text, expected):
    assert names(organisation_list(viewer=None, text=text)) == expected


@pytest.mark.django_db
def test_text_search_follows_edits(a_admin, org_a):
    organisation_update(actor=a_admin, organisation=org_a, acronym="ZKPV")
    assert names(organisation_list(viewer=None, text="zkpv")) == [org_a.legal_name]


@pytest.mark.django_db
def test_refused_organisations_are_listed_only_for_staff_and_their_people(
    org_a, org_b, a_member, b_member, staff
):
    Organisation.objects.filter(pk=org_a.pk).update(verification=Verification.REJECTED)
    assert names(organisation_list(viewer=AnonymousUser())) == [org_b.legal_name]
    assert names(organisation_list(viewer=b_member)) == [org_b.legal_name]
    assert names(organisation_list(viewer=a_member)) == [org_a.legal_name, org_b.legal_name]
    assert names(organisation_list(viewer=staff)) == [org_a.legal_name, org_b.legal_name]
    assert access_organisation(user=a_member, id=org_a.pk) == org_a
    assert access_organisation(user=staff, id=org_a.pk) == org_a
    with pytest.raises(Http404):
        access_organisation(user=b_member, id=org_a.pk)


@pytest.mark.django_db
def test_access_is_the_same_404_for_missing_organisations(org_a):
    assert access_organisation(user=AnonymousUser(), id=org_a.pk) == org_a
    with pytest.raises(Http404):
        access_organisation(user=AnonymousUser(), id=org_a.pk + 1000)


@pytest.mark.django_db
def test_listing_prefetches_sectors(directory, django_assert_num_queries):
    with django_assert_num_queries(2):
        labels = [[sector.code for sector in org.sectors.all()] for org in organisation_list(viewer=None)]
    assert sorted(labels[0]) == ["energy.solar", "environment"]
