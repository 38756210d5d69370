"""Template helpers of the printable documents (WeasyPrint does not resolve `dir="auto"` itself)."""

import unicodedata

from django import template

register = template.Library()


@register.filter
def text_dir(text) -> str:
    """ "rtl" when the first strongly directional character of `text` is right to left, else "ltr"."""
    for character in str(text):
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"
