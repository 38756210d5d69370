"""Remote attendance chosen when registering: for hybrid and online events, never for venue-only ones."""

import pytest
from django.core.exceptions import ValidationError

from techbridge.events import services
from techbridge.events.models import Event, Registration
from tests.events.test_api import post
from tests.events.test_views import html, url

pytestmark = pytest.mark.django_db
CHOICE = "I attend remotely (my meetings get an online link)"


def make_hybrid(staff, event):
    return services.event_update(
        actor=staff, event=event, format=Event.Format.HYBRID, online_url="https://meet.example/hall"
    )


def test_the_service_takes_remote_attendance_except_at_venue_only_events(staff, event, a_member, org_a):
    with pytest.raises(ValidationError) as refused:
        services.registration_create(actor=a_member, event=event, organisation=org_a, remote=True)
    assert "remote" in refused.value.message_dict
    assert not Registration.objects.exists()
    make_hybrid(staff, event)
    registration = services.registration_create(actor=a_member, event=event, organisation=org_a, remote=True)
    assert registration.remote and registration.status == Registration.Status.CONFIRMED


def test_the_register_page_offers_remote_attendance_at_hybrid_events(login, staff, event, a_member, org_a):
    client = login(a_member)
    make_hybrid(staff, event)
    assert CHOICE in html(client.get(url("register", pk=event.pk)))
    response = client.post(url("register", pk=event.pk), {"organisation": org_a.pk, "remote": "on"})
    registration = Registration.objects.get()
    assert response.status_code == 302 and response["Location"] == url("registration", pk=registration.pk)
    assert registration.remote


def test_online_events_offer_it_and_leaving_it_unticked_means_at_the_venue(
    login, staff, event, a_member, b_member, org_a, org_b
):
    make_hybrid(staff, event)
    login(a_member).post(url("register", pk=event.pk), {"organisation": org_a.pk})
    assert not Registration.objects.get(user=a_member).remote
    services.event_update(actor=staff, event=event, format=Event.Format.ONLINE)
    assert CHOICE in html(login(b_member).get(url("register", pk=event.pk)))


def test_venue_only_events_do_not_offer_it(login, event, a_member, org_a):
    client = login(a_member)
    page = html(client.get(url("register", pk=event.pk)))
    assert CHOICE not in page and 'name="remote"' not in page
    # A forged field is not a choice the page offers: the registration is at the venue.
    client.post(url("register", pk=event.pk), {"organisation": org_a.pk, "remote": "on"})
    assert Registration.objects.get().remote is False


def test_the_api_takes_remote_attendance_when_registering(
    login, staff, event, a_member, b_member, org_a, org_b
):
    path = f"/api/v1/events/{event.pk}/registrations"
    refused = post(login(a_member), path, {"organisation_id": org_a.pk, "remote": True})
    assert refused.status_code == 422 and "remote" in refused.json()["errors"]
    assert not Registration.objects.exists()
    make_hybrid(staff, event)
    response = post(login(a_member), path, {"organisation_id": org_a.pk, "remote": True})
    assert response.status_code == 201 and response.json()["remote"] is True
    assert Registration.objects.get(user=a_member).remote
    at_venue = post(login(b_member), path, {"organisation_id": org_b.pk})
    assert at_venue.status_code == 201 and at_venue.json()["remote"] is False
