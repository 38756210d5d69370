from types import SimpleNamespace

from techbridge.events.models import Meeting
from techbridge.events.selectors import meeting_figures


def test_meeting_figures_count_states_and_placed_meetings():
    meetings = [
        SimpleNamespace(status=Meeting.Status.ACCEPTED, slot=3),
        SimpleNamespace(status=Meeting.Status.ACCEPTED, slot=None),
        SimpleNamespace(status=Meeting.Status.REQUESTED, slot=None),
    ]
    figures = meeting_figures(meetings)
    assert figures["counts"][Meeting.Status.ACCEPTED] == 2
    assert figures["counts"][Meeting.Status.REQUESTED] == 1
    assert sum(figures["counts"].values()) == 3
    assert figures["scheduled"] == 1
