"""Reactions to other apps' signals."""

from django.dispatch import receiver

from techbridge.cooperation.services import project_propose_from_interest
from techbridge.marketplace.signals import interest_accepted


@receiver(interest_accepted, dispatch_uid="cooperation.propose_project")
def propose_project(sender, *, interest, actor, **kwargs):
    project_propose_from_interest(actor=actor, interest=interest)
