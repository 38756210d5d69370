"""The admin site shows events and registrations but changes nothing: writes go through the services."""

import pytest
from django.urls import reverse

from techbridge.accounts.models import User
from techbridge.events import services

pytestmark = pytest.mark.django_db


def test_admin_lists_registrations_read_only(login, event, a_member, org_a):
    registration = services.registration_create(actor=a_member, event=event, organisation=org_a)
    client = login(
        User.objects.create_superuser("root@techbridge.example", "a-long-password", full_name="Root")
    )
    listing = client.get(reverse("admin:events_registration_changelist"))
    assert listing.status_code == 200 and "Zhang Min" in listing.content.decode()
    assert client.get(reverse("admin:events_event_change", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:events_event_add")).status_code == 403
    client.post(reverse("admin:events_registration_delete", args=[registration.pk]), {"post": "yes"})
    registration.refresh_from_db()
    assert registration.status == "confirmed"
