from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone, translation

from techbridge.marketplace import services
from techbridge.marketplace.models import Interest, Posting
from techbridge.matching import selectors
from techbridge.matching.index import MatchingIndex
from tests.matching.conftest import NEED, publish

pytestmark = pytest.mark.django_db


def ids(results):
    return [result.posting.pk for result in results]


def test_an_urdu_need_finds_the_chinese_offer_first_with_terms_in_both_languages(docking, b_member):
    results = selectors.posting_matches(viewer=b_member, id=docking["need"].pk)
    assert results[0].posting == docking["offer"]
    explanation = results[0].explanation
    assert ("شمسی توانائی", "太阳能发电") in [(term.query, term.candidate) for term in explanation.key_terms]
    assert {"sectors", "terms", "kind", "border", "trl"} <= {reason.code for reason in explanation.reasons}
    assert explanation.score == pytest.approx(sum(explanation.breakdown.values()), abs=1e-3)


def test_unrelated_postings_rank_below_related_ones(docking, staff):
    order = ids(selectors.posting_matches(viewer=staff, id=docking["need"].pk))
    assert order.index(docking["ledger"].pk) > order.index(docking["offer"].pk)
    assert order.index(docking["ledger"].pk) > order.index(docking["hidden"].pk)


def test_reasons_follow_the_viewers_language(docking, b_member):
    with translation.override("ur"):
        results = selectors.posting_matches(viewer=b_member, id=docking["need"].pk)
    reasons = {reason.code: reason.message for reason in results[0].explanation.reasons}
    assert "شمسی توانائی" in reasons["sectors"]  # the taxonomy's own label
    assert reasons["kind"] == "وہ اسی قسم کی ٹیکنالوجی پیش کرتے ہیں جس کی آپ کو ضرورت ہے۔"  # the catalog's
    with translation.override("zh-hans"):
        results = selectors.posting_matches(viewer=b_member, id=docking["need"].pk)
    reasons = {reason.code: reason.message for reason in results[0].explanation.reasons}
    assert reasons["kind"] == "对方提供您所需类型的技术。"


def test_results_never_hold_what_the_viewer_may_not_see(docking, b_member, staff):
    for_member = selectors.posting_matches(viewer=b_member, id=docking["need"].pk)
    assert docking["secret"].pk not in ids(for_member)
    assert docking["secret"].pk in ids(selectors.posting_matches(viewer=staff, id=docking["need"].pk))
    hidden = next(result for result in for_member if result.posting == docking["hidden"])
    assert hidden.owner_visible is False
    assert next(r for r in for_member if r.posting == docking["offer"]).owner_visible is True


def test_an_accepted_interest_names_the_anonymous_owner_in_the_results(docking, b_member, org_b):
    Interest.objects.create(
        posting=docking["hidden"], organisation=org_b, created_by=b_member, message="?", status="accepted"
    )
    results = selectors.posting_matches(viewer=b_member, id=docking["need"].pk)
    assert next(result for result in results if result.posting == docking["hidden"]).owner_visible is True


def test_a_posting_the_viewer_may_not_see_has_no_matches(docking, b_member):
    with pytest.raises(Http404):
        selectors.posting_matches(viewer=b_member, id=docking["secret"].pk)


def test_the_postings_own_organisation_is_left_out(docking, outsider):
    results = selectors.posting_matches(viewer=outsider, id=docking["hidden"].pk)
    assert results and all(
        result.posting.organisation_id != docking["hidden"].organisation_id for result in results
    )


def test_an_organisation_profile_finds_what_it_could_answer(docking, a_member, org_a):
    results = selectors.organisation_matches(viewer=a_member, id=org_a.pk)
    assert results[0].posting == docking["need"]
    assert all(result.posting.organisation_id != org_a.pk for result in results)


def test_a_profile_is_built_only_from_postings_the_viewer_may_see_named(docking, org_c):
    anonymous = AnonymousUser()
    results = selectors.organisation_matches(viewer=anonymous, id=org_c.pk)
    terms = " ".join(str(term) for result in results for term in result.explanation.key_terms)
    assert "controller" not in terms.lower()
    assert docking["secret"].pk not in ids(results)


