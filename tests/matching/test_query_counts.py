"""The match selectors read the database a fixed number of times, however many results they show: the
visibility check and the loading of the shown postings are one read, their interest facts one prefetch, and
their sectors and an organisation's indexed postings come from the index."""

import pytest

from techbridge.matching import selectors

pytestmark = pytest.mark.django_db


def test_posting_matches_query_count(docking, b_member, django_assert_num_queries):
    selectors.posting_matches(viewer=b_member, id=docking["need"].pk)  # the index is built
    # the posting with its owner (its text and facts come from the index), index version, visible shown rows,
    # their interests
    with django_assert_num_queries(4):
        results = selectors.posting_matches(viewer=b_member, id=docking["need"].pk, limit=20)
    assert len(results) > 1
    for result in results:  # everything the page and the API show is loaded
        with django_assert_num_queries(0):
            codes = result.posting.sector_codes
            assert result.posting.organisation.legal_name
        assert codes == [sector.code for sector in result.posting.sectors.order_by("position", "code")]
    assert any(len(result.posting.sector_codes) > 1 for result in results)  # the order is tested


def test_organisation_matches_query_count(docking, a_member, org_a, django_assert_num_queries):
    selectors.organisation_matches(viewer=a_member, id=org_a.pk)
    # organisation + its sectors, its visible postings' ids, index version, visible shown rows, interests (the
    # stored description vector is held by the engine)
    with django_assert_num_queries(6):
        results = selectors.organisation_matches(viewer=a_member, id=org_a.pk, limit=20)
    assert results
