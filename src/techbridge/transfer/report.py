"""The row-by-row outcome of an import, shown on the page and printed by the command. Pure code."""

from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Issue:
    row: int | None  # spreadsheet row number (1 is the header); None: the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return str(self.message)
        if self.column:
            return _("Row %(row)d, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


@dataclass(frozen=True)
class Created:
    row: int
    id: int
    label: str


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    rows: int = 0
    encoding: str = ""
    created: list[Created] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues

    def add(self, row: int | None, column: str, message) -> None:
        self.issues.append(Issue(row=row, column=column, message=str(message)))

    def summary(self) -> str:
        if not self.ok:
            return _("%(count)d problem(s) found; nothing was imported.") % {"count": len(self.issues)}
        if self.dry_run:
            return _("%(count)d row(s) checked; no problems found. Nothing was written (dry run).") % {
                "count": len(self.created)
            }
        return _("%(count)d row(s) imported.") % {"count": len(self.created)}

    def lines(self) -> list[str]:
        return [str(issue) for issue in self.issues] + [self.summary()]

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        return cls(
            kind=data["kind"],
            dry_run=data["dry_run"],
            rows=data["rows"],
            encoding=data.get("encoding", ""),
            created=[Created(**item) for item in data["created"]],
            issues=[Issue(**item) for item in data["issues"]],
        )
