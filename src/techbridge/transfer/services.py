"""Imports of organisations and postings: all or nothing.

Every cell of every row is checked first; only a clean file is written, row by row through the domain services
(so their permission and business rules apply), inside one transaction that is rolled back if any row fails or
when the run is a dry run.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from techbridge.accounts.rules import is_center_staff
from techbridge.core.audit import log_action
from techbridge.directory.models import Organisation, Sector
from techbridge.directory.selectors import organisation_list
from techbridge.directory.services import organisation_create
from techbridge.marketplace.models import Posting
from techbridge.marketplace.services import posting_create, posting_publish, posting_submit
from techbridge.transfer import tasks
from techbridge.transfer.columns import (
    ORGANISATION_COLUMNS,
    POSTING_COLUMNS,
    CellError,
    Column,
    Lookups,
    lookup_key,
)
from techbridge.transfer.formats import Table, UnreadableFile, read_table
from techbridge.transfer.models import ImportBatch
from techbridge.transfer.report import Created, ImportReport

Kind = ImportBatch.Kind


def _sector_lookups() -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {}
    for sector in Sector.objects.all():
        for name in (sector.code, sector.label_en, sector.label_zh_hans, sector.label_ur):
            keys.setdefault(lookup_key(name), set()).add(sector.code)
    return keys


def _posting_lookups(actor) -> Lookups:
    lookups = Lookups(sectors=_sector_lookups())
    for org in organisation_list(viewer=actor):
        lookups.organisations_by_id[org.pk] = org
        lookups.organisations_by_name.setdefault(lookup_key(org.legal_name), []).append(org)
    return lookups


def _organisation_key(values: dict) -> tuple:
    return lookup_key(values["legal_name"]), values["country"]


def _existing_organisations(plans) -> dict[tuple, int]:
    return {
        (lookup_key(name), country): pk
        for pk, name, country in Organisation.objects.values_list("pk", "legal_name", "country")
    }


def _write_organisation(actor, values: dict) -> Organisation:
    return organisation_create(actor=actor, **values)


def _posting_key(values: dict) -> tuple:
    return values["organisation"].pk, values["kind"], lookup_key(values["title"])


def _existing_postings(plans) -> dict[tuple, int]:
    org_ids = {values["organisation"].pk for _row, values in plans}
    rows = Posting.objects.filter(organisation_id__in=org_ids).values_list(
        "pk", "organisation_id", "kind", "title"
    )
    return {(org_id, kind, lookup_key(title)): pk for pk, org_id, kind, title in rows}


def _posting_rule(actor, values: dict) -> tuple[str, str] | None:
    if values.get("status") == Posting.Status.PUBLISHED and not is_center_staff(actor):
        return "status", _("Only Center staff may import published postings.")
    return None


def _write_posting(actor, values: dict) -> Posting:
    status = values.pop("status", Posting.Status.DRAFT)
    posting = posting_create(actor=actor, **values)
    if status == Posting.Status.PUBLISHED:
        posting = posting_submit(actor=actor, posting=posting)
        posting = posting_publish(actor=actor, posting=posting)
    return posting


@dataclass(frozen=True)
class _Spec:
    columns: list[Column]
    lookups: Callable[[object], Lookups]
    key: Callable[[dict], tuple]
    key_column: str  # the column blamed for a duplicate
    existing: Callable[[list], dict[tuple, int]]
    write: Callable[[object, dict], models.Model]
    # An import-only rule on a whole row: (column, problem) or None.
    rule: Callable[[object, dict], tuple[str, str] | None] | None = None


SPECS = {
    Kind.ORGANISATIONS: _Spec(
        columns=ORGANISATION_COLUMNS,
        lookups=lambda actor: Lookups(sectors=_sector_lookups()),
        key=_organisation_key,
        key_column="legal_name",
        existing=_existing_organisations,
        write=_write_organisation,
    ),
    Kind.POSTINGS: _Spec(
        columns=POSTING_COLUMNS,
        lookups=_posting_lookups,
        key=_posting_key,
        key_column="title",
        existing=_existing_postings,
        rule=_posting_rule,
        write=_write_posting,
    ),
}


def _column_positions(spec: _Spec, table: Table, report: ImportReport) -> dict[str, int]:
    known = {column.name for column in spec.columns}
    positions: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        if not header:
            report.add(1, "", _("Column %(number)d has no name.") % {"number": index + 1})
        elif header not in known:
            report.add(1, header, _("Unknown column."))
        elif header in positions:
            report.add(1, header, _("This column appears twice."))
        else:
            positions[header] = index
    for column in spec.columns:
        if column.required and column.name not in positions:
            report.add(1, column.name, _("This required column is missing."))
    return positions


def _check(*, actor, spec: _Spec, table: Table, report: ImportReport) -> list[tuple[int, dict]]:
    """The service arguments of every row, or an empty list with the problems in the report."""
    positions = _column_positions(spec, table, report)
    if not report.ok:
        return []
    if not table.rows:
        report.add(None, "", _("The file has no rows below the column names."))
        return []
    lookups = spec.lookups(actor)
    plans = []
    for row in table.rows:
        values, problems = {}, len(report.issues)
        if any(row.values[len(table.headers) :]):
            report.add(row.number, "", _("There is a value in a column without a name."))
        for column in spec.columns:
            index = positions.get(column.name)
            cell = row.values[index] if index is not None and index < len(row.values) else ""
            if not cell:
                if column.required:
                    report.add(row.number, column.name, _("This value is required."))
                continue
            try:
                values[column.keyword] = column.parse(cell, lookups)
            except CellError as exc:
                report.add(row.number, column.name, exc)
        if len(report.issues) == problems:
            problem = spec.rule and spec.rule(actor, values)
            if problem:
                report.add(row.number, *problem)
            else:
                plans.append((row.number, values))
    existing = spec.existing(plans)
    first_row: dict[tuple, int] = {}
    for number, values in plans:
        key = spec.key(values)
        if key in first_row:
            report.add(
                number, spec.key_column, _("Duplicate of row %(row)d in this file.") % {"row": first_row[key]}
            )
        elif key in existing:
            report.add(number, spec.key_column, _("Already exists (id %(id)d).") % {"id": existing[key]})
        first_row.setdefault(key, number)
    return plans if report.ok else []


def _column_for(spec: _Spec, keyword: str) -> str:
    return next((column.name for column in spec.columns if column.keyword == keyword), "")


def _write(*, actor, spec: _Spec, plans, report: ImportReport) -> None:
    with transaction.atomic():
        for number, values in plans:
            try:
                with transaction.atomic():
                    obj = spec.write(actor, dict(values))
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for keyword, messages in exc.message_dict.items():
                        for message in messages:
                            report.add(number, _column_for(spec, keyword), message)
                else:
                    for message in exc.messages:
                        report.add(number, "", message)
            except PermissionDenied as exc:
                report.add(number, "", str(exc) or _("You are not allowed to import this row."))
            else:
                report.created.append(Created(row=number, id=obj.pk, label=str(obj)))
        if report.dry_run or not report.ok:
            transaction.set_rollback(True)


def _execute(*, actor, kind: str, filename: str, content: bytes, encoding: str | None, dry_run: bool):
    spec = SPECS[Kind(kind)]
    report = ImportReport(kind=kind, dry_run=dry_run)
    try:
        table = read_table(content, filename, encoding or None)
    except UnreadableFile as exc:
        report.add(None, "", exc)
        return report
    report.encoding, report.rows = table.encoding, len(table.rows)
    plans = _check(actor=actor, spec=spec, table=table, report=report)
    if report.ok:
        _write(actor=actor, spec=spec, plans=plans, report=report)
    if not report.ok:
        report.created.clear()
    return report


def _record(*, actor, batch: ImportBatch, report: ImportReport) -> None:
    log_action(
        actor=actor,
        action="transfer.import",
        obj=batch,
        changes={"kind": batch.kind, "file": batch.filename, "created": len(report.created)},
    )


@transaction.atomic
def import_run(
    *, actor, kind: str, filename: str, content: bytes, encoding: str | None = None, dry_run: bool = False
) -> ImportReport:
    """Check and (unless dry_run) import a file in one go: the command line's door."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to import."))
    report = _execute(
        actor=actor, kind=kind, filename=filename, content=content, encoding=encoding, dry_run=dry_run
    )
    if report.ok and not dry_run:
        batch = ImportBatch.objects.create(
            kind=kind,
            filename=filename[:255],
            encoding=encoding or "",
            created_by=actor,
            status=ImportBatch.Status.IMPORTED,
            report=report.as_dict(),
        )
        _record(actor=actor, batch=batch, report=report)
    return report


