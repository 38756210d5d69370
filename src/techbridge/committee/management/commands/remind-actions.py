from django.core.management.base import BaseCommand

from techbridge.committee import services, tasks


class Command(BaseCommand):
    help = (
        "Email each owner of committee action items the digest of their overdue and soon-due actions "
        "(at most once a day per owner; run it daily, e.g. from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Hand the work to the background task worker instead."
        )

    def handle(self, *args, enqueue, **options):
        if enqueue:
            result = tasks.action_reminders_send.enqueue()
            self.stdout.write(f"Enqueued task {result.id}.")
            return
        count = services.action_reminders_send()
        self.stdout.write(f"Reminded {count} owner(s).")
