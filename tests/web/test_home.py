import pytest

from techbridge.directory.models import Sector
from techbridge.marketplace import services
from techbridge.marketplace.models import Posting

pytestmark = pytest.mark.django_db


def published(*, staff, actor, organisation, kind, title, confidentiality="public"):
    posting = services.posting_create(
        actor=actor,
        organisation=organisation,
        kind=kind,
        title=title,
        description="A realistic description long enough to pass validation rules.",
        sectors=[Sector.objects.order_by("code").first()],
        confidentiality=confidentiality,
    )
    services.posting_submit(actor=actor, posting=posting)
    return services.posting_publish(actor=staff, posting=posting)


@pytest.fixture
def postings(staff, a_member, b_member, org_a, org_b):
    published(
        staff=staff,
        actor=b_member,
        organisation=org_b,
        kind=Posting.Kind.NEED,
        title="Drip irrigation for cotton",
    )
    published(
        staff=staff, actor=a_member, organisation=org_a, kind=Posting.Kind.OFFER, title="Solar water pumps"
    )
    published(
        staff=staff,
        actor=a_member,
        organisation=org_a,
        kind=Posting.Kind.OFFER,
        title="Secret perovskite process",
        confidentiality=Posting.Confidentiality.STAFF,
    )


@pytest.mark.parametrize("prefix", ["", "/zh-hans", "/ur"])
def test_home_shows_live_figures_and_latest_postings(client, postings, prefix):
    response = client.get(f"{prefix}/")
    assert response.status_code == 200
    overview = response.context["overview"]
    assert (overview["needs"], overview["offers"]) == (1, 1)
    assert (overview["organisations_cn"], overview["organisations_pk"]) == (1, 1)
    html = response.content.decode()
    assert "Drip irrigation for cotton" in html
    assert "Solar water pumps" in html


def test_home_never_shows_a_posting_the_visitor_may_not_see(client, login, staff, postings):
    assert "Secret perovskite process" not in client.get("/").content.decode()
    staff_view = login(staff).get("/")
    assert staff_view.context["overview"]["offers"] == 2
    assert "Secret perovskite process" in staff_view.content.decode()
