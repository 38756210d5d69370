"""Who may see and run events and registrations: the one rule set every door goes through."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from techbridge.accounts.models import Membership
from techbridge.accounts.rules import is_center_staff, organisation_ids_of
from techbridge.events.models import Event, Registration


def can_manage_event(user, event: Event) -> bool:
    """Center staff, the event's organising staff and the administrators of its organiser organisations."""
    if is_center_staff(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    if event.organiser_people.filter(pk=user.pk).exists():
        return True
    return Membership.objects.filter(
        user=user,
        role=Membership.Role.ADMIN,
        organisation__in=event.organiser_organisations.all(),
    ).exists()


def require_manager(actor, event: Event) -> None:
    if not can_manage_event(actor, event):
        raise PermissionDenied("Only the event's organisers may change it.")


def managed_events_q(user) -> Q:
    """The events `user` manages, other than as Center staff (who manage all)."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    admin_of = Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values("organisation_id")
    return Q(organiser_people=user) | Q(organiser_organisations__in=admin_of)


def visible_events_q(user) -> Q:
    """Published events (anything past draft) for everyone; drafts for those who manage them."""
    if is_center_staff(user):
        return Q()  # OR-ing an empty Q would drop it, so staff get no filter at all
    return ~Q(status=Event.Status.DRAFT) | managed_events_q(user)


def can_view_registration(user, registration: Registration) -> bool:
    """The registrant, members of the organisation they represent, and the event's managers."""
    if user is None or not user.is_authenticated:
        return False
    if registration.user_id == user.pk or registration.organisation_id in organisation_ids_of(user):
        return True
    return can_manage_event(user, registration.event)


def can_cancel_registration(user, registration: Registration) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return registration.user_id == user.pk or can_manage_event(user, registration.event)
