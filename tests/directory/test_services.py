import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.utils import translation

from techbridge.accounts.models import Membership
from techbridge.accounts.rules import is_admin_of, organisation_ids_of
from techbridge.core.models import AuditEntry
from techbridge.directory import services
from techbridge.directory.models import Country, Organisation
from techbridge.directory.services import (
    organisation_create,
    organisation_set_verification,
    organisation_update,
)

Verification = Organisation.Verification


def audit_actions(organisation):
    return list(
        AuditEntry.objects.filter(object_id=str(organisation.pk), content_type__model="organisation")
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.mark.django_db
def test_a_member_registers_an_organisation_and_becomes_its_admin(outsider):
    assert len(organisation_ids_of(outsider)) == 1
    organisation = organisation_create(
        actor=outsider,
        legal_name="Pakistan Council of Scientific and Industrial Research",
        name_ur="پاکستان کونسل برائے سائنسی و صنعتی تحقیق",
        acronym="PCSIR",
        country=Country.PAKISTAN,
        org_type=Organisation.Type.RESEARCH_INSTITUTE,
        city="Karachi",
        description="ہم خوراک کی پروسیسنگ اور جڑی بوٹیوں سے ادویات کی تحقیق کرتے ہیں۔",
        sectors=["agri.food_processing", "bio.herbal"],
    )
    organisation.refresh_from_db()
    assert organisation.verification == Verification.UNVERIFIED
    assert organisation.description_language == "ur"
    assert sorted(organisation.sectors.values_list("code", flat=True)) == [
        "agri.food_processing",
        "bio.herbal",
    ]
    assert is_admin_of(outsider, organisation.pk)
    assert organisation.pk in organisation_ids_of(outsider)  # the cached memberships were refreshed
    entry = AuditEntry.objects.get(action="organisation.create", object_id=str(organisation.pk))
    assert entry.actor == outsider
    assert entry.changes["sectors"] == [[], ["agri.food_processing", "bio.herbal"]]
    assert entry.changes["acronym"] == ["", "PCSIR"]


@pytest.mark.django_db
def test_staff_registering_an_organisation_does_not_join_it(staff):
    organisation = organisation_create(
        actor=staff, legal_name="Embassy of Pakistan, Beijing", country="CN", org_type="embassy"
    )
    assert not Membership.objects.filter(organisation=organisation).exists()
    assert organisation.description_language == "en"


@pytest.mark.django_db
def test_anonymous_cannot_register_an_organisation():
    with pytest.raises(PermissionDenied):
        organisation_create(actor=AnonymousUser(), legal_name="X", country="PK", org_type="startup")
    assert not Organisation.objects.filter(legal_name="X").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"country": "FR"}, "country"),
        ({"org_type": "club"}, "org_type"),
        ({"website": "not a url"}, "website"),
        ({"email": "nobody"}, "email"),
        ({"sectors": ["agri", "astrology"]}, "sectors"),
        ({"legal_name": ""}, "legal_name"),
    ],
)
def test_invalid_input_is_refused_and_nothing_is_written(a_admin, fields, error_field):
    values = {"legal_name": "Valid Co", "country": "CN", "org_type": "enterprise", **fields}
    with pytest.raises(ValidationError) as caught:
        organisation_create(actor=a_admin, **values)
    assert error_field in caught.value.message_dict
    assert not Organisation.objects.filter(legal_name=values["legal_name"]).exists()
    assert Membership.objects.filter(user=a_admin).count() == 1


@pytest.mark.django_db
def test_unknown_fields_are_a_programming_error(a_admin):
    with pytest.raises(TypeError, match="verification"):
        organisation_create(
            actor=a_admin, legal_name="Y", country="CN", org_type="startup", verification="verified"
        )


@pytest.mark.django_db
def test_the_org_admin_edits_the_profile_and_the_change_is_logged(a_admin, org_a):
    organisation_update(
        actor=a_admin,
        organisation=org_a,
        name_ur="بیجنگ ژونگ کے شمسی ٹیکنالوجی کمپنی",
        description="太阳能光伏组件和离网系统。",
        sectors=["energy.solar"],
    )
    org_a.refresh_from_db()
    assert org_a.name_ur.startswith("بیجنگ")
    assert org_a.description_language == "zh-hans"
    assert list(org_a.sectors.values_list("code", flat=True)) == ["energy.solar"]
    entry = AuditEntry.objects.get(action="organisation.update")
    assert entry.changes["description_language"] == ["en", "zh-hans"]
    assert entry.changes["sectors"] == [[], ["energy.solar"]]
    assert "legal_name" not in entry.changes


@pytest.mark.django_db
def test_an_unchanged_save_writes_no_audit_entry(a_admin, org_a):
    organisation_update(actor=a_admin, organisation=org_a, city=org_a.city, sectors=[])
    assert audit_actions(org_a) == []


