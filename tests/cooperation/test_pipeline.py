from datetime import UTC, datetime, timedelta

from techbridge.cooperation import pipeline
from techbridge.cooperation.pipeline import StageVisit

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def visits(*steps):
    """visits(("interest", 0), ("meeting", 10)) -> StageVisits at T0 + days."""
    return [StageVisit(stage, T0 + timedelta(days=days)) for stage, days in steps]


def test_forward_moves_skip_steps_but_never_go_back():
    moves = pipeline.allowed_moves("nda")
    assert moves == ["mou", "agreement", "implementation", "completed", "stalled", "dropped"]
    assert "meeting" not in moves


def test_a_meeting_may_follow_a_meeting():
    assert pipeline.allowed_moves("meeting")[:2] == ["meeting", "nda"]


def test_final_stages_have_no_moves():
    assert pipeline.allowed_moves("completed") == []
    assert pipeline.allowed_moves("dropped") == []


def test_stalled_resumes_where_it_had_got_to_or_later():
    assert pipeline.allowed_moves("stalled", furthest="mou") == [
        "mou",
        "agreement",
        "implementation",
        "completed",
        "dropped",
    ]


def test_furthest_stage_ignores_stalled_and_dropped():
    assert pipeline.furthest_stage(["interest", "meeting", "stalled"]) == "meeting"
    assert pipeline.furthest_stage([]) == "interest"


def test_funnel_counts_conversion_and_median_days():
    histories = [
        visits(("interest", 0), ("introduction", 4), ("meeting", 10), ("meeting", 20), ("mou", 40)),
        visits(("interest", 0), ("introduction", 2), ("stalled", 12)),
        visits(("interest", 0)),
        # Skipped the introduction: it still counts as having passed it.
        visits(("interest", 0), ("meeting", 6)),
    ]
    figures = {
        row.stage: row for row in pipeline.funnel(histories, [*pipeline.PIPELINE, "stalled", "dropped"])
    }
    assert figures["interest"].current == 1
    assert figures["interest"].reached == 4
    assert figures["interest"].conversion == 3 / 4
    assert figures["introduction"].reached == 3
    assert figures["introduction"].conversion == 2 / 3
    assert figures["meeting"].reached == 2
    assert figures["meeting"].conversion == 1 / 2
    assert figures["mou"].current == 1
    assert figures["stalled"].current == 1
    assert figures["stalled"].reached == 0 and figures["stalled"].conversion is None
    assert figures["completed"].conversion is None
    # Interest stays: 4, 2, 6 days (the third project is still there); two meetings are one 30-day stay.
    assert figures["interest"].median_days == 4
    assert figures["introduction"].median_days == 8
    assert figures["meeting"].median_days == 30
    assert figures["mou"].median_days is None
