import pytest
from django.core.exceptions import PermissionDenied

from techbridge.core.models import AuditEntry
from techbridge.directory.models import Organisation, Sector
from techbridge.marketplace.models import Posting
from techbridge.transfer.models import ImportBatch
from techbridge.transfer.services import import_batch_confirm, import_batch_create, import_run
from tests.transfer.conftest import ORGANISATION, POSTING, csv_bytes, rows_of, xlsx_bytes

pytestmark = pytest.mark.django_db

PAKISTANI = ORGANISATION | {
    "Legal Name": "Punjab Seed Research Institute",
    "Name_ZH": "",
    "country": "Pakistan",
    "type": "research institute",
    "province": "Punjab",
    "city": "Lahore",
    "website": "",
    "email": "",
    "phone": "",
    "description": "Develops heat-tolerant cotton and wheat seed varieties for farmers in Punjab.",
    "sectors": "Agriculture",
    "size": "",
}


def run(actor, kind, content, filename="file.csv", **options):
    return import_run(actor=actor, kind=kind, filename=filename, content=content, **options)


def issues(report) -> list[tuple[int | None, str]]:
    return [(issue.row, issue.column) for issue in report.issues]


@pytest.mark.parametrize(
    ("filename", "encoding"),
    [("orgs.csv", "utf-8"), ("orgs.csv", "utf-8-sig"), ("orgs.csv", "gbk"), ("orgs.xlsx", None)],
)
def test_staff_imports_organisations_from_each_format(staff, filename, encoding):
    rows = [ORGANISATION, PAKISTANI]
    content = csv_bytes(*rows, encoding=encoding) if encoding else xlsx_bytes(rows_of(*rows))
    report = run(staff, "organisations", content, filename)

    assert report.ok, report.lines()
    assert [item.row for item in report.created] == [2, 3]
    chinese = Organisation.objects.get(legal_name=ORGANISATION["Legal Name"])
    assert (chinese.name_zh, chinese.country, chinese.org_type, chinese.size) == (
        "深圳日出光伏有限公司",
        "CN",
        "enterprise",
        "medium",
    )
    assert chinese.website == "https://www.sunrise-pv.example.cn"
    assert chinese.description_language == "zh-hans"
    assert set(chinese.sectors.values_list("code", flat=True)) == {"energy.solar", "digital"}
    pakistani = Organisation.objects.get(legal_name=PAKISTANI["Legal Name"])
    assert (pakistani.country, pakistani.org_type, pakistani.description_language) == (
        "PK",
        "research_institute",
        "en",
    )
    assert list(pakistani.sectors.values_list("code", flat=True)) == ["agri"]
    assert not chinese.memberships.exists()  # staff do not become members of what they import
    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.status, batch.created_by, bytes(batch.content)) == (
        "organisations",
        "imported",
        staff,
        b"",
    )
    assert AuditEntry.objects.filter(action="transfer.import", object_id=str(batch.pk)).exists()


def test_urdu_names_of_countries_types_and_sectors_are_understood(staff):
    agri, irrigation = Sector.objects.get(code="agri"), Sector.objects.get(code="agri.irrigation")
    row = PAKISTANI | {"country": "پاکستان", "sectors": f"{agri.label_ur}؛ {irrigation.label_zh_hans}"}
    report = run(staff, "organisations", csv_bytes(row))
    assert report.ok, report.lines()
    organisation = Organisation.objects.get(legal_name=PAKISTANI["Legal Name"])
    assert organisation.country == "PK"
    assert set(organisation.sectors.values_list("code", flat=True)) == {"agri", "agri.irrigation"}


def test_a_member_importing_organisations_becomes_their_administrator(outsider):
    report = run(outsider, "organisations", csv_bytes(PAKISTANI))
    assert report.ok, report.lines()
    organisation = Organisation.objects.get(legal_name=PAKISTANI["Legal Name"])
    assert organisation.memberships.get().user == outsider


