from django.conf import settings
from django.utils import translation


def platform(request):
    """What every page needs: the language list and whether the layout runs right-to-left."""
    return {
        "LANGUAGE_BIDI": translation.get_language_bidi(),
        "PLATFORM_LANGUAGES": [("en", "English"), ("zh-hans", "中文"), ("ur", "اردو")],
        "DEBUG": settings.DEBUG,
    }
