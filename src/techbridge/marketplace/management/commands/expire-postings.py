from django.core.management.base import BaseCommand

from techbridge.marketplace import services, tasks


class Command(BaseCommand):
    help = (
        "Expire the postings published more than a year ago and not renewed (run it daily, e.g. from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Hand the work to the background task worker instead."
        )

    def handle(self, *args, enqueue, **options):
        if enqueue:
            result = tasks.postings_expire.enqueue()
            self.stdout.write(f"Enqueued task {result.id}.")
            return
        count = services.postings_expire()
        self.stdout.write(f"Expired {count} posting(s).")
