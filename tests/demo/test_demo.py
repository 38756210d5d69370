"""The demo data set: loads through the services, meets its counts, loads twice without change, logins work."""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from techbridge.accounts.models import Membership, PlatformRole, User
from techbridge.core.audit import audit_entries_for
from techbridge.core.models import AuditEntry
from techbridge.demo.loader import DEMO_PASSWORD, load_demo, read_demo_data
from techbridge.directory.models import Country, Organisation, Sector
from techbridge.events.models import Event
from techbridge.events.selectors import meeting_figures
from techbridge.marketplace.models import Interest, InterestEvent, Posting

FOUNDERS = [
    "Zhongguancun Belt and Road Industrial Promotion Association",
    "Embassy of the Islamic Republic of Pakistan in China (Science & Technology Section)",
    "Ministry of Science and Technology of the People's Republic of China",
    "Ministry of Science and Technology, Government of Pakistan",
    "Chinese Academy of Sciences",
    "Special Technology Zones Authority",
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """`techbridge demo` run once for the module (its output), rolled back afterwards for the other tests."""
    out = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            call_command("demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db):
    return demo


def table_sizes() -> dict[str, int]:
    models = (User, Membership, Organisation, Posting, Interest, InterestEvent, AuditEntry)
    return {model.__name__: model.objects.count() for model in models}


def test_first_run_reports_what_it_created_and_the_logins(loaded):
    counts = {
        "interests": Interest.objects.count(),
        "organisations": Organisation.objects.count(),
        "postings": Posting.objects.count(),
        "users": User.objects.count(),
    }
    summary = ", ".join(f"{count} {what}" for what, count in counts.items())
    assert f"Demo data loaded: {summary} created." in loaded
    assert DEMO_PASSWORD in loaded
    for login in read_demo_data().logins:
        assert login["email"] in loaded


def test_organisations_of_every_type_in_both_countries_and_beyond(loaded):
    assert Organisation.objects.count() >= 60
    assert set(Organisation.objects.values_list("org_type", flat=True)) == set(Organisation.Type.values)
    by_country = Counter(Organisation.objects.values_list("country", flat=True))
    assert (
        by_country[Country.CHINA] >= 25 and by_country[Country.PAKISTAN] >= 25 and by_country[Country.OTHER]
    )
    for country in (Country.CHINA, Country.PAKISTAN):
        types = set(Organisation.objects.filter(country=country).values_list("org_type", flat=True))
        assert len(types) >= 8, (country, types)


def test_founding_institutions_are_there_with_names_in_their_scripts(loaded):
    founders = Organisation.objects.filter(legal_name__in=FOUNDERS)
    assert founders.count() == len(FOUNDERS)
    assert Organisation.objects.get(acronym="ZBRA").name_zh == "中关村一带一路产业促进会"
    assert Organisation.objects.get(acronym="STZA").name_ur
    chinese = Organisation.objects.filter(country=Country.CHINA)
    assert not chinese.filter(name_zh="").exists()
    assert Counter(chinese.values_list("description_language", flat=True))["zh-hans"] >= 20
    pakistani = Organisation.objects.filter(country=Country.PAKISTAN)
    assert pakistani.exclude(name_ur="").count() >= 30
    assert pakistani.filter(description_language="ur").exists()


def test_every_contact_address_is_reserved_for_examples(loaded):
    addresses = [*User.objects.values_list("email", flat=True)]
    addresses += Organisation.objects.exclude(email="").values_list("email", flat=True)
    assert addresses and all(address.endswith(".example") for address in addresses)


def test_postings_cover_languages_sectors_kinds_and_lifecycle(loaded):
    postings = Posting.objects.all()
    assert postings.count() >= 150
    languages = Counter(postings.values_list("language", flat=True))
    assert set(languages) == {"en", "zh-hans", "ur"} and min(languages.values()) >= 20
    assert not Sector.objects.filter(postings=None).exists()
    assert set(postings.values_list("kind", flat=True)) == set(Posting.Kind.values)
    assert set(postings.values_list("status", flat=True)) == set(Posting.Status.values)
    assert set(postings.values_list("confidentiality", flat=True)) == set(Posting.Confidentiality.values)
    assert postings.filter(anonymous=True).count() >= 5
    assert len(set(postings.exclude(trl=None).values_list("trl", flat=True))) >= 6
    assert postings.filter(status=Posting.Status.REJECTED).exclude(rejection_reason="").exists()


def test_chinese_offers_and_pakistani_needs_in_their_languages(loaded):
    offers = Counter(
        Posting.objects.filter(kind="offer", organisation__country=Country.CHINA).values_list(
            "language", flat=True
        )
    )
    needs = Counter(
        Posting.objects.filter(kind="need", organisation__country=Country.PAKISTAN).values_list(
            "language", flat=True
        )
    )
    assert offers["zh-hans"] >= 20 and offers["en"] >= 10
    assert needs["ur"] >= 15 and needs["en"] >= 15


def test_publication_dates_span_the_year_and_expired_ones_are_past(loaded):
    published = Posting.objects.filter(status=Posting.Status.PUBLISHED)
    dates = sorted(published.values_list("published_at", flat=True))
    assert (dates[-1] - dates[0]).days > 200
    expired = Posting.objects.filter(status=Posting.Status.EXPIRED)
    assert expired.exists() and not expired.filter(expires_at__gte=timezone.now()).exists()
    assert not published.filter(expires_at__lte=timezone.now()).exists()


def test_center_staff_validated_what_is_published(loaded):
    posting = Posting.objects.filter(status=Posting.Status.PUBLISHED).first()
    actions = {entry.action: entry.actor for entry in audit_entries_for(posting)}
    assert set(actions) >= {"posting.submit", "posting.publish"}
    assert actions["posting.publish"].is_center_staff
    assert actions["posting.submit"].memberships.filter(organisation=posting.organisation).exists()


def test_interests_in_every_state_with_their_history(loaded):
    states = Counter(Interest.objects.values_list("status", flat=True))
    assert set(states) == set(Interest.Status.values)
    assert Interest.objects.filter(proposed_by_staff=True).exists()
    for interest in Interest.objects.select_related("posting").prefetch_related("events"):
        events = list(interest.events.all())
        assert events[0].from_status == "" and events[-1].to_status == interest.status
        assert len(events) == (1 if interest.status == Interest.Status.PENDING else 2)
        # Dated while the posting was published; answers after the interest.
        posting = interest.posting
        assert posting.published_at < interest.created_at == events[0].created_at < posting.expires_at
        if interest.status != Interest.Status.PENDING:
            assert interest.created_at < interest.decided_at == events[1].created_at < timezone.now()
    # An accepted interest in an anonymous posting is part of the demo (the owner is revealed to that side).
    assert Interest.objects.filter(posting__anonymous=True, status=Interest.Status.ACCEPTED).exists()


def test_one_login_per_role(loaded):
    admin = User.objects.get(email="admin@techbridge.example")
    assert admin.is_superuser and admin.platform_role == PlatformRole.ADMINISTRATOR
    assert User.objects.get(email="staff@techbridge.example").is_center_staff
    assert User.objects.get(email="committee@techbridge.example").is_committee_member

    def membership(email):
        return Membership.objects.select_related("organisation").get(user__email=email)

    chinese_admin = membership("chen.jing@yuntu.cn.example")
    assert chinese_admin.role == Membership.Role.ADMIN
    assert chinese_admin.organisation.org_type == Organisation.Type.ENTERPRISE
    assert chinese_admin.organisation.country == Country.CHINA
    chinese_member = membership("zhao.lei@yuntu.cn.example")
    assert chinese_member.role == Membership.Role.MEMBER
    assert chinese_member.organisation == chinese_admin.organisation
    pakistani_member = membership("hina.raza@nust.pk.example")
    assert pakistani_member.role == Membership.Role.MEMBER
    assert pakistani_member.organisation.org_type == Organisation.Type.UNIVERSITY
    assert pakistani_member.organisation.country == Country.PAKISTAN
    assert Membership.objects.filter(role=Membership.Role.MEMBER).count() >= 5


@pytest.mark.parametrize("login", read_demo_data().logins, ids=lambda login: login["email"])
def test_demo_logins_sign_in(loaded, login):
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": login["email"], "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=login["email"]).pk)