def test_every_bad_organisation_row_is_reported_and_nothing_is_written(staff, org_a):
    rows = [
        ORGANISATION,  # row 2: fine
        ORGANISATION | {"Legal Name": ""},  # 3: missing required value
        PAKISTANI | {"Legal Name": "Indus Motors", "country": "Atlantis"},  # 4: bad choice
        PAKISTANI | {"Legal Name": "Thar Coal", "type": "pirate ship"},  # 5: bad choice
        PAKISTANI | {"Legal Name": "Karakoram Labs", "sectors": "agri;quantum basket weaving"},  # 6
        PAKISTANI | {"Legal Name": "Long City", "city": "C" * 101},  # 7: too long
        PAKISTANI | {"Legal Name": "Mail Co", "email": "not-an-address"},  # 8: invalid e-mail
        ORGANISATION | {"Legal Name": ORGANISATION["Legal Name"].upper()},  # 9: duplicate of row 2
        ORGANISATION | {"Legal Name": "beijing zhongke solar technology co.,  ltd."},  # 10: exists (org_a)
        ORGANISATION
        | {"Legal Name": org_a.legal_name, "country": "PK"},  # 11: same name, other country: fine
    ]
    before = (Organisation.objects.count(), AuditEntry.objects.count())
    report = run(staff, "organisations", csv_bytes(*rows))

    assert issues(report) == [
        (3, "legal_name"),
        (4, "country"),
        (5, "type"),
        (6, "sectors"),
        (7, "city"),
        (8, "email"),
        (9, "legal_name"),
        (10, "legal_name"),
    ]
    messages = [issue.message for issue in report.issues]
    assert messages[0] == "This value is required."
    assert messages[1] == "“Atlantis” is not one of: CN, PK, XX."
    assert messages[3] == "Unknown sector “quantum basket weaving”."
    assert "at most 100 characters (it has 101)" in messages[4]
    assert messages[6] == "Duplicate of row 2 in this file."
    assert messages[7] == f"Already exists (id {org_a.pk})."
    assert str(report.issues[1]) == "Row 4, column “country”: “Atlantis” is not one of: CN, PK, XX."
    assert report.created == []
    assert (Organisation.objects.count(), AuditEntry.objects.count()) == before
    assert not ImportBatch.objects.exists()


def test_unknown_and_missing_columns_are_reported_on_the_header_row(staff):
    row = {"legal_name": "X", "": "stray", "country": "CN", "sectr": "agri"}
    report = run(staff, "organisations", csv_bytes(row))
    assert issues(report) == [(1, ""), (1, "sectr"), (1, "type")]
    assert [issue.message for issue in report.issues] == [
        "Column 2 has no name.",
        "Unknown column.",
        "This required column is missing.",
    ]


def test_an_unreadable_file_is_one_problem_of_the_whole_file(staff):
    report = run(staff, "organisations", b"PK\x03\x04 not really", "orgs.xlsx")
    assert issues(report) == [(None, "")]
    assert report.lines()[0] == "This Excel workbook could not be opened."


def test_a_header_without_rows_is_a_problem(staff):
    report = run(staff, "organisations", b"legal_name,country,type\n")
    assert [issue.message for issue in report.issues] == ["The file has no rows below the column names."]


def test_dry_run_checks_through_the_services_and_writes_nothing(staff):
    report = run(staff, "organisations", csv_bytes(ORGANISATION, PAKISTANI), dry_run=True)
    assert report.ok and report.dry_run
    assert [item.label for item in report.created] == [ORGANISATION["Legal Name"], PAKISTANI["Legal Name"]]
    assert report.summary() == "2 row(s) checked; no problems found. Nothing was written (dry run)."
    assert not Organisation.objects.exists()
    assert not AuditEntry.objects.exists()
    assert not ImportBatch.objects.exists()


