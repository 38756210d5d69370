"""Committee fixtures: org_a and org_b sit on the committee; the `committee` persona represents org_b, a second
member (Chinese interface) represents org_a; one meeting was held with an agenda, and one is planned."""

from datetime import UTC, date, datetime

import pytest

from techbridge.accounts.models import PlatformRole
from techbridge.committee import services
from tests.conftest import make_user

TODAY = date(2026, 12, 2)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def member_cn(db):
    return make_user(
        "member.cn@techbridge.example",
        full_name="Sun Li",
        platform_role=PlatformRole.COMMITTEE,
        preferred_language="zh-hans",
        time_zone="Asia/Shanghai",
    )


@pytest.fixture
def seats(staff, committee, member_cn, org_a, org_b):
    chair = services.institution_add(
        actor=staff, organisation=org_a, role="co_chair", joined_on=date(2023, 5, 14)
    )
    member = services.institution_add(
        actor=staff, organisation=org_b, role="member", joined_on=date(2023, 5, 14)
    )
    return {
        "chair": chair,
        "member": member,
        "rep_cn": services.representative_add(
            actor=staff, institution=chair, user=member_cn, title="Director", active_from=date(2023, 5, 14)
        ),
        "rep_pk": services.representative_add(
            actor=staff, institution=member, user=committee, title="Dean", active_from=date(2023, 5, 14)
        ),
    }


@pytest.fixture
def held(staff, seats):
    meeting = services.meeting_create(
        actor=staff,
        title="Inaugural meeting",
        starts_at=datetime(2026, 5, 15, 2, 0, tzinfo=UTC),
        time_zone="Asia/Shanghai",
        place="Zhongguancun, Beijing",
    )
    services.agenda_item_add(actor=staff, meeting=meeting, title="Terms of reference")
    return services.meeting_set_status(actor=staff, meeting=meeting, status="held")


@pytest.fixture
def planned(staff, seats):
    return services.meeting_create(
        actor=staff,
        title="Session at the Islamabad seminar",
        starts_at=datetime(2027, 3, 12, 5, 0, tzinfo=UTC),
        time_zone="Asia/Karachi",
        online_url="https://meet.example/cpstc",
    )


@pytest.fixture
def make_action(staff, held):
    def make(owner, *, due_on, title="Draft the joint work plan", **fields):
        return services.action_add(
            actor=staff, meeting=held, title=title, owner=owner, due_on=due_on, **fields
        )

    return make
