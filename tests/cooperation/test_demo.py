from collections import Counter

import pytest

from techbridge.cooperation import selectors
from techbridge.cooperation.models import Financing, Project, StageChange
from techbridge.demo.loader import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(staff):
    load_demo()


def test_demo_pipeline_is_lively(demo, staff):
    stages = Counter(Project.objects.filter(status="confirmed").values_list("stage", flat=True))
    assert {"implementation", "completed", "stalled", "dropped", "mou", "meeting", "introduction"} <= set(
        stages
    )
    assert Project.objects.filter(status="proposed").exists()
    stalled = Project.objects.get(stage="stalled")
    assert "lease" in stalled.stage_reason
    figures = {row.stage: row for row in selectors.pipeline_overview(user=staff)}
    assert figures["interest"].reached == sum(stages.values())
    assert 0 < figures["meeting"].conversion < 1
    assert figures["introduction"].median_days is not None and figures["introduction"].median_days > 1
    # Stage histories span months, not the instant the demo was loaded.
    span = StageChange.objects.order_by("changed_at")
    assert (span.last().changed_at - span.first().changed_at).days > 200
    assert Financing.objects.filter(kind="committed", currency="PKR").exists()


def test_loading_the_demo_again_adds_no_project(demo):
    before = (Project.objects.count(), StageChange.objects.count(), Financing.objects.count())
    load_demo()
    assert (Project.objects.count(), StageChange.objects.count(), Financing.objects.count()) == before
