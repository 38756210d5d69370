import json

import pytest
from django.core.management import CommandError, call_command

from techbridge.matching.models import Embedding

pytestmark = pytest.mark.django_db


def test_reindex_embeds_what_is_missing_and_reports_it(docking, capsys):
    Embedding.objects.filter(object_id=docking["need"].pk, subject="posting").delete()
    call_command("reindex")
    out, err = capsys.readouterr()
    assert out.startswith("5 published postings, 1 embedded with intfloat/multilingual-e5-small@")
    assert "5/5" in err  # the progress bar
    assert Embedding.objects.filter(object_id=docking["need"].pk, subject="posting").exists()


def test_match_prints_json_with_reasons_and_hides_what_anonymous_may_not_see(docking, capsys):
    call_command("match", "--text", "شمسی توانائی پمپ", "--kind", "offer", "--top", "10", "--json")
    rows = json.loads(capsys.readouterr().out)
    offer = next(row for row in rows if row["posting"] == docking["offer"].pk)
    assert ["شمسی توانائی", "太阳能发电"] in offer["key_terms"]
    assert offer["score"] == pytest.approx(sum(offer["breakdown"].values()), abs=1e-3)
    assert docking["secret"].pk not in [row["posting"] for row in rows]
    assert {row["kind"] for row in rows} == {"offer"}


def test_match_prints_a_ranked_list(docking, capsys):
    call_command("match", "--text", "太阳能水泵", "--top", "1")
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith(f"#{docking['offer'].pk} [offer] {docking['offer'].title}")
    with pytest.raises(CommandError):
        call_command("match", "--text", "x", "--top", "0")
