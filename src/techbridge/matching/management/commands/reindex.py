from django.core.management.base import BaseCommand
from tqdm import tqdm

from techbridge.marketplace.models import Posting
from techbridge.matching import services
from techbridge.matching.indexing import encoder


class Command(BaseCommand):
    help = "Embed every published posting and organisation description lacking a current vector; all processes reload."

    def handle(self, *args, **options):
        total = Posting.objects.filter(status=Posting.Status.PUBLISHED).count()
        with tqdm(total=total, unit="posting", disable=options["verbosity"] == 0, file=self.stderr) as bar:
            report = services.index_rebuild(progress=bar.update)
        self.stdout.write(
            f"{report['postings']} published postings, {report['embedded']} embedded with {encoder().key}"
        )
