"""The scheduler reports its phases and best figures while it runs; the task writes them for the page."""

import time

import pytest

from techbridge.events import b2b, scheduling, tasks
from techbridge.events.models import Event
from tests.events.test_meeting_flow import ask
from tests.events.test_scheduling import event
from tests.events.test_views import html, url


def recorded(instance):
    calls = []
    schedule = scheduling.solve(
        instance,
        time_limit=20,
        progress=lambda phase, objective=None, bound=None: calls.append((phase, objective, bound)),
    )
    assert scheduling.verify(instance, schedule) == []
    return schedule, calls


def test_an_oversubscribed_event_reports_placing_then_breaks_with_objective_and_bound():
    # Two slots, one table, three meetings: not every meeting fits, so CP-SAT improves on the greedy start.
    meetings = [
        ("1", "A", "B", {"weight": 3}),
        ("2", "A", "C", {"weight": 3}),
        ("3", "D", "E", {"weight": 2}),
    ]
    schedule, calls = recorded(event(2, 1, meetings, schedule_all=False))
    phases = [phase for phase, *_ in calls]
    assert phases.index("placing") < phases.index("breaks")
    placing = [
        (objective, bound)
        for phase, objective, bound in calls
        if phase == "placing" and objective is not None
    ]
    # The greedy start (both heavy meetings, weight 6) is the best so far before CP-SAT finds anything.
    assert placing[0] == (6, None)
    assert len(placing) > 1 and all(
        objective <= bound for objective, bound in placing[1:]
    )  # maximising weight: bound from above
    assert placing[-1][0] == schedule["total_weight"] == 6


def test_when_the_first_schedule_holds_every_meeting_placing_is_reported_as_proven():
    _schedule, calls = recorded(event(3, 2, [("1", "A", "B"), ("2", "C", "D")], schedule_all=False))
    assert ("placing", 2, 2) in calls


def test_schedule_all_reports_the_proof_with_breaks_and_bound():
    meetings = [("1", "A", "B"), ("2", "A", "C"), ("3", "A", "D")]
    schedule, calls = recorded(event(3, 3, meetings))
    assert calls[0] == ("proving", None, None)
    assert calls[-1] == ("proving", schedule["total_breaks"], schedule["bound"])


@pytest.mark.django_db
def test_the_task_writes_progress_to_the_event_while_the_solver_runs(
    staff, participants, meeting_event, monkeypatch
):
    meeting = ask(participants, "b_member", "a_member")
    b2b.meeting_decide(actor=participants["a_member"].user, meeting=meeting, accept=True)
    real_solve = scheduling.solve

    def slow_solve(instance, *, progress, **options):
        progress("placing", objective=1, bound=3)
        time.sleep(b2b.PROGRESS_INTERVAL * 2.5)  # the caller writes while this runs
        progress("breaks", objective=0, bound=0)
        return real_solve(instance, **options)

    written = []
    real_write = b2b._write_progress

    def spy(event_pk, progress):
        real_write(event_pk, progress)
        written.append(Event.objects.get(pk=event_pk).b2b_schedule)

    monkeypatch.setattr(b2b.scheduling, "solve", slow_solve)
    monkeypatch.setattr(b2b, "_write_progress", spy)
    tasks.meetings_schedule.call(event_id=meeting_event.pk, actor_id=staff.pk)
    assert written[0] | {"elapsed_s": 0} == {
        "status": "RUNNING",
        "phase": "placing",
        "objective": 1,
        "bound": 3,
        "elapsed_s": 0,
    }
    assert written[-1]["phase"] == "breaks"
    assert Event.objects.get(pk=meeting_event.pk).b2b_schedule["status"] == "OPTIMAL"


@pytest.mark.django_db
def test_the_organisers_page_shows_the_progress_while_polling(login, staff, meeting_event):
    Event.objects.filter(pk=meeting_event.pk).update(
        b2b_schedule={"status": "RUNNING", "phase": "placing", "objective": 14, "bound": 17, "elapsed_s": 2.4}
    )
    page = html(login(staff).get(url("meetings", pk=meeting_event.pk), headers={"HX-Request": "true"}))
    assert 'hx-trigger="every 2s"' in page
    assert "Placing meetings into slots" in page and "best so far 14, bound 17" in page and "2.4 s" in page


@pytest.mark.django_db
def test_schedule_progress_through_the_api(login, staff, a_member, meeting_event):
    Event.objects.filter(pk=meeting_event.pk).update(
        b2b_schedule={"status": "RUNNING", "phase": "breaks", "objective": 3, "bound": 1, "elapsed_s": 1.0}
    )
    path = f"/api/v1/events/{meeting_event.pk}/meetings/schedule"
    assert login(a_member).get(path).status_code == 404
    assert login(staff).get(path).json() == {
        "status": "RUNNING",
        "phase": "breaks",
        "objective": 3,
        "bound": 1,
        "elapsed_s": 1.0,
    }
