from django_tasks import task

from techbridge.committee import services


@task()
def action_reminders_send() -> int:
    """Email each owner their overdue and soon-due committee actions (at most once a day per owner; run daily)."""
    return services.action_reminders_send()
