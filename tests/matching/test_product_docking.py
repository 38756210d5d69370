import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from techbridge.marketplace.models import Interest
from techbridge.matching import selectors, services

pytestmark = pytest.mark.django_db


def test_the_best_unacted_pair_comes_first_and_leaves_once_introduced(docking, staff):
    pairs = selectors.docking_pairs(user=staff)
    assert (pairs[0].posting, pairs[0].match.posting) == (docking["need"], docking["offer"])
    assert docking["secret"] not in [pair.match.posting for pair in pairs]  # staff-only: no introductions
    interests = services.introduction_propose(
        actor=staff, posting=docking["need"], partner=docking["offer"], message="Please meet."
    )
    assert {(i.posting, i.organisation, i.proposed_by_staff) for i in interests} == {
        (docking["need"], docking["offer"].organisation, True),
        (docking["offer"], docking["need"].organisation, True),
    }
    after = [(pair.posting, pair.match.posting) for pair in selectors.docking_pairs(user=staff)]
    assert (docking["need"], docking["offer"]) not in after


def test_only_staff_see_the_docking_view_and_propose(docking, a_admin, login, staff):
    with pytest.raises(PermissionDenied):
        selectors.docking_pairs(user=a_admin)
    with pytest.raises(PermissionDenied):
        services.introduction_propose(
            actor=a_admin, posting=docking["need"], partner=docking["offer"], message="Hello."
        )
    assert login(a_admin).get(reverse("matching:docking")).status_code == 403
    page = login(staff).get(reverse("matching:docking"), {"sector": "energy"}).content.decode()
    assert docking["need"].title in page and docking["offer"].title in page
    assert selectors.docking_pairs(user=staff, sector="energy")
    assert not selectors.docking_pairs(user=staff, sector="digital")  # no need or search seeks there


def test_one_click_proposes_both_sides(docking, login, staff, a_admin):
    data = {"posting": docking["need"].pk, "partner": docking["offer"].pk}
    assert login(a_admin).post(reverse("matching:introduction_propose"), data).status_code == 403
    assert Interest.objects.count() == 0
    response = login(staff).post(reverse("matching:introduction_propose"), data)
    assert response.status_code == 302
    assert Interest.objects.filter(proposed_by_staff=True).count() == 2
    again = login(staff).post(reverse("matching:introduction_propose"), data, follow=True)
    assert "already expressed interest" in again.content.decode()
    assert Interest.objects.count() == 2