def test_anonymous_actor_cannot_import():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        run(AnonymousUser(), "organisations", csv_bytes(ORGANISATION))


# Postings


def test_staff_import_published_postings_by_legal_name_or_id(staff, org_a, org_b):
    rows = [
        POSTING | {"status": "published"},
        POSTING
        | {
            "organisation": str(org_b.pk),
            "kind": "Technology need",
            "title": "کپاس کی کٹائی کے لیے مشینری",
            "description": "ہمیں چھوٹے کسانوں کے لیے کپاس کی کٹائی کی سستی مشینری درکار ہے۔",
            "trl": "",
            "partnership_types": "",
            "target_country": "CN",
            "confidentiality": "members",
            "anonymous": "yes",
        },
    ]
    report = run(staff, "postings", csv_bytes(*rows))

    assert report.ok, report.lines()
    offer = Posting.objects.get(organisation=org_a)
    assert (offer.kind, offer.status, offer.trl, offer.language) == ("offer", "published", 8, "en")
    assert offer.partnership_types == ["licensing", "joint_venture"]
    assert (offer.ipr_status, offer.target_country, offer.anonymous) == ("patent_granted", "PK", False)
    assert offer.published_at is not None and offer.expires_at is not None
    assert set(offer.sectors.values_list("code", flat=True)) == {"energy.solar", "agri.irrigation"}
    need = Posting.objects.get(organisation=org_b)
    assert (need.kind, need.status, need.language, need.confidentiality, need.anonymous) == (
        "need",
        "draft",
        "ur",
        "members",
        True,
    )
    assert need.trl is None and need.partnership_types == []
    assert set(AuditEntry.objects.filter(object_id=str(offer.pk)).values_list("action", flat=True)) >= {
        "posting.create",
        "posting.submit",
        "posting.publish",
    }


def test_a_member_imports_drafts_of_their_own_organisation(a_member, org_a):
    report = run(a_member, "postings", csv_bytes(POSTING, POSTING | {"title": "Solar cold storage units"}))
    assert report.ok, report.lines()
    assert list(Posting.objects.filter(organisation=org_a).values_list("status", "created_by")) == [
        ("draft", a_member.pk),
        ("draft", a_member.pk),
    ]


def test_every_bad_posting_row_is_reported_and_nothing_is_written(a_member, org_a, org_b):
    Posting.objects.create(
        organisation=org_a, kind="offer", title="Solar street lights", description="x" * 30, language="en"
    )
    rows = [
        POSTING,  # row 2: fine
        POSTING | {"title": "Bad TRL", "trl": "10"},  # 3
        POSTING | {"title": "Worded TRL", "trl": "high"},  # 4
        POSTING | {"title": "Bad kind", "kind": "barter"},  # 5
        POSTING | {"title": "Nobody's", "organisation": "Gobi Desert Ventures"},  # 6: unknown organisation
        POSTING | {"title": "Published by a member", "status": "published"},  # 7
        POSTING | {"title": "No sector", "sectors": ""},  # 8: missing required
        POSTING | {"title": "T" * 256},  # 9: too long
        POSTING | {"title": "Sneaky", "anonymous": "perhaps"},  # 10
        POSTING | {"title": "Odd partnership", "partnership_types": "licensing;marriage"},  # 11
        POSTING | {"title": POSTING["title"].lower()},  # 12: duplicate of row 2
        POSTING | {"title": "Solar Street Lights"},  # 13: exists
        POSTING | {"title": "Shorter text", "status": "closed"},  # 14: only draft or published
    ]
    report = run(a_member, "postings", csv_bytes(*rows))

    assert issues(report) == [
        (3, "trl"),
        (4, "trl"),
        (5, "kind"),
        (6, "organisation"),
        (7, "status"),
        (8, "sectors"),
        (9, "title"),
        (10, "anonymous"),
        (11, "partnership_types"),
        (14, "status"),
        (12, "title"),
        (13, "title"),
    ]
    by_row = {issue.row: issue.message for issue in report.issues}
    assert by_row[3] == "The technology readiness level must be a whole number from 1 to 9."
    assert by_row[6] == "Unknown organisation “Gobi Desert Ventures”."
    assert by_row[7] == "Only Center staff may import published postings."
    assert by_row[14] == "“closed” is not one of: draft, published."
    assert Posting.objects.count() == 1


