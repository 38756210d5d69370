"""PDF documents rendered from HTML templates by WeasyPrint (Pango shapes Chinese and Urdu correctly).

Every PDF (cooperation plan, agendas, badges) goes through `render_pdf`, inside the reader's language, so that
gettext strings, number formats and the page direction (right to left in Urdu) follow that language.
"""

from django.template.loader import render_to_string
from django.utils import translation

from techbridge.core.i18n import language


def render_pdf(template_name: str, context: dict, *, lang: str) -> bytes:
    """The template `template_name` (extending core/pdf_base.html) rendered in `lang`, as PDF bytes."""
    # Imported here: WeasyPrint loads Pango through cffi, which only PDF-producing requests need.
    from weasyprint import HTML

    with language(lang):
        html = render_to_string(
            template_name, {**context, "pdf_lang": lang, "pdf_bidi": translation.get_language_bidi()}
        )
    return HTML(string=html).write_pdf()
