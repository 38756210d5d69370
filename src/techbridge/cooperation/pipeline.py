"""The cooperation pipeline as plain data: stage order, allowed moves, and the funnel figures (no ORM)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import median

INTEREST = "interest"
INTRODUCTION = "introduction"
MEETING = "meeting"
NDA = "nda"
MOU = "mou"
AGREEMENT = "agreement"
IMPLEMENTATION = "implementation"
COMPLETED = "completed"
STALLED = "stalled"
DROPPED = "dropped"

# The road a project travels; a project may skip steps (not every deal needs an NDA) but never goes back.
PIPELINE = (INTEREST, INTRODUCTION, MEETING, NDA, MOU, AGREEMENT, IMPLEMENTATION, COMPLETED)
FINAL = frozenset({COMPLETED, DROPPED})
NEEDS_REASON = frozenset({STALLED, DROPPED})


def allowed_moves(current: str, *, furthest: str | None = None) -> list[str]:
    """Stages a project in `current` may move to.

    Forward along the pipeline (a repeated meeting is a move from meeting to meeting); stalled or dropped from
    any open stage; a stalled project resumes at the furthest pipeline stage it had reached or any later one.
    """
    if current in FINAL:
        return []
    if current == STALLED:
        start = PIPELINE.index(furthest or INTEREST)
        return [*PIPELINE[start:], DROPPED]
    index = PIPELINE.index(current)
    later = PIPELINE[index + 1 :]
    again = [MEETING] if current == MEETING else []
    return [*again, *later, STALLED, DROPPED]


def furthest_stage(stages: Iterable[str]) -> str:
    """The furthest pipeline stage among `stages` (stalled and dropped do not count)."""
    reached = [PIPELINE.index(stage) for stage in stages if stage in PIPELINE]
    return PIPELINE[max(reached)] if reached else INTEREST


@dataclass(frozen=True)
class StageVisit:
    stage: str
    entered_at: datetime


@dataclass(frozen=True)
class StageFigures:
    stage: str
    current: int  # projects in this stage now
    reached: int  # projects that reached this stage or a later one
    conversion: float | None  # share of those that went on to the next pipeline stage
    median_days: float | None  # median time spent in the stage before moving on


def _stays(history: Sequence[StageVisit]) -> list[StageVisit]:
    """Consecutive visits of one stage (several meetings) merged into one stay."""
    stays: list[StageVisit] = []
    for visit in history:
        if not stays or stays[-1].stage != visit.stage:
            stays.append(visit)
    return stays


def funnel(histories: Sequence[Sequence[StageVisit]], stages: Sequence[str]) -> list[StageFigures]:
    """Figures per stage from each project's stage history (oldest visit first).

    A project counts as having reached every pipeline stage up to the furthest one it entered, so skipped steps
    do not break the funnel. Stays still under way are left out of the medians.
    """
    current = [history[-1].stage for history in histories if history]
    furthest = [PIPELINE.index(furthest_stage(v.stage for v in history)) for history in histories if history]
    days: dict[str, list[float]] = {stage: [] for stage in stages}
    for history in histories:
        stays = _stays(history)
        for stay, following in zip(stays, stays[1:], strict=False):
            if stay.stage in days:
                days[stay.stage].append((following.entered_at - stay.entered_at).total_seconds() / 86400)
    figures = []
    for stage in stages:
        reached = next_reached = None
        if stage in PIPELINE:
            index = PIPELINE.index(stage)
            reached = sum(1 for value in furthest if value >= index)
            if index + 1 < len(PIPELINE):
                next_reached = sum(1 for value in furthest if value >= index + 1)
        conversion = next_reached / reached if reached and next_reached is not None else None
        figures.append(
            StageFigures(
                stage=stage,
                current=current.count(stage),
                reached=reached or 0,
                conversion=conversion,
                median_days=round(median(days[stage]), 1) if days[stage] else None,
            )
        )
    return figures
