"""`techbridge demo`: load the demo data set (idempotent) and print the demo logins."""

from contextlib import contextmanager

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from techbridge.demo.loader import DEMO_PASSWORD, load_demo, read_demo_data
from techbridge.marketplace import signals
from techbridge.matching import receivers

MATCHING_RECEIVERS = [
    (signals.posting_published, receivers.posting_published, "matching-posting-published"),
    (signals.posting_changed, receivers.posting_changed, "matching-posting-changed"),
]


@contextmanager
def matching_paused():
    """Demo postings are history, not news: no match alerts for them; `techbridge reindex` indexes them after."""
    for signal, _receiver, uid in MATCHING_RECEIVERS:
        signal.disconnect(dispatch_uid=uid)
    try:
        yield
    finally:
        for signal, receiver, uid in MATCHING_RECEIVERS:
            signal.connect(receiver, dispatch_uid=uid)


class Command(BaseCommand):
    help = "Load the demo organisations, people, postings and interests (a second run changes nothing)."

    def handle(self, *args, **options):
        data = read_demo_data()
        # The services notify people by email; the demo's few hundred notifications would bury the logins.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            matching_paused(),
        ):
            created = load_demo(data=data)
        if any(created.values()):
            summary = ", ".join(f"{count} {what}" for what, count in sorted(created.items()))
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {summary} created."))
            self.stdout.write(
                "Run `techbridge reindex` to index the demo postings for matching (`make run` does)."
            )
        else:
            self.stdout.write("Demo data already loaded: nothing changed.")
        self.stdout.write(f"\nDemo logins (password for every demo account: {DEMO_PASSWORD})")
        width = max(len(login["role"]) for login in data.logins)
        for login in data.logins:
            self.stdout.write(f"  {login['role']:<{width}}  {login['email']}")
