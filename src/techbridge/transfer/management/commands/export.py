from pathlib import Path

from django.core.management.base import BaseCommand

from techbridge.transfer.formats import FORMATS
from techbridge.transfer.management.commands._options import actor_from, add_actor_argument
from techbridge.transfer.models import ImportBatch
from techbridge.transfer.selectors import export_file


class Command(BaseCommand):
    help = "Export the organisations or postings an account may see, in the import columns, as CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportBatch.Kind.values)
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="csv")
        parser.add_argument("--out", type=Path, required=True, help="the file to write")
        add_actor_argument(parser, "export what this account may see (default: only public data)")

    def handle(self, *args, kind, fmt, out, actor_email, **options):
        content = export_file(viewer=actor_from(actor_email), kind=kind, fmt=fmt)
        out.write_bytes(content)
        self.stdout.write(f"Wrote {out} ({len(content)} bytes).")
