import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from techbridge.committee import services
from techbridge.committee.digest import DigestItem, build_digest
from techbridge.committee.models import ActionReminder
from techbridge.core.models import AuditEntry

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
TODAY = date(2026, 12, 2)


def test_digest_splits_overdue_from_due_within_seven_days_and_drops_later_items():
    items = [
        DigestItem(3, "Later", date(2026, 12, 10), "M"),
        DigestItem(2, "Today", TODAY, "M"),
        DigestItem(1, "Late", date(2026, 11, 30), "M"),
        DigestItem(4, "Edge", date(2026, 12, 9), "M"),
        DigestItem(5, "Very late", date(2026, 1, 1), "M"),
    ]
    digest = build_digest(items, today=TODAY)
    assert [item.title for item in digest.overdue] == ["Very late", "Late"]
    assert [item.title for item in digest.due_soon] == ["Today", "Edge"]
    assert len(digest) == 4 and digest.ids == [5, 1, 2, 4]
    assert not len(build_digest([DigestItem(3, "Later", date(2027, 1, 1), "M")], today=TODAY))


@pytest.fixture
def owed(staff, committee, member_cn, outsider, make_action):
    return [
        make_action(committee, due_on=date(2026, 11, 20), title="Send the pilot list"),
        make_action(committee, due_on=date(2026, 12, 6), title="Book the venue"),
        make_action(committee, due_on=date(2027, 2, 1), title="Far away"),
        make_action(member_cn, due_on=date(2026, 11, 1), title="Translate the charter"),
        services.action_set_status(
            actor=staff,
            action=make_action(staff, due_on=date(2026, 11, 1), title="Already done"),
            status="done",
        ),
    ]


def test_each_owner_gets_one_digest_in_their_own_language(
    owed, committee, member_cn, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.action_reminders_send(now=NOW) == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {committee.email, member_cn.email}
    english = by_recipient[committee.email].body
    assert "Dear Ayesha Khan" in english and "Overdue" in english and "Due within 7 days" in english
    assert english.index("Send the pilot list") < english.index("Book the venue")
    assert "Far away" not in english and "Translate the charter" not in english
    assert "/committee/actions/?owner=me" in english
    chinese = by_recipient[member_cn.email]
    assert "Translate the charter" in chinese.body
    # Rendered in Chinese: the language prefix of the link and Chinese date formats.
    assert "/zh-hans/committee/actions/" in chinese.body and "2026年11月1日" in chinese.body
    assert "November 20, 2026" in english or "Nov. 20, 2026" in english
    reminder = ActionReminder.objects.get(owner=committee)
    assert (reminder.sent_on, reminder.items) == (TODAY, 2)
    entry = AuditEntry.objects.get(action="committee.action.remind", object_id=str(reminder.pk))
    assert entry.changes == {"overdue": [owed[0].pk], "due_soon": [owed[1].pk]}


def test_at_most_once_a_day_per_owner(owed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.action_reminders_send(now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.action_reminders_send(now=NOW.replace(hour=22)) == 0
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.action_reminders_send(now=NOW.replace(day=3)) == 2
    assert len(mail.outbox) == 4


def test_people_who_left_the_committee_are_not_reminded(
    owed, committee, member_cn, django_capture_on_commit_callbacks
):
    member_cn.platform_role = ""
    member_cn.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.action_reminders_send(now=NOW) == 1
    assert [message.to for message in mail.outbox] == [[committee.email]]


def test_the_command_sends_now_or_enqueues(committee, make_action, django_capture_on_commit_callbacks):
    make_action(committee, due_on=timezone.localdate() - timedelta(days=1))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind-actions", stdout=out)
    assert "Reminded 1 owner(s)." in out.getvalue()
    assert len(mail.outbox) == 1
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind-actions", "--enqueue", stdout=out)
    assert out.getvalue().startswith("Enqueued task ")
    assert len(mail.outbox) == 1  # the immediate backend ran the task: nobody twice on the same day
