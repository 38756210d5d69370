"""generate-scale: exact counts, valid and plausible rows, deterministic with a seed."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from techbridge.core.text import detect_language
from techbridge.demo.scale import LANGUAGE_INDEX, PhraseBank, generate_scale
from techbridge.directory.models import Organisation, organisation_search_text
from techbridge.marketplace.models import Posting
from techbridge.marketplace.selectors import posting_list

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def generated_with(seed: int, batch_size: int = 2000) -> list:
    """The rows one run creates, rolled back afterwards."""
    with transaction.atomic():
        generate_scale(organisations=15, postings=60, seed=seed, batch_size=batch_size, now=NOW)
        organisations = list(
            Organisation.objects.order_by("pk").values_list("legal_name", "name_zh", "name_ur", "description")
        )
        postings = [
            (p.organisation.legal_name, p.title, p.description, p.language, p.status, p.published_at)
            + tuple(sorted(p.sectors.values_list("code", flat=True)))
            for p in Posting.objects.order_by("pk").select_related("organisation")
        ]
        transaction.set_rollback(True)
    return [organisations, postings]


def test_creates_exactly_the_requested_rows(db, org_a):
    before_orgs, before_postings = Organisation.objects.count(), Posting.objects.count()
    result = generate_scale(organisations=37, postings=211, seed=4, batch_size=50, now=NOW)
    assert Organisation.objects.count() == before_orgs + 37
    assert Posting.objects.count() == before_postings + 211
    assert result.rows["organisations"] == 37 and result.rows["postings"] == 211
    links = Posting.sectors.through.objects.filter(
        posting__organisation__in=Organisation.objects.exclude(pk=org_a.pk)
    )
    assert result.rows["posting sectors"] == links.count() >= 211
    assert result.total == sum(result.rows.values()) and result.rows_per_second > 0


def test_rows_are_valid_and_texts_are_in_their_language(db):
    generate_scale(organisations=40, postings=300, seed=11, now=NOW)
    for organisation in Organisation.objects.prefetch_related("sectors"):
        organisation.full_clean()
        assert organisation.sectors.exists()
        assert organisation.search_text == organisation_search_text(organisation)
        assert detect_language(organisation.description) == organisation.description_language
    postings = list(Posting.objects.prefetch_related("sectors"))
    for posting in postings:
        posting.full_clean()
        assert detect_language(f"{posting.title}\n{posting.description}") == posting.language
        roots = {sector.code.split(".")[0] for sector in posting.sectors.all()}
        assert len(roots) == 1, posting.sectors.all()
    assert {p.language for p in postings} == set(LANGUAGE_INDEX)
    assert {p.kind for p in postings} == set(Posting.Kind.values)
    assert {p.status for p in postings} >= {"published", "closed", "expired"}


def test_titles_use_the_phrase_bank_of_their_sector(db):
    generate_scale(organisations=10, postings=150, seed=2, now=NOW)
    bank = PhraseBank()
    for posting in Posting.objects.prefetch_related("sectors"):
        group = posting.sectors.all()[0].code.split(".")[0]
        topics = [topic[LANGUAGE_INDEX[posting.language]] for topic in bank.sectors[group]["topics"]]
        assert any(topic.lower() in posting.title.lower() for topic in topics), (group, posting.title)


def test_dates_follow_the_lifecycle(db):
    generate_scale(organisations=10, postings=400, seed=3, now=NOW)
    for posting in Posting.objects.all():
        if posting.status in ("draft", "submitted"):
            assert posting.published_at is None
        else:
            assert posting.expires_at == posting.published_at + timedelta(days=365)
            assert (posting.expires_at <= NOW) == (posting.status == "expired")
        if posting.status == "closed":
            assert posting.published_at <= posting.closed_at <= NOW


def test_generated_postings_show_on_the_marketplace(db):
    # Generated as of today: postings dated a year before a fixed day would have lapsed by now.
    generate_scale(organisations=10, postings=120, seed=6, now=timezone.now())
    public = Posting.objects.filter(status="published", confidentiality="public")
    assert public.exists()
    assert set(posting_list(viewer=AnonymousUser()).values_list("pk", flat=True)) == set(
        public.values_list("pk", flat=True)
    )


def test_same_seed_same_data_other_seed_other_data(db):
    first = generated_with(8, batch_size=7)
    assert len(first[0]) == 15 and len(first[1]) == 60
    assert generated_with(8, batch_size=25) == first
    assert generated_with(9) != first


def test_command_prints_counts_and_speed(db, capsys):
    call_command("generate-scale", organisations=5, postings=20, seed=1)
    out = capsys.readouterr().out
    assert "5 organisations" in out and "20 postings" in out and "rows/s" in out
    assert Posting.objects.count() == 20


def test_command_leaves_the_planner_statistics_of_the_loaded_tables(db):
    call_command("generate-scale", organisations=5, postings=20, seed=1)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE relname = %s", [Posting.sectors.through._meta.db_table]
            )
            assert cursor.fetchone()[0] > 0  # -1 (never analysed) before
        else:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [Posting._meta.db_table])
            assert cursor.fetchone()[0] > 0


def test_command_refuses_postings_without_organisations(db):
    with pytest.raises(CommandError):
        call_command("generate-scale", organisations=0, postings=5)
    with pytest.raises(CommandError):
        call_command("generate-scale", organisations=-1, postings=0)
    assert not Posting.objects.exists()
