"""Cooperation fixtures: a project between org_a (provider) and org_b (recipient), opened by Center staff."""

import pytest

from techbridge.cooperation import services
from techbridge.cooperation.models import Party, Project
from techbridge.directory.models import Sector


@pytest.fixture
def make_project(staff, org_a, org_b):
    def make(*, actor=None, title="Solar cold storage for mango growers", **fields):
        fields.setdefault("project_type", Project.Type.TECHNOLOGY_TRANSFER)
        fields.setdefault("parties", [(org_a, Party.Role.PROVIDER), (org_b, Party.Role.RECIPIENT)])
        fields.setdefault("sector", Sector.objects.get(code="energy.solar"))
        return services.project_create(actor=actor or staff, title=title, **fields)

    return make


@pytest.fixture
def project(make_project):
    return make_project()


def move(project, actor, *stages, reason="Both sides agreed."):
    """Take the project through `stages` in order."""
    for stage in stages:
        project = services.project_change_stage(actor=actor, project=project, stage=stage, reason=reason)
    return project


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
