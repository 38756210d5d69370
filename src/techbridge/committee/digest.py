"""The reminder digest of one owner's action items: pure code on plain values, no ORM."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class DigestItem:
    id: int
    title: str
    due_on: date
    meeting: str
    language: str = "en"


@dataclass(frozen=True)
class Digest:
    today: date
    overdue: list[DigestItem] = field(default_factory=list)
    due_soon: list[DigestItem] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.overdue) + len(self.due_soon)

    @property
    def ids(self) -> list[int]:
        return [item.id for item in (*self.overdue, *self.due_soon)]


def build_digest(items: Iterable[DigestItem], *, today: date, days: int = DUE_SOON_DAYS) -> Digest:
    """Open items past their due date (oldest first), then those due from today to `days` days ahead."""
    horizon = today + timedelta(days=days)
    ordered = sorted(items, key=lambda item: (item.due_on, item.id))
    return Digest(
        today=today,
        overdue=[item for item in ordered if item.due_on < today],
        due_soon=[item for item in ordered if today <= item.due_on <= horizon],
    )
