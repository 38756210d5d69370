"""The marketplace tells matching when a posting changes; the index catches up in a background task."""

from techbridge.matching import tasks


def posting_updated(sender, posting, **kwargs) -> None:
    tasks.refresh_posting.enqueue(posting_id=posting.pk)
