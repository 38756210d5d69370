from collections import Counter

import pytest
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from techbridge.accounts.models import User
from techbridge.committee import selectors
from techbridge.committee.models import ActionItem, Attendance, Decision, Meeting, MemberInstitution
from techbridge.demo.loader import load_demo


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo loaded once for the module, rolled back afterwards for the other tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    return User.objects.get(email="committee@techbridge.example")


def test_the_six_founding_institutions_sit_with_their_representatives(demo):
    institutions = MemberInstitution.objects.select_related("organisation")
    assert institutions.count() == 6
    assert Counter(institutions.values_list("role", flat=True)) == {
        "co_chair": 2,
        "member": 3,
        "secretariat": 1,
    }
    embassy = institutions.get(organisation__org_type="embassy")
    assert [(rep.active_to is None) for rep in embassy.representatives.order_by("active_from")] == [
        False,
        True,
    ]


def test_three_meetings_held_and_the_islamabad_session_ahead(demo):
    held = Meeting.objects.filter(status="held").order_by("starts_at")
    assert [meeting.starts_at.year for meeting in held][:2] == [2023, 2024]
    assert held.count() == 3 and all(meeting.minutes and meeting.agenda_items.exists() for meeting in held)
    assert held.last().minutes_language == "zh-hans"
    assert Attendance.objects.filter(status="apologies").exists()
    planned = selectors.committee_overview(user=demo)["next_meeting"]
    assert "Islamabad" in planned.place and planned.starts_at > timezone.now()


def test_decisions_and_actions_are_lively(demo):
    assert 6 <= Decision.objects.count() <= 10
    assert {"adopted", "in_progress", "implemented"} <= set(Decision.objects.values_list("status", flat=True))
    assert 10 <= ActionItem.objects.count() <= 15
    figures = selectors.committee_figures(user=demo)["actions"]
    assert figures["done"] >= 3 and figures["overdue"] >= 3 and figures["open"] > figures["overdue"]
    assert selectors.overdue_actions(user=demo).filter(owner=demo).exists()


def test_loading_again_adds_nothing(demo):
    before = (
        Meeting.objects.count(),
        Decision.objects.count(),
        ActionItem.objects.count(),
        Attendance.objects.count(),
    )
    load_demo()
    assert (
        Meeting.objects.count(),
        Decision.objects.count(),
        ActionItem.objects.count(),
        Attendance.objects.count(),
    ) == before