def test_wrong_password_does_not_sign_in(loaded):
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "staff@techbridge.example", "password": "not-the-password"}
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_loading_again_changes_nothing(loaded):
    before = table_sizes()
    assert not any(load_demo().values())
    assert table_sizes() == before


def test_command_says_nothing_changed_and_prints_the_logins(loaded, capsys):
    before = table_sizes()
    call_command("demo")
    out = capsys.readouterr().out
    assert "nothing changed" in out
    assert DEMO_PASSWORD in out
    for login in read_demo_data().logins:
        assert login["email"] in out
    assert table_sizes() == before


def test_demo_postings_are_loaded_without_match_alerts_and_matching_is_reconnected_after():
    from techbridge.demo.management.commands.demo import MATCHING_RECEIVERS, matching_paused

    def connected() -> set[str]:
        return {entry[0][0] for signal, _receiver, _uid in MATCHING_RECEIVERS for entry in signal.receivers}

    uids = {uid for _signal, _receiver, uid in MATCHING_RECEIVERS}
    assert uids <= connected()
    with matching_paused():
        assert not uids & connected()
    assert uids <= connected()


def test_the_past_event_has_reported_meetings_and_the_seminar_a_booking_deadline(loaded):
    past = Event.objects.get(status=Event.Status.FINISHED)
    figures = meeting_figures(past.meetings.all())
    assert figures["scheduled"] == 4 and figures["held"] == 3
    assert figures["outcomes"] == {"no_interest": 1, "follow_up": 1, "interest": 0, "agreement": 1}
    assert past.registrations.filter(remote=True).count() == 2
    seminar = Event.objects.get(status=Event.Status.OPEN)
    assert seminar.starts_at - timedelta(days=3) == seminar.b2b_booking_deadline < seminar.b2b_starts_at
