from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from techbridge.accounts.models import PlatformRole
from techbridge.core.i18n import LANGUAGE_CODES
from techbridge.reports.document import render_plan_pdf
from techbridge.transfer.management.commands._options import actor_from, add_actor_argument


class Command(BaseCommand):
    help = "Write the cooperation plan, drawn from the live data, as a PDF in English, Chinese or Urdu."

    def add_arguments(self, parser):
        parser.add_argument("--lang", choices=LANGUAGE_CODES, default="en")
        parser.add_argument("--out", type=Path, required=True, help="the PDF file to write")
        parser.add_argument("--sector", default="", help="a sector code (and its sub-sectors)")
        add_actor_argument(
            parser,
            "draw the plan as this Center staff or committee account (default: the first Center staff)",
        )

    def handle(self, *args, lang, out, sector, actor_email, **options):
        if actor_email:
            viewer = actor_from(actor_email)
        else:
            viewer = (
                get_user_model()
                .objects.filter(platform_role=PlatformRole.CENTER_STAFF, is_active=True)
                .order_by("id")
                .first()
            )
            if viewer is None:
                raise CommandError("No active Center staff account: create one or pass --as EMAIL.")
        try:
            content = render_plan_pdf(user=viewer, lang=lang, sector=sector)
        except PermissionDenied as exc:
            raise CommandError(f"{exc} ({actor_email})") from None
        out.write_bytes(content)
        self.stdout.write(f"Wrote {out} ({len(content)} bytes).")
