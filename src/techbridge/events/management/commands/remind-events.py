from django.core.management.base import BaseCommand

from techbridge.events import services, tasks


class Command(BaseCommand):
    help = (
        "Remind confirmed participants of events starting within two days, once each, with their meetings "
        "(run it hourly or daily, e.g. from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Hand the work to the background task worker instead."
        )

    def handle(self, *args, enqueue, **options):
        if enqueue:
            result = tasks.events_remind.enqueue()
            self.stdout.write(f"Enqueued task {result.id}.")
            return
        count = services.events_remind()
        self.stdout.write(f"Sent {count} reminder(s).")
