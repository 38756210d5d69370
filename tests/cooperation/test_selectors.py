import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from techbridge.cooperation import selectors
from techbridge.cooperation.models import Party, Project
from techbridge.directory.models import Country, Organisation, Sector
from tests.cooperation.conftest import move

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "visible"),
    [("a_member", True), ("b_member", True), ("staff", True), ("committee", True), ("outsider", False)],
)
def test_who_sees_a_project(request, project, persona, visible):
    user = request.getfixturevalue(persona)
    assert (project in selectors.project_list(user=user)) is visible
    if visible:
        assert selectors.access_project(user=user, id=project.pk) == project
    else:
        with pytest.raises(Http404):
            selectors.access_project(user=user, id=project.pk)


def test_missing_and_hidden_projects_look_the_same(project, outsider):
    for pk in (project.pk, project.pk + 1000):
        with pytest.raises(Http404, match="No such cooperation project."):
            selectors.access_project(user=outsider, id=pk)


@pytest.fixture
def sindh_lab(make_project, org_a, org_c, staff):
    project = make_project(
        title="Joint port-logistics laboratory",
        project_type=Project.Type.JOINT_LABORATORY,
        parties=[(org_a, Party.Role.RESEARCH), (org_c, Party.Role.RESEARCH)],
        sector=Sector.objects.get(code="agri.irrigation"),
    )
    return move(project, staff, "meeting")


def test_filters_by_type_stage_province_and_sector(project, sindh_lab, staff):
    def titles(**filters):
        return {p.title for p in selectors.project_list(user=staff, **filters)}

    assert titles(project_type="joint_laboratory") == {sindh_lab.title}
    assert titles(stage="interest") == {project.title}
    assert titles(province="sindh") == {sindh_lab.title}
    assert titles(province="Beijing") == {project.title, sindh_lab.title}
    assert titles(sector="energy") == {project.title}
    assert titles(sector="agri") == {sindh_lab.title}
    assert selectors.province_choices(user=staff) == ["Beijing", "Punjab", "Sindh"]


def test_province_choices_come_only_from_visible_projects(project, sindh_lab, b_member):
    assert selectors.province_choices(user=b_member) == ["Beijing", "Punjab"]


def test_project_list_makes_a_fixed_number_of_queries(make_project, staff, django_assert_num_queries):
    for number in range(5):
        organisation = Organisation.objects.create(
            legal_name=f"Partner {number}", country=Country.PAKISTAN, org_type=Organisation.Type.STARTUP
        )
        make_project(
            title=f"Project number {number}",
            parties=[
                (Organisation.objects.get(legal_name__startswith="Beijing"), Party.Role.PROVIDER),
                (organisation, Party.Role.RECIPIENT),
            ],
        )
    with django_assert_num_queries(2):  # the projects (with their sectors), and their parties
        rows = [
            (p.title, [party.organisation.legal_name for party in p.parties.all()])
            for p in selectors.project_list(user=staff)
        ]
    assert len(rows) == 5


def test_pipeline_overview_for_staff_and_committee_only(project, make_project, staff, committee, a_admin):
    move(project, staff, "introduction", "meeting")
    move(make_project(title="Second project"), staff, "introduction", "stalled")
    figures = {row.stage: row for row in selectors.pipeline_overview(user=committee)}
    assert figures["meeting"].current == 1 and figures["stalled"].current == 1
    assert figures["interest"].reached == 2
    assert figures["introduction"].conversion == 1 / 2
    assert figures["interest"].median_days is not None
    with pytest.raises(PermissionDenied):
        selectors.pipeline_overview(user=a_admin)


def test_pipeline_overview_leaves_out_proposals(project, staff):
    Project.objects.filter(pk=project.pk).update(status=Project.Status.PROPOSED)
    figures = {row.stage: row for row in selectors.pipeline_overview(user=staff)}
    assert figures["interest"].current == 0
