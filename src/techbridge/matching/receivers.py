"""The marketplace tells matching when a posting changes, the directory when an organisation's description
does; the index catches up in a background task."""

from techbridge.matching import tasks


def posting_published(sender, posting, **kwargs) -> None:
    tasks.announce_posting.enqueue(posting_id=posting.pk)


def posting_changed(sender, posting, **kwargs) -> None:
    tasks.refresh_posting.enqueue(posting_id=posting.pk)


def organisation_description_changed(sender, organisation, **kwargs) -> None:
    tasks.refresh_organisation.enqueue(organisation_id=organisation.pk)
