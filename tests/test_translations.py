"""Every UI string is translated into Chinese and Urdu, and no catalog entry is fuzzy or stale."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "techbridge"
LOCALES = ["zh_Hans", "ur"]


def catalog(locale: str) -> polib.POFile:
    path = PACKAGE / "locale" / locale / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"missing catalog {path}"
    return polib.pofile(str(path))


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_is_complete(locale):
    po = catalog(locale)
    assert len(po) > 100
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []


@pytest.fixture(scope="module")
def fresh_catalogs(tmp_path_factory):
    """The catalogs makemessages would write for the current source tree, made in a copy of it."""
    copy = tmp_path_factory.mktemp("src") / "techbridge"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "locale"))
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "ur", "--no-wrap", "-v", "0"],
        cwd=copy,
        check=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "techbridge.settings",
            "TECHBRIDGE_LOCALE_DIR": str(copy / "locale"),
        },
    )
    return polib.pofile(str(copy / "locale" / "ur" / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("locale", LOCALES)
def test_every_marked_string_has_a_translation(locale, fresh_catalogs):
    translated = {(e.msgctxt, e.msgid) for e in catalog(locale).translated_entries()}
    missing = sorted(e.msgid for e in fresh_catalogs if (e.msgctxt, e.msgid) not in translated)
    assert missing == []