def _require_staff(actor) -> None:
    if not is_center_staff(actor):
        raise PermissionDenied(_("Only Center staff may import data."))


@transaction.atomic
def import_batch_create(
    *, actor, kind: str, filename: str, content: bytes, encoding: str | None = None
) -> ImportBatch:
    """Keep an uploaded file and have the task worker check it (a dry run) for the staff member to confirm."""
    _require_staff(actor)
    ImportBatch.objects.filter(created_by=actor, status=ImportBatch.Status.PREVIEWED).delete()
    batch = ImportBatch.objects.create(
        kind=kind,
        filename=filename[:255],
        encoding=encoding or "",
        content=content,
        created_by=actor,
        status=ImportBatch.Status.CHECKING,
    )
    log_action(actor=actor, action="transfer.upload", obj=batch, changes={"kind": kind, "file": filename})
    tasks.import_batch_process.enqueue(batch_id=batch.pk)
    batch.refresh_from_db()  # a worker running in-process has already done it
    return batch


@transaction.atomic
def import_batch_confirm(*, actor, batch: ImportBatch) -> ImportBatch:
    """Have the worker import a checked file; it checks every row again, as the database may have changed."""
    _require_staff(actor)
    ready = batch.status == ImportBatch.Status.PREVIEWED and ImportReport.from_dict(batch.report).ok
    if batch.created_by_id != actor.pk or not ready:
        raise PermissionDenied(_("This import cannot be confirmed."))
    batch.status = ImportBatch.Status.IMPORTING
    batch.save(update_fields=["status", "updated_at"])
    tasks.import_batch_process.enqueue(batch_id=batch.pk)
    batch.refresh_from_db()
    return batch


@transaction.atomic
def import_batch_process(*, batch_id: int) -> str:
    """The worker's job: check (dry run) or import an uploaded file as its uploader. Idempotent."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
    if batch.status not in (ImportBatch.Status.CHECKING, ImportBatch.Status.IMPORTING):
        return batch.status
    dry_run = batch.status == ImportBatch.Status.CHECKING
    report = _execute(
        actor=batch.created_by,
        kind=batch.kind,
        filename=batch.filename,
        content=bytes(batch.content),
        encoding=batch.encoding,
        dry_run=dry_run,
    )
    batch.report = report.as_dict()
    batch.status = ImportBatch.Status.PREVIEWED
    if report.ok and not dry_run:
        batch.status = ImportBatch.Status.IMPORTED
        batch.content = b""
        _record(actor=batch.created_by, batch=batch, report=report)
    batch.save()
    return batch.status
