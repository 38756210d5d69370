"""Reactions to other apps' signals."""

from django.dispatch import receiver

from techbridge.cooperation.services import project_propose_from_interest, project_propose_from_meeting
from techbridge.events.signals import meeting_followed_up
from techbridge.marketplace.signals import interest_accepted


@receiver(interest_accepted, dispatch_uid="cooperation.propose_project")
def propose_project(sender, *, interest, actor, **kwargs):
    project_propose_from_interest(actor=actor, interest=interest)


@receiver(meeting_followed_up, dispatch_uid="cooperation.propose_project_from_meeting")
def propose_project_from_meeting(sender, *, meeting, actor, **kwargs):
    project_propose_from_meeting(actor=actor, meeting=meeting)
