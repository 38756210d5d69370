"""Signals other apps listen to; sent after the transaction commits."""

from django.dispatch import Signal

meeting_followed_up = Signal()
"""A party of a one-to-one meeting reported, after it took place, an outcome of follow-up or better
(`events.outcomes.PROPOSING`); cooperation proposes a project between the two organisations.

Sent with sender=Meeting, meeting=<Meeting>, actor=<the user who recorded the feedback>.
"""