def test_rules_of_the_posting_service_apply_and_roll_back_every_row(b_member, org_a, org_b):
    """Rows that pass the import's own checks but break a service rule: earlier rows are undone too."""
    rows = [
        POSTING | {"organisation": org_b.legal_name},  # row 2: fine
        POSTING | {"organisation": org_b.legal_name, "title": "Drip kits", "description": "Too short."},  # 3
        POSTING,  # 4: org_a's, and b_member is not one of its members
    ]
    before = AuditEntry.objects.count()
    report = run(b_member, "postings", csv_bytes(*rows))

    assert issues(report) == [(3, "description"), (4, "")]
    assert "description needs 20" in report.issues[0].message
    assert report.created == []
    assert not Posting.objects.exists()
    assert AuditEntry.objects.count() == before


def test_an_ambiguous_organisation_name_asks_for_the_id(staff, org_a):
    twin = Organisation.objects.create(legal_name=org_a.legal_name, country="PK", org_type="enterprise")
    report = run(staff, "postings", csv_bytes(POSTING))
    assert issues(report) == [(2, "organisation")]
    assert f"give the id ({org_a.pk}, {twin.pk})" in report.issues[0].message


# The web page's two steps


def test_preview_then_confirm(staff, org_a):
    content = csv_bytes(POSTING)
    batch = import_batch_create(actor=staff, kind="postings", filename="p.csv", content=content)
    assert batch.status == "previewed" and bytes(batch.content) == content
    assert batch.report["issues"] == [] and len(batch.report["created"]) == 1
    assert not Posting.objects.exists()

    batch = import_batch_confirm(actor=staff, batch=batch)
    assert batch.status == "imported" and bytes(batch.content) == b""
    assert Posting.objects.get().title == POSTING["title"]
    with pytest.raises(PermissionDenied):
        import_batch_confirm(actor=staff, batch=batch)


def test_confirm_checks_again_and_imports_nothing_if_the_database_changed(staff, org_a):
    batch = import_batch_create(actor=staff, kind="postings", filename="p.csv", content=csv_bytes(POSTING))
    import_run(actor=staff, kind="postings", filename="again.csv", content=csv_bytes(POSTING))

    batch = import_batch_confirm(actor=staff, batch=batch)
    assert batch.status == "previewed"
    assert [issue["column"] for issue in batch.report["issues"]] == ["title"]
    assert Posting.objects.count() == 1


def test_only_staff_preview_and_only_the_uploader_confirms(staff, a_admin, org_a):
    with pytest.raises(PermissionDenied):
        import_batch_create(actor=a_admin, kind="postings", filename="p.csv", content=csv_bytes(POSTING))
    batch = import_batch_create(actor=staff, kind="postings", filename="p.csv", content=csv_bytes(POSTING))
    from tests.conftest import make_user

    colleague = make_user("colleague@techbridge.example", full_name="Zhao Lei", platform_role="staff")
    with pytest.raises(PermissionDenied):
        import_batch_confirm(actor=colleague, batch=batch)
    assert not Posting.objects.exists()


def test_a_new_preview_replaces_the_uploaders_previous_one(staff, org_a):
    first = import_batch_create(actor=staff, kind="postings", filename="a.csv", content=csv_bytes(POSTING))
    second = import_batch_create(actor=staff, kind="postings", filename="b.csv", content=csv_bytes(POSTING))
    assert list(ImportBatch.objects.values_list("pk", flat=True)) == [second.pk]
    assert first.pk != second.pk
