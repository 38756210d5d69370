from django_tasks import task

from techbridge.matching import services


@task()
def refresh_posting(posting_id: int) -> int:
    """Re-embed a published, edited or closed posting and move the index version (idempotent)."""
    return services.posting_index_refresh(posting_id=posting_id)


@task()
def refresh_organisation(organisation_id: int) -> int:
    """Re-embed an organisation's edited description (its profile for matching; idempotent)."""
    return services.organisation_index_refresh(organisation_id=organisation_id)


@task()
def announce_posting(posting_id: int) -> int:
    """Index a newly published posting and alert the owners of strongly matching ones (idempotent)."""
    return len(services.match_alerts_send(posting_id=posting_id))


@task()
def send_match_digests() -> int:
    """Email the daily digest of match alerts to each member who chose it (once a day; run daily)."""
    return services.match_digests_send()
