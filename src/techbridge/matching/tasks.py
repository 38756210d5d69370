from django_tasks import task

from techbridge.matching import services


@task()
def refresh_posting(posting_id: int) -> int:
    """Re-embed a published, edited or closed posting and move the index version (idempotent)."""
    return services.posting_index_refresh(posting_id=posting_id)


@task()
def announce_posting(posting_id: int) -> int:
    """Index a newly published posting and alert the owners of strongly matching ones (idempotent)."""
    return len(services.match_alerts_send(posting_id=posting_id))
