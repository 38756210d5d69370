"""Text normalisation and language detection for user content in English, Chinese and Urdu."""

import unicodedata

import py3langid

# Arabic-script letters that Urdu writes with its own code points; keyboards and PDFs mix them.
_URDU_LETTER_VARIANTS = str.maketrans(
    {
        "\u064a": "\u06cc",  # ي Arabic yeh -> ی Farsi yeh
        "\u0649": "\u06cc",  # ى alef maksura -> ی
        "\u0643": "\u06a9",  # ك Arabic kaf -> ک keheh
        "\u0647": "\u06c1",  # ه Arabic heh -> ہ heh goal
        "\u06be": "\u06be",  # ھ do-chashmi heh stays
        "\u200c": None,  # zero-width non-joiner
        "\u0640": None,  # tatweel
    }
)


def normalise_text(text: str) -> str:
    """NFKC (folds Chinese full-width forms), Urdu letter variants unified, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text or "").translate(_URDU_LETTER_VARIANTS)
    return " ".join(text.split())


_identifier = py3langid.langid.LanguageIdentifier.from_model_file(
    py3langid.langid.MODEL_FILE, norm_probs=True
)
_identifier.set_languages(["en", "zh", "ur", "ar", "fa"])


def detect_language(text: str) -> str:
    """One of en / zh-hans / ur. Script decides first (robust on short texts), the statistical model second."""
    text = normalise_text(text)
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")
    arabic = sum(1 for ch in text if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if han and han >= arabic and han * 3 >= latin:
        return "zh-hans"
    if arabic and arabic >= latin:
        return "ur"
    if not (han or arabic):
        return "en"
    code, _prob = _identifier.classify(text)
    return {"zh": "zh-hans", "ur": "ur", "ar": "ur", "fa": "ur"}.get(code, "en")
