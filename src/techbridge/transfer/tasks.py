from django_tasks import task

from techbridge.transfer import services


@task()
def import_batch_process(batch_id: int) -> str:
    """Check or import an uploaded file (see services.import_batch_process)."""
    return services.import_batch_process(batch_id=batch_id)
