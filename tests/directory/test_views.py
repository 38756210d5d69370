import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from techbridge.accounts.models import Membership
from techbridge.directory.models import Country, Organisation, Sector
from techbridge.marketplace.models import Posting
from techbridge.marketplace.services import posting_create

Verification = Organisation.Verification
LANGUAGES = [("", "en", "ltr"), ("/zh-hans", "zh-hans", "ltr"), ("/ur", "ur", "rtl")]


def html_of(response) -> str:
    return response.content.decode()


def published(*, member, organisation, title, anonymous=False):
    """A posting made through the service, then set published directly (the workflow is marketplace's to test)."""
    posting = posting_create(
        actor=member,
        organisation=organisation,
        kind="offer",
        title=title,
        description="Off-grid photovoltaic systems for rural clinics.",
        sectors=["energy.solar"],
        anonymous=anonymous,
    )
    now = timezone.now()
    Posting.objects.filter(pk=posting.pk).update(
        status=Posting.Status.PUBLISHED, published_at=now, expires_at=now + timedelta(days=365)
    )
    return posting


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "lang", "direction"), LANGUAGES)
def test_list_renders_in_each_language(client, org_a, org_b, prefix, lang, direction):
    org_b.sectors.set(Sector.objects.filter(code="agri.seeds"))
    response = client.get(f"{prefix}/organisations/")
    html = html_of(response)
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert 'hx-get="' in html and 'hx-target="#results"' in html
    expected_name = {"en": org_b.legal_name, "zh-hans": org_b.legal_name, "ur": org_b.name_ur}[lang]
    assert expected_name in html
    assert Sector.objects.get(code="agri.seeds").labels()[lang] in html
    assert 'value="agri.seeds"' in html  # the sector filter offers the taxonomy


@pytest.mark.django_db
def test_htmx_filtering_returns_only_the_results(client, org_a, org_b, org_c):
    response = client.get(
        "/organisations/", {"country": "PK", "q": "karachi"}, headers={"HX-Request": "true"}
    )
    html = html_of(response)
    assert "<html" not in html
    assert "Karachi Logistics Pvt Ltd" in html
    assert org_a.legal_name not in html and org_b.legal_name not in html


@pytest.mark.django_db
def test_invalid_filters_are_ignored_with_an_error(client, org_a):
    html = html_of(client.get("/organisations/", {"sector": "astrology"}))
    assert org_a.legal_name in html
    assert "errorlist" in html


@pytest.mark.django_db
def test_list_paginates_with_the_filters_kept(client, django_assert_max_num_queries):
    for number in range(45):
        Organisation.objects.create(
            legal_name=f"Sindh Startup {number:02d}", country=Country.PAKISTAN, org_type="startup"
        ).sectors.set(Sector.objects.filter(code="digital.ai"))
    with django_assert_max_num_queries(8):
        response = client.get("/organisations/", {"country": "PK", "page": 2})
    html = html_of(response)
    assert "Sindh Startup 20" in html and "Sindh Startup 39" in html
    assert "Sindh Startup 19" not in html and "Sindh Startup 40" not in html
    assert "?country=PK&amp;page=3" in html and "?country=PK&amp;page=1" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "lang", "direction"), LANGUAGES)
def test_profile_shows_names_in_all_scripts_with_their_language(client, org_b, prefix, lang, direction):
    org_b.name_zh = "费萨拉巴德农业大学"
    org_b.save()
    response = client.get(f"{prefix}/organisations/{org_b.pk}/")
    html = html_of(response)
    assert response.status_code == 200
    assert f'dir="{direction}"' in html
    assert '<li lang="en" dir="ltr">University of Agriculture, Faisalabad</li>' in html
    assert '<li lang="zh-hans" dir="ltr">费萨拉巴德农业大学</li>' in html
    assert '<li lang="ur" dir="rtl">زرعی یونیورسٹی فیصل آباد</li>' in html
    assert org_b.get_org_type_display() in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "sees"),
    [(None, False), ("committee", False), ("b_member", True), ("a_member", True), ("staff", True)],
)
def test_profile_contacts_follow_the_rule(request, login, org_a, persona, sees):
    html = html_of(
        login(request.getfixturevalue(persona) if persona else None).get(f"/organisations/{org_a.pk}/")
    )
    assert ("contact@zkpv.example.cn" in html) is sees
    assert ("+86 10 6000 0000" in html) is sees


@pytest.mark.django_db
def test_profile_lists_postings_but_never_an_anonymous_one_to_others(login, org_a, a_member, b_member):
    published(member=a_member, organisation=org_a, title="Solar pumps for irrigation")
    published(member=a_member, organisation=org_a, title="Secret battery chemistry", anonymous=True)
    drafted = posting_create(
        actor=a_member,
        organisation=org_a,
        kind="need",
        title="Draft need",
        description="Not yet submitted to the Center for validation.",
        sectors=["energy"],
    )

    public = html_of(login(None).get(f"/organisations/{org_a.pk}/"))
    other = html_of(login(b_member).get(f"/organisations/{org_a.pk}/"))
    own = html_of(login(a_member).get(f"/organisations/{org_a.pk}/"))
    for html in (public, other):
        assert "Solar pumps for irrigation" in html
        assert "Secret battery chemistry" not in html
        assert drafted.title not in html
    assert "Secret battery chemistry" in own and drafted.title in own


