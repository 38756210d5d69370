"""Signals other apps listen to (the matching index); sent after the transaction commits."""

from django.dispatch import Signal

posting_published = Signal()
"""A posting became visible on the marketplace (published, or renewed after expiry).

Sent with sender=Posting, posting=<Posting>.
"""

posting_changed = Signal()
"""A posting's content or status changed in any other way (edited, submitted, returned, closed, expired,
renewed). Receivers re-read the posting and drop it from indexes when it is no longer published.

Sent with sender=Posting, posting=<Posting>.
"""

interest_accepted = Signal()
"""A posting's owner (or Center staff) accepted an expression of interest; cooperation proposes a project.

Sent with sender=Interest, interest=<Interest>, actor=<the user who accepted>.
"""
