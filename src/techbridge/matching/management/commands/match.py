import json

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError

from techbridge.marketplace.models import Posting
from techbridge.matching import selectors


class Command(BaseCommand):
    help = "The public postings that best answer a text in English, Chinese or Urdu, with the reasons."

    def add_arguments(self, parser):
        parser.add_argument("--text", required=True)
        parser.add_argument("--kind", choices=Posting.Kind.values)
        parser.add_argument("--top", type=int, default=selectors.DEFAULT_LIMIT)
        parser.add_argument("--json", action="store_true", help="print the matches as JSON")

    def handle(self, *args, **options):
        if not 1 <= options["top"] <= selectors.MAX_LIMIT:
            raise CommandError(f"--top takes 1 to {selectors.MAX_LIMIT}")
        # What anyone may see: the command has no signed-in user.
        results = selectors.text_matches(
            viewer=AnonymousUser(), text=options["text"], kind=options["kind"], limit=options["top"]
        )
        rows = [
            {
                "posting": result.posting.pk,
                "title": result.posting.title,
                "kind": result.posting.kind,
                "score": round(result.explanation.score, 4),
                "band": result.explanation.band,
                "breakdown": result.explanation.breakdown,
                "key_terms": [[term.query, term.candidate] for term in result.explanation.key_terms],
                "reasons": [reason.message for reason in result.explanation.reasons],
            }
            for result in results
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for rank, row in enumerate(rows, start=1):
            self.stdout.write(
                f"{rank:>2}. {row['score']:.3f}  #{row['posting']} [{row['kind']}] {row['title']}"
            )
            for reason in row["reasons"]:
                self.stdout.write(f"      {reason}")
