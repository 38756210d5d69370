"""Signals other apps listen to (the matching index); sent after the transaction commits."""

from django.dispatch import Signal

organisation_description_changed = Signal()
"""An organisation's description (or its language) was set or changed: at registration with a description,
or by an edit. Receivers re-read the organisation, e.g. matching re-embeds its profile.

Sent with sender=Organisation, organisation=<Organisation>.
"""