@pytest.mark.django_db
def test_an_unchanged_description_keeps_its_language_when_none_is_stated(org_b, staff):
    organisation_update(actor=staff, organisation=org_b, description="گندم کے بیجوں کی افزائش پر تحقیق")
    assert org_b.description_language == "ur"
    organisation_update(
        actor=staff, organisation=org_b, description=org_b.description, description_language=""
    )
    org_b.refresh_from_db()
    assert org_b.description_language == "ur"


@pytest.mark.django_db
def test_a_stated_description_language_is_kept(a_admin, org_a):
    organisation_update(actor=a_admin, organisation=org_a, description="Solar", description_language="ur")
    assert org_a.description_language == "ur"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["a_member", "b_member", "outsider", "committee"])
def test_only_org_admins_and_staff_may_edit(request, org_a, persona):
    with pytest.raises(PermissionDenied):
        organisation_update(actor=request.getfixturevalue(persona), organisation=org_a, city="Shanghai")
    org_a.refresh_from_db()
    assert org_a.city == "Beijing"


@pytest.mark.django_db
def test_staff_may_edit_any_organisation(staff, org_b):
    organisation_update(actor=staff, organisation=org_b, acronym="UAF-FSD")
    org_b.refresh_from_db()
    assert org_b.acronym == "UAF-FSD"
    assert audit_actions(org_b) == ["organisation.update"]


@pytest.mark.django_db
def test_renaming_a_verified_organisation_asks_for_verification_again(a_admin, staff, org_a):
    organisation_set_verification(actor=staff, organisation=org_a, status=Verification.VERIFIED)
    organisation_update(actor=a_admin, organisation=org_a, city="Shanghai")
    assert org_a.verification == Verification.VERIFIED
    organisation_update(actor=a_admin, organisation=org_a, legal_name="Zhongke Solar Group")
    org_a.refresh_from_db()
    assert org_a.verification == Verification.PENDING
    organisation_set_verification(actor=staff, organisation=org_a, status=Verification.VERIFIED)
    organisation_update(actor=staff, organisation=org_a, legal_name="Zhongke Solar Group Co., Ltd.")
    assert org_a.verification == Verification.VERIFIED


@pytest.mark.django_db
def test_staff_verify_and_the_org_admins_are_told_in_their_language(
    staff, org_b, b_member, django_capture_on_commit_callbacks, monkeypatch
):
    b_member.memberships.update(role=Membership.Role.ADMIN)
    rendered_in = []

    def render_recording_language(*args, **kwargs):
        rendered_in.append(translation.get_language())
        return render_to_string(*args, **kwargs)

    monkeypatch.setattr(services, "render_to_string", render_recording_language)
    with django_capture_on_commit_callbacks(execute=True):
        organisation_set_verification(
            actor=staff, organisation=org_b, status=Verification.VERIFIED, note="OK"
        )
    org_b.refresh_from_db()
    assert org_b.verification == Verification.VERIFIED
    entry = AuditEntry.objects.get(action="organisation.verification")
    assert entry.changes == {"verification": ["unverified", "verified"], "note": "OK"}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [b_member.email]
    assert "University of Agriculture, Faisalabad" in mail.outbox[0].subject
    assert "OK" in mail.outbox[0].body
    assert rendered_in == ["ur", "ur"]
    assert translation.get_language() == "en"


@pytest.mark.django_db
def test_the_verification_email_waits_for_the_commit(
    staff, org_a, a_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        organisation_set_verification(actor=staff, organisation=org_a, status=Verification.REJECTED)
    assert len(callbacks) == 1
    assert mail.outbox == []
    callbacks[0]()
    assert [message.to for message in mail.outbox] == [[a_admin.email]]


@pytest.mark.django_db
def test_asking_for_verification_sends_no_email(a_admin, org_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        organisation_set_verification(actor=a_admin, organisation=org_a, status=Verification.PENDING)
    assert callbacks == []
    assert org_a.verification == Verification.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Verification.VERIFIED, Verification.REJECTED, Verification.UNVERIFIED])
def test_org_admins_may_only_ask_for_verification(a_admin, org_a, status):
    with pytest.raises(PermissionDenied):
        organisation_set_verification(actor=a_admin, organisation=org_a, status=status)
    org_a.refresh_from_db()
    assert org_a.verification == Verification.UNVERIFIED


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["a_member", "b_member", "outsider", "committee"])
def test_others_may_not_verify_or_ask(request, org_a, persona):
    actor = request.getfixturevalue(persona)
    for status in (Verification.VERIFIED, Verification.PENDING):
        with pytest.raises(PermissionDenied):
            organisation_set_verification(actor=actor, organisation=org_a, status=status)


@pytest.mark.django_db
def test_an_unknown_status_is_invalid(staff, org_a):
    with pytest.raises(ValidationError):
        organisation_set_verification(actor=staff, organisation=org_a, status="approved")
