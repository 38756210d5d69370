from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from techbridge.transfer.management.commands._options import actor_from, add_actor_argument
from techbridge.transfer.models import ImportBatch
from techbridge.transfer.services import import_run


class Command(BaseCommand):
    help = (
        "Import organisations or postings from a CSV or XLSX file: every row or none (docs/import-format.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportBatch.Kind.values)
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--encoding", help="the CSV file's text encoding (default: detected)")
        add_actor_argument(parser, "the account the rows are created as (required)")

    def handle(self, *args, kind, file, dry_run, encoding, actor_email, **options):
        if not actor_email:
            raise CommandError("Give the account to import as: --as EMAIL.")
        actor = actor_from(actor_email)
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        try:
            report = import_run(
                actor=actor,
                kind=kind,
                filename=file.name,
                content=content,
                encoding=encoding,
                dry_run=dry_run,
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"{len(report.issues)} problem(s); nothing was imported.", returncode=1)
