"""Language helpers shared by every app."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
LANGUAGE_CHOICES = [("en", "English"), ("zh-hans", "中文"), ("ur", "اردو")]


@contextmanager
def language(code: str | None) -> Iterator[None]:
    """Render inside `code` (emails to a recipient in their own language), restoring the caller's after."""
    with translation.override(code or settings.LANGUAGE_CODE):
        yield


def pick_translation(values: dict[str, str], lang: str | None = None) -> str:
    """The value for the active (or given) language, falling back to English, then to any value."""
    lang = lang or translation.get_language() or settings.LANGUAGE_CODE
    for code in (lang, lang.split("-")[0], "en"):
        if values.get(code):
            return values[code]
    return next((value for value in values.values() if value), "")
