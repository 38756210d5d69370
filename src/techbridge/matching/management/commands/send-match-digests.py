from django.core.management.base import BaseCommand

from techbridge.matching import services, tasks


class Command(BaseCommand):
    help = (
        "Email the daily digest of match alerts to each member who chose it (at most once a day per member; "
        "run it daily, e.g. from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Hand the work to the background task worker instead."
        )

    def handle(self, *args, enqueue, **options):
        if enqueue:
            result = tasks.send_match_digests.enqueue()
            self.stdout.write(f"Enqueued task {result.id}.")
            return
        count = services.match_digests_send()
        self.stdout.write(f"Sent {count} digest(s).")
