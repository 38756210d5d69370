from types import SimpleNamespace

from techbridge.events.models import Meeting, Outcome
from techbridge.events.selectors import meeting_figures


def meeting(status, slot=None, held=None, outcome=""):
    return SimpleNamespace(status=status, slot=slot, held=held, outcome=outcome)


def test_meeting_figures_count_states_placed_held_and_outcomes():
    meetings = [
        meeting(Meeting.Status.ACCEPTED, slot=3, held=True, outcome=Outcome.FOLLOW_UP),
        meeting(Meeting.Status.ACCEPTED, slot=4, held=True, outcome=Outcome.AGREEMENT_EXPECTED),
        meeting(Meeting.Status.ACCEPTED, slot=5, held=True, outcome=Outcome.FOLLOW_UP),
        meeting(Meeting.Status.ACCEPTED, slot=6, held=False),
        meeting(Meeting.Status.ACCEPTED, slot=7, held=True),  # held, no outcome given
        meeting(Meeting.Status.ACCEPTED),
        meeting(Meeting.Status.REQUESTED),
        meeting(Meeting.Status.DECLINED),
    ]
    figures = meeting_figures(meetings)
    assert figures["total"] == 8
    assert figures["counts"] == {"requested": 1, "accepted": 6, "declined": 1}
    assert figures["scheduled"] == 5
    assert figures["held"] == 4
    assert figures["outcomes"] == {"no_interest": 0, "follow_up": 2, "interest": 0, "agreement": 1}


def test_meeting_figures_of_nothing_are_zero():
    figures = meeting_figures([])
    assert figures["total"] == figures["scheduled"] == figures["held"] == 0
    assert set(figures["outcomes"]) == set(Outcome.values) and not any(figures["outcomes"].values())
