from django_tasks import task

from techbridge.accounts.models import User
from techbridge.events import b2b, services
from techbridge.events.models import Event


@task()
def meetings_schedule(event_id: int, actor_id: int) -> dict:
    """Compute an event's meeting schedule for the organiser who asked (see b2b.meetings_schedule),
    writing the solver's progress to the event while it runs."""
    schedule = b2b.meetings_schedule(
        actor=User.objects.get(pk=actor_id), event=Event.objects.get(pk=event_id), report_progress=True
    )
    return {key: value for key, value in schedule.items() if key != "scheduled"}


@task()
def events_remind() -> int:
    """Remind participants of events starting within two days (idempotent; run hourly or daily)."""
    return services.events_remind()