def test_free_text_in_english_finds_the_chinese_offer_and_filters_apply(docking, b_member):
    results = selectors.text_matches(viewer=b_member, text="solar powered irrigation pumps for farms")
    order = ids(results)
    assert order.index(docking["offer"].pk) < order.index(docking["ledger"].pk)
    offer = results[order.index(docking["offer"].pk)].explanation
    assert "Solar power / 太阳能发电" in [str(term) for term in offer.key_terms]
    needs_only = selectors.text_matches(viewer=b_member, text="solar irrigation pumps", kind="need")
    assert ids(needs_only) == [docking["need"].pk]
    # A sector takes its sub-sectors in: only the freight software is in digital.economy, under digital.
    in_digital = selectors.text_matches(viewer=b_member, text="solar irrigation pumps", sector="digital")
    assert ids(in_digital) == [docking["ledger"].pk]
    assert selectors.text_matches(viewer=b_member, text="   ") == []


def test_a_closed_posting_leaves_the_index(docking, a_member, b_member):
    services.posting_close(actor=a_member, posting=docking["offer"])
    assert docking["offer"].pk not in ids(selectors.posting_matches(viewer=b_member, id=docking["need"].pk))


def test_ranking_among_organisations_never_points_at_an_anonymous_owner(docking, b_member, org_c):
    results = selectors.organisation_matches(
        viewer=b_member, id=docking["need"].organisation_id, among={org_c.pk}
    )
    assert docking["hidden"].pk not in ids(results)
    assert docking["ledger"].pk in ids(results)
    assert all(result.owner_visible for result in results)


def test_a_lapsed_posting_is_not_matched_even_for_staff(docking, staff):
    Posting.objects.filter(pk=docking["offer"].pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert docking["offer"].pk not in ids(selectors.posting_matches(viewer=staff, id=docking["need"].pk))


def test_a_draft_not_indexed_is_matched_from_its_own_text_for_its_owner_only(docking, b_member, a_member):
    draft = services.posting_create(
        actor=b_member,
        organisation=docking["need"].organisation,
        kind="need",
        title=NEED[0],
        description=NEED[1],
        sectors=["energy.solar", "agri.irrigation"],
        trl=6,
    )
    results = selectors.posting_matches(viewer=b_member, id=draft.pk)
    assert results[0].posting == docking["offer"]
    assert {"sectors", "kind", "border", "trl"} <= {reason.code for reason in results[0].explanation.reasons}
    with pytest.raises(Http404):
        selectors.posting_matches(viewer=a_member, id=draft.pk)


def test_matches_hidden_from_the_viewer_make_the_search_go_deeper(
    docking, staff, outsider, org_c, b_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(8):  # more than the first read takes for one result
            publish(
                staff,
                outsider,
                org_c,
                "offer",
                NEED,
                ["energy.solar", "agri.irrigation"],
                confidentiality=Posting.Confidentiality.STAFF,
            )
    assert len(selectors.posting_matches(viewer=staff, id=docking["need"].pk, limit=8)) == 8
    best = selectors.posting_matches(viewer=b_member, id=docking["need"].pk, limit=1)
    assert [result.posting.confidentiality for result in best] == [Posting.Confidentiality.PUBLIC]


def test_free_text_searches_the_exact_pool_and_postings_may_use_the_approximate_one(
    docking, b_member, monkeypatch
):
    asked = []
    search = MatchingIndex.search

    def spy(self, *args, exact=False, **kwargs):
        asked.append(exact)
        return search(self, *args, exact=exact, **kwargs)

    monkeypatch.setattr(MatchingIndex, "search", spy)
    selectors.text_matches(viewer=b_member, text="solar irrigation pumps")
    selectors.posting_matches(viewer=b_member, id=docking["need"].pk)
    assert asked == [True, False]
