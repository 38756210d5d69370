"""Personas shared by every test (DESIGN.md): who may see and change what.

- staff: Center staff            - committee: a coordination-committee member
- a_admin / a_member: org admin and member of a Chinese enterprise (org_a)
- b_member: member of a Pakistani university (org_b)
- outsider: a signed-up user of a third organisation (org_c) with no stake
- anonymous: nobody signed in (the plain `client`)
"""

import pytest
from django.test import Client

from techbridge.accounts.models import Membership, PlatformRole, User
from techbridge.directory.models import Country, Organisation

PASSWORD = "correct-horse-battery-staple"


def make_user(email: str, *, full_name: str, organisation=None, role=Membership.Role.MEMBER, **extra) -> User:
    user = User.objects.create_user(email, PASSWORD, full_name=full_name, **extra)
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    settings.LANGUAGE_CODE = "en"
    settings.AXES_ENABLED = False
    # PBKDF2's deliberate slowness costs over a second per persona; tests do not need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def org_a(db):
    return Organisation.objects.create(
        legal_name="Beijing Zhongke Solar Technology Co., Ltd.",
        name_zh="北京中科光伏科技有限公司",
        country=Country.CHINA,
        org_type=Organisation.Type.ENTERPRISE,
        province="Beijing",
        city="Beijing",
        email="contact@zkpv.example.cn",
        phone="+86 10 6000 0000",
        description="Photovoltaic modules and off-grid solar systems.",
        description_language="en",
    )


@pytest.fixture
def org_b(db):
    return Organisation.objects.create(
        legal_name="University of Agriculture, Faisalabad",
        name_ur="زرعی یونیورسٹی فیصل آباد",
        acronym="UAF",
        country=Country.PAKISTAN,
        org_type=Organisation.Type.UNIVERSITY,
        province="Punjab",
        city="Faisalabad",
        email="oric@uaf.example.pk",
        phone="+92 41 000 0000",
    )


@pytest.fixture
def org_c(db):
    return Organisation.objects.create(
        legal_name="Karachi Logistics Pvt Ltd",
        country=Country.PAKISTAN,
        org_type=Organisation.Type.ENTERPRISE,
        province="Sindh",
        city="Karachi",
    )


@pytest.fixture
def staff(db):
    return make_user("staff@techbridge.example", full_name="Li Na", platform_role=PlatformRole.CENTER_STAFF)


@pytest.fixture
def committee(db):
    return make_user(
        "committee@techbridge.example", full_name="Ayesha Khan", platform_role=PlatformRole.COMMITTEE
    )


@pytest.fixture
def a_admin(org_a):
    return make_user(
        "admin@zkpv.example.cn", full_name="Wang Wei", organisation=org_a, role=Membership.Role.ADMIN
    )


@pytest.fixture
def a_member(org_a):
    return make_user(
        "engineer@zkpv.example.cn", full_name="Zhang Min", organisation=org_a, preferred_language="zh-hans"
    )


@pytest.fixture
def b_member(org_b):
    return make_user(
        "researcher@uaf.example.pk",
        full_name="Bilal Ahmed",
        organisation=org_b,
        preferred_language="ur",
        phone="+92 300 0000000",
    )


@pytest.fixture
def outsider(org_c):
    return make_user("someone@klog.example.pk", full_name="Sara Malik", organisation=org_c)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def login():
    """login(user) -> a test client signed in as that user (None: anonymous)."""
    return client_for
