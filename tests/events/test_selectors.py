"""Event reads: drafts stay with their organisers, registrations with the people concerned."""

import pytest
from django.http import Http404

from techbridge.events import selectors, services
from techbridge.events.models import Registration

pytestmark = pytest.mark.django_db


def test_drafts_are_seen_by_organisers_only(draft_event, staff, a_admin, org_a, b_member):
    assert list(selectors.event_list(viewer=b_member)) == []
    with pytest.raises(Http404):
        selectors.access_event(user=None, id=draft_event.pk)
    assert selectors.access_event(user=staff, id=draft_event.pk) == draft_event
    services.event_update(actor=staff, event=draft_event, organisations=[org_a])
    assert list(selectors.event_list(viewer=a_admin)) == [draft_event]
    with pytest.raises(Http404):
        selectors.access_managed_event(user=b_member, id=draft_event.pk)


def test_open_events_are_public_with_places_held(event, a_member, org_a):
    services.registration_create(actor=a_member, event=event, organisation=org_a)
    listed = selectors.event_list(viewer=None).get()
    assert listed.places_held == 1


def test_event_list_queries_stay_constant(event, staff, django_assert_num_queries):
    for n in range(3):
        services.event_set_status(
            actor=staff,
            event=services.event_create(
                actor=staff,
                title_en=f"Event {n}",
                venue="Hall",
                time_zone="Asia/Shanghai",
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                capacity=5,
            ),
            status="open",
        )
    with django_assert_num_queries(1):
        assert len(list(selectors.event_list(viewer=None))) == 4


def test_registrations_are_seen_by_the_registrant_their_organisation_and_organisers(
    event, a_member, a_admin, b_member, staff, org_a
):
    registration = services.registration_create(actor=a_member, event=event, organisation=org_a)
    for person in (a_member, a_admin, staff):
        assert selectors.access_registration(user=person, id=registration.pk) == registration
    for person in (b_member, None):
        with pytest.raises(Http404):
            selectors.access_registration(user=person, id=registration.pk)


def test_check_in_search_by_name_organisation_and_badge_code(event, staff, a_member, b_member, org_a, org_b):
    chinese = services.registration_create(actor=a_member, event=event, organisation=org_a)
    urdu = services.registration_create(actor=b_member, event=event, organisation=org_b)

    def found(**query):
        return list(selectors.registration_list(user=staff, event=event, **query))

    assert found(text="zhang") == [chinese]
    assert found(text="زرعی") == [urdu]
    assert found(text="UAF") == [urdu]
    assert found(code=str(urdu.code)) == [urdu]
    assert found(code="not-a-code") == []
    assert set(found(status=Registration.Status.CONFIRMED)) == {chinese, urdu}
    with pytest.raises(Http404):
        selectors.registration_list(user=a_member, event=event)


def test_figures_count_each_status(event, staff, a_admin, a_member, b_member, org_a, org_b):
    first = services.registration_create(actor=a_admin, event=event, organisation=org_a)
    services.registration_create(actor=a_member, event=event, organisation=org_a)
    services.registration_create(actor=b_member, event=event, organisation=org_b)
    services.registration_check_in(actor=staff, registration=first)
    figures = selectors.event_figures(event=event)
    assert (figures["confirmed"], figures["waitlisted"], figures["checked_in"], figures["pending"]) == (
        2,
        1,
        1,
        0,
    )
