"""Text preparation for matching: normalised text for the encoder, lexical terms for BM25 and explanations.

Terms are cut by script rather than by the detected language, so mixed texts (Latin acronyms inside Chinese or
Urdu, Chinese names inside English) tokenise correctly: Han runs go through jieba, Arabic-script words lose
their diacritics, Latin words are lower-cased and stemmed. A term is (key, surface): BM25 indexes the key,
explanations show the surface.
"""

import functools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import jieba
import Stemmer
from bm25s.stopwords import STOPWORDS_CHINESE, STOPWORDS_EN

from techbridge.core.text import detect_language, normalise_text

__all__ = ["Concept", "ConceptVocabulary", "Term", "detect_language", "normalise_text", "terms", "tokenize"]

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ARABIC = "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
_RUN = re.compile(rf"([{_HAN}]+)|([{_ARABIC}]+)|([^\W_{_HAN}{_ARABIC}]+)")
# Harakat, superscript alef and Quranic marks: optional in Urdu writing, so they must not split a word in two.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
# Urdu punctuation splits words; Arabic-Indic digits fold to ASCII so numbers match across scripts.
_URDU_PUNCTUATION = str.maketrans(
    dict.fromkeys("،؛؟۔٪٫٬﴾﴿", " ")
    | {chr(0x0660 + i): str(i) for i in range(10)}
    | {chr(0x06F0 + i): str(i) for i in range(10)}
)

# Postpositions, auxiliaries, pronouns and conjunctions that carry no topic.
STOPWORDS_UR = frozenset(
    [
        "اور",
        "کے",
        "کی",
        "کا",
        "کو",
        "سے",
        "میں",
        "پر",
        "نے",
        "ہے",
        "ہیں",
        "تھا",
        "تھی",
        "تھے",
        "ہو",
        "ہوں",
        "ہوا",
        "ہوئی",
        "ہوئے",
        "گا",
        "گی",
        "گے",
        "یہ",
        "وہ",
        "ان",
        "اس",
        "جو",
        "جس",
        "جن",
        "کہ",
        "بھی",
        "نہیں",
        "نہ",
        "تو",
        "ہی",
        "ایک",
        "کر",
        "کیا",
        "کرتا",
        "کرتی",
        "کرتے",
        "کرنا",
        "کرنے",
        "کریں",
        "لیے",
        "لئے",
        "ساتھ",
        "تک",
        "یا",
        "اگر",
        "مگر",
        "لیکن",
        "جب",
        "تب",
        "اب",
        "پھر",
        "کچھ",
        "سب",
        "ہم",
        "آپ",
        "وغیرہ",
        "ء",
        "والے",
        "والی",
        "والا",
        "رہا",
        "رہی",
        "رہے",
        "سکتا",
        "سکتی",
        "سکتے",
        "چاہیے",
        "ہونا",
        "ہونے",
    ]
)
STOPWORDS_ZH = frozenset(STOPWORDS_CHINESE)
_STOP_EN = frozenset(STOPWORDS_EN)


@dataclass(frozen=True)
class Term:
    key: str
    surface: str


@functools.cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@functools.cache
def _jieba() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def _han_terms(run: str) -> Iterable[Term]:
    for word in _jieba().cut_for_search(run):
        if word not in STOPWORDS_ZH:
            yield Term(word, word)


def _arabic_terms(run: str) -> Iterable[Term]:
    word = _ARABIC_MARKS.sub("", run)
    if word and word not in STOPWORDS_UR:
        yield Term(word, run)


def _latin_terms(word: str) -> Iterable[Term]:
    lower = word.lower()
    if lower in _STOP_EN:
        return
    key = lower if lower[0].isdigit() else _stemmer().stemWord(lower)
    yield Term(key, word)


def terms(text: str) -> list[Term]:
    """The lexical terms of a text, in order."""
    out: list[Term] = []
    text = _ARABIC_MARKS.sub("", normalise_text(text)).translate(_URDU_PUNCTUATION)
    for han, arabic, other in _RUN.findall(text):
        if han:
            out.extend(_han_terms(han))
        elif arabic:
            out.extend(_arabic_terms(arabic))
        else:
            out.extend(_latin_terms(other))
    return out


# Query texts: a request reads a query's terms for retrieval and again for its explanations.
QUERY_TERMS_CACHE = 64


@functools.lru_cache(maxsize=QUERY_TERMS_CACHE)
def cached_terms(text: str) -> tuple[Term, ...]:
    """`terms`, kept for the texts last asked for (queries; indexed texts keep theirs in the index)."""
    return tuple(terms(text))


def tokenize(text: str) -> list[str]:
    return [term.key for term in cached_terms(text)]


def first_surfaces(found: Iterable[Term]) -> dict[str, str]:
    """Each term key with the surface it first appears as."""
    surfaces: dict[str, str] = {}
    for term in found:
        surfaces.setdefault(term.key, term.surface)
    return surfaces


@dataclass(frozen=True)
class Concept:
    code: str
    labels: dict[str, str]


class ConceptVocabulary:
    """A trilingual vocabulary (the sector taxonomy) that links terms across languages.

    `entries` are plain dicts `{"code": ..., "labels": {"en": ..., "zh-hans": ..., "ur": ...}, "synonyms": {lang:
    [...]}}`; a text mentioning any label or synonym in any language carries the concept.
    """

    def __init__(self, entries: Sequence[dict]):
        self._patterns: list[tuple[_Phrase, Concept]] = []
        for entry in entries:
            concept = Concept(entry["code"], dict(entry["labels"]))
            phrases = list(entry["labels"].values())
            for extra in entry.get("synonyms", {}).values():
                phrases.extend(extra)
            self._patterns.extend((phrase, concept) for phrase in map(_Phrase.of, phrases) if phrase)

    def __len__(self) -> int:
        return len({concept.code for _phrase, concept in self._patterns})

    def find(self, text: str) -> list[Concept]:
        """Concepts the text mentions, each once, in vocabulary order."""
        target = _Phrase.of(text)
        present = frozenset(target.keys)
        found: dict[str, Concept] = {}
        for phrase, concept in self._patterns:
            # A phrase whose words are not all in the text cannot be within it: most are rejected here.
            if concept.code not in found and phrase.words <= present and phrase.within(target):
                found[concept.code] = concept
        return list(found.values())


def concept_token(code: str) -> str:
    return f"§{code}"


_HAN_CHARS = re.compile(f"[{_HAN}]+")


@dataclass(frozen=True)
class _Phrase:
    """Han characters matched as a substring (jieba may cut a phrase differently in context), other
    scripts as a contiguous run of term keys."""

    han: str
    keys: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> "_Phrase":
        text = normalise_text(text)
        han = "|".join(_HAN_CHARS.findall(text))
        return cls(han, tuple(term.key for term in terms(_HAN_CHARS.sub(" ", text))))

    def __bool__(self) -> bool:
        return bool(self.han or self.keys)

    @functools.cached_property
    def words(self) -> frozenset[str]:
        return frozenset(self.keys)

    def within(self, other: "_Phrase") -> bool:
        if self.han and not all(part in other.han for part in self.han.split("|")):
            return False
        n = len(self.keys)
        return not n or any(other.keys[i : i + n] == self.keys for i in range(len(other.keys) - n + 1))