@pytest.mark.django_db
def test_profile_of_a_refused_organisation_is_404_for_others(login, org_a, a_member, b_member):
    Organisation.objects.filter(pk=org_a.pk).update(verification=Verification.REJECTED)
    assert login(b_member).get(f"/organisations/{org_a.pk}/").status_code == 404
    assert login(a_member).get(f"/organisations/{org_a.pk}/").status_code == 200
    assert login(None).get("/organisations/999999/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "edit", "verify", "ask"),
    [
        (None, False, False, False),
        ("a_member", False, False, False),
        ("b_member", False, False, False),
        ("a_admin", True, False, True),
        ("staff", True, True, False),
    ],
)
def test_profile_offers_the_actions_the_viewer_may_take(request, login, org_a, persona, edit, verify, ask):
    html = html_of(
        login(request.getfixturevalue(persona) if persona else None).get(f"/organisations/{org_a.pk}/")
    )
    assert (reverse("directory:edit", kwargs={"pk": org_a.pk}) in html) is edit
    assert ('value="verified"' in html) is verify
    assert ('value="pending"' in html) is ask


@pytest.mark.django_db
def test_create_requires_sign_in(client):
    response = client.get("/organisations/new/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "lang", "direction"), LANGUAGES)
def test_a_user_registers_an_organisation(login, outsider, prefix, lang, direction):
    client = login(outsider)
    form = client.get(f"{prefix}/organisations/new/")
    assert form.status_code == 200
    assert f'dir="{direction}"' in html_of(form)
    response = client.post(
        f"{prefix}/organisations/new/",
        {
            "legal_name": "COMSATS University Islamabad",
            "name_ur": "کامسیٹس یونیورسٹی اسلام آباد",
            "country": "PK",
            "org_type": "university",
            "city": "Islamabad",
            "website": "comsats.edu.pk",
            "description": "ہم مصنوعی ذہانت اور کلاؤڈ کمپیوٹنگ پر تحقیق کرتے ہیں۔",
            "sectors": ["digital.ai", "digital.cloud"],
        },
    )
    organisation = Organisation.objects.get(legal_name="COMSATS University Islamabad")
    assert response.status_code == 302
    assert response.url == f"{prefix}/organisations/{organisation.pk}/"
    assert organisation.website == "https://comsats.edu.pk"
    assert organisation.description_language == "ur"
    assert sorted(organisation.sectors.values_list("code", flat=True)) == ["digital.ai", "digital.cloud"]
    assert Membership.objects.get(organisation=organisation).user == outsider


@pytest.mark.django_db
def test_an_invalid_registration_shows_the_errors(login, outsider):
    response = login(outsider).post(
        "/organisations/new/", {"legal_name": "", "country": "FR", "org_type": "x"}
    )
    assert response.status_code == 400
    assert len(re.findall(r'class="errorlist', html_of(response))) >= 3
    assert Membership.objects.filter(user=outsider).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [("a_member", 403), ("b_member", 403), ("committee", 403), ("a_admin", 200), ("staff", 200)],
)
def test_who_may_open_the_edit_form(request, login, org_a, persona, status):
    response = login(request.getfixturevalue(persona)).get(f"/organisations/{org_a.pk}/edit/")
    assert response.status_code == status
    if status == 200:
        assert 'value="Beijing Zhongke Solar Technology Co., Ltd."' in html_of(response)


@pytest.mark.django_db
def test_the_org_admin_edits_the_profile(login, org_a, a_admin):
    org_a.sectors.set(Sector.objects.filter(code="energy.solar"))
    client = login(a_admin)
    form = html_of(client.get(f"/ur/organisations/{org_a.pk}/edit/"))
    assert 'value="energy.solar"' in form and "checked" in form
    response = client.post(
        f"/organisations/{org_a.pk}/edit/",
        {
            "legal_name": org_a.legal_name,
            "name_zh": org_a.name_zh,
            "country": "CN",
            "org_type": "enterprise",
            "city": "Beijing",
            "province": "Beijing",
            "acronym": "ZKPV",
            "description": org_a.description,
            "description_language": "en",
            "sectors": ["energy.solar", "energy.storage"],
        },
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.acronym == "ZKPV"
    assert org_a.email == ""  # the form is the whole profile: a cleared field is cleared
    assert sorted(org_a.sectors.values_list("code", flat=True)) == ["energy.solar", "energy.storage"]


@pytest.mark.django_db
def test_a_member_cannot_post_an_edit(login, org_a, a_member):
    response = login(a_member).post(
        f"/organisations/{org_a.pk}/edit/",
        {"legal_name": "Hijacked", "country": "CN", "org_type": "enterprise"},
    )
    assert response.status_code == 403
    org_a.refresh_from_db()
    assert org_a.legal_name != "Hijacked"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "new_status", "http_status", "stored"),
    [
        ("staff", "verified", 302, "verified"),
        ("staff", "rejected", 302, "rejected"),
        ("a_admin", "pending", 302, "pending"),
        ("a_admin", "verified", 403, "unverified"),
        ("b_member", "pending", 403, "unverified"),
    ],
)
def test_verification_buttons(request, login, org_a, persona, new_status, http_status, stored):
    client = login(request.getfixturevalue(persona))
    response = client.post(
        f"/organisations/{org_a.pk}/verification/", {"status": new_status, "note": "checked"}
    )
    assert response.status_code == http_status
    org_a.refresh_from_db()
    assert org_a.verification == stored
    if http_status == 302:
        assert client.get(response.url).status_code == 200


@pytest.mark.django_db
def test_verification_is_post_only(login, org_a, staff):
    assert login(staff).get(f"/organisations/{org_a.pk}/verification/").status_code == 405


@pytest.mark.django_db
def test_verified_badge_shows_on_list_and_profile(client, org_a):
    Organisation.objects.filter(pk=org_a.pk).update(verification=Verification.VERIFIED)
    for url in ("/organisations/", f"/organisations/{org_a.pk}/"):
        assert "badge verified" in html_of(client.get(url))
