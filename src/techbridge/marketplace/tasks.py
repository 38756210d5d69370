from django_tasks import task

from techbridge.marketplace import services


@task()
def postings_expire() -> int:
    """Expire postings whose publication year is over (idempotent; run daily)."""
    return services.postings_expire()
