"""A large synthetic data set for benchmarks (`techbridge generate-scale`), written with bulk inserts.

Organisations and postings are composed from the trilingual phrase banks in data/phrases.toml, so postings in a
sector share vocabulary across English, Chinese and Urdu. This bypasses the services on purpose (speed): no audit
entries, no signals, so the matching index is rebuilt afterwards. The same seed gives the same rows.
"""

import functools
import itertools
import random
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from techbridge.directory.models import Organisation, Sector, organisation_search_text
from techbridge.marketplace.models import Posting

PHRASES_FILE = Path(__file__).resolve().parent / "data" / "phrases.toml"
LANGUAGE_INDEX = {"en": 0, "zh-hans": 1, "ur": 2}
NATIVE_LANGUAGE = {"CN": "zh-hans", "PK": "ur", "XX": "en"}
PUBLICATION_PERIOD = timedelta(days=365)

# Weights: who is on the platform, what they post, in which language.
COUNTRY_WEIGHTS = {"CN": 45, "PK": 45, "XX": 10}
# Embassies are a handful of real missions, never synthetic.
TYPE_WEIGHTS = {
    "enterprise": 45,
    "startup": 15,
    "university": 9,
    "research_institute": 9,
    "government": 4,
    "association": 5,
    "zone_authority": 2,
    "investor": 5,
    "ngo": 6,
}
DESCRIPTION_LANGUAGE_WEIGHTS = {"CN": {"zh-hans": 80, "en": 20}, "PK": {"en": 70, "ur": 30}, "XX": {"en": 1}}
KIND_WEIGHTS = {
    "CN": {"offer": 60, "rnd": 20, "need": 10, "financing": 10},
    "PK": {"need": 55, "rnd": 20, "offer": 10, "financing": 15},
    "XX": {"offer": 30, "need": 30, "rnd": 25, "financing": 15},
}
POSTING_LANGUAGE_WEIGHTS = {"CN": {"zh-hans": 60, "en": 40}, "PK": {"en": 55, "ur": 45}, "XX": {"en": 1}}
TRL_RANGE = {"offer": (6, 9), "need": (4, 9), "rnd": (1, 5), "financing": (4, 9)}
PARTNERSHIPS = {
    "offer": ["licensing", "equipment", "technical_cooperation", "joint_venture", "training"],
    "need": ["equipment", "technical_cooperation", "licensing", "training", "joint_venture"],
    "rnd": ["joint_rnd", "training", "technical_cooperation"],
    "financing": ["investment", "joint_venture"],
}
IPR_WEIGHTS = {"patent_granted": 35, "patent_pending": 20, "know_how": 20, "copyright": 15, "other": 10}
STATUS_WEIGHTS = {"published": 88, "closed": 4, "expired": 4, "submitted": 2, "draft": 2}
CONFIDENTIALITY_WEIGHTS = {"public": 85, "members": 12, "staff": 3}
VERIFICATION_WEIGHTS = {"verified": 70, "unverified": 20, "pending": 10}
SIZES = [choice for choice, _label in Organisation.Size.choices if choice]


def _pick(rng: random.Random, weights: dict):
    population, cumulative = _cumulative(tuple(weights.items()))
    return rng.choices(population, cum_weights=cumulative)[0]


@functools.cache
def _cumulative(items: tuple) -> tuple[list, list]:
    return [key for key, _weight in items], list(itertools.accumulate(weight for _key, weight in items))


def _insert_links(through, left: str, right: str, rows: list[tuple[int, int]]) -> int:
    """Many-to-many rows in one executemany: two integer columns need none of bulk_create's per-field work."""
    quote = connection.ops.quote_name
    table = quote(through._meta.db_table)
    columns = ", ".join(quote(through._meta.get_field(name).column) for name in (left, right))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s)", rows)  # noqa: S608
    return len(rows)


@dataclass
class ScaleResult:
    rows: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.total / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class _Org:
    """What postings need to know about a generated organisation."""

    pk: int
    country: str
    group: str
    city: tuple[str, str, str]


class PhraseBank:
    def __init__(self, path: Path = PHRASES_FILE):
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
        self.sectors = data["sector"]
        self.languages = data["language"]
        self.partnerships = data["partnership"]
        self.countries = data["country"]
        self.org_names = data["org_names"]
        names = data["names"]
        self.stems = {
            "CN": [(en, zh, "") for en, zh in names["cn_stems"]],
            "PK": [(en, "", ur) for en, ur in names["pk_stems"]],
            "XX": [(en, "", "") for en in names["xx_stems"]],
        }
        # Cities as ((en, zh, ur), province).
        self.cities = {
            "CN": [((en, zh, ""), province) for en, zh, province in names["cn_cities"]],
            "PK": [((en, "", ur), province) for en, ur, province in names["pk_cities"]],
            "XX": [((en, "", ""), province) for en, province in names["xx_cities"]],
        }


def _say(triple, lang: str) -> str:
    """The phrase in `lang`, falling back to English where a triple has no such script (a Beijing city in Urdu)."""
    return triple[LANGUAGE_INDEX[lang]] or triple[0]


def _join(sentences: list[str], lang: str) -> str:
    return ("" if lang == "zh-hans" else " ").join(sentences)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Composer:
    def __init__(self, bank: PhraseBank, sectors: list[Sector], rng: random.Random, now: datetime):
        self.bank = bank
        self.rng = rng
        self.now = now
        self.groups = sorted(bank.sectors)
        by_code = {sector.code: sector for sector in sectors}
        missing = [code for code in self.groups if code not in by_code]
        if missing:
            raise ValueError(f"phrase bank sectors missing from the taxonomy: {', '.join(missing)}")
        self.root_ids = {code: by_code[code].pk for code in self.groups}
        self.child_ids = {
            code: sorted(s.pk for s in sectors if s.code.startswith(f"{code}.")) or [by_code[code].pk]
            for code in self.groups
        }

    def sector_ids(self, group: str, *, most: int) -> list[int]:
        children = self.child_ids[group]
        chosen = self.rng.sample(children, self.rng.randint(1, min(most, len(children))))
        if self.rng.random() < 0.15:
            chosen.append(self.root_ids[group])
        return sorted(set(chosen))

    def organisation(self) -> tuple[Organisation, list[int], str, tuple[str, str, str]]:
        """An organisation, its sector ids, its sector group and its city names."""
        rng, bank = self.rng, self.bank
        country = _pick(rng, COUNTRY_WEIGHTS)
        org_type = _pick(rng, TYPE_WEIGHTS)
        group = rng.choice(self.groups)
        stem = rng.choice(bank.stems[country])
        city, province = rng.choice(bank.cities[country])
        sector = bank.sectors[group]
        english, native = bank.org_names[country][org_type]
        native_lang = NATIVE_LANGUAGE[country]
        names = {
            lang: template.format(
                city=_say(city, lang), stem=_say(stem, lang), sector=_say(sector["name"], lang)
            )
            for lang, template in (("en", english), (native_lang, native))
            if template
        }
        lang = _pick(rng, DESCRIPTION_LANGUAGE_WEIGHTS[country])
        topic, topic2 = rng.sample(sector["topics"], 2)
        first, second = self.bank.languages[lang]["org_sentences"]
        values = {
            "name": names.get(lang, names["en"]),
            "city": _say(city, lang),
            "topic": _say(topic, lang),
            "topic2": _say(topic2, lang),
            "use": _say(rng.choice(sector["uses"]), lang),
            "country": _say(bank.countries["PK" if country == "CN" else "CN"], lang),
        }
        description = _join([first.format(**values), second.format(**values)], lang)
        organisation = Organisation(
            legal_name=names["en"],
            name_zh=names.get("zh-hans", ""),
            name_ur=names.get("ur", ""),
            country=country,
            org_type=org_type,
            province=province,
            city=city[0],
            email=f"contact@{stem[0].lower().replace(' ', '').replace('-', '')}.{country.lower()}.example",
            description=description,
            description_language=lang,
            size=rng.choice(SIZES) if org_type in ("enterprise", "startup") else "",
            verification=_pick(rng, VERIFICATION_WEIGHTS),
        )
        organisation.search_text = organisation_search_text(organisation)
        return organisation, self.sector_ids(group, most=3), group, city

    def posting(self, org: _Org) -> tuple[Posting, list[int]]:
        rng, bank = self.rng, self.bank
        kind = _pick(rng, KIND_WEIGHTS[org.country])
        group = org.group if rng.random() < 0.8 else rng.choice(self.groups)
        lang = _pick(rng, POSTING_LANGUAGE_WEIGHTS[org.country])
        sector = bank.sectors[group]
        templates = bank.languages[lang]
        low, high = TRL_RANGE[kind]
        trl = None if kind == "need" and rng.random() < 0.5 else rng.randint(low, high)
        partnerships = rng.sample(PARTNERSHIPS[kind], rng.randint(1, min(3, len(PARTNERSHIPS[kind]))))
        target = {"CN": "PK", "PK": "CN"}.get(org.country, "") if rng.random() < 0.7 else ""
        values = {
            "topic": _say(rng.choice(sector["topics"]), lang),
            "use": _say(rng.choice(sector["uses"]), lang),
            "trl": trl or rng.randint(low, high),
            "partnership": _say(bank.partnerships[partnerships[0]], lang),
            "country": _say(bank.countries[target or "XX"], lang),
            "city": _say(org.city, lang),
            "years": rng.randint(2, 8),
            "count": rng.choice([12, 20, 35, 50, 80, 120, 300]),
        }
        title = rng.choice(templates[f"{kind}_titles"]).format(**values)
        opener, *rest = templates[f"{kind}_sentences"]
        chosen = sorted(rng.sample(range(len(rest)), rng.randint(2, len(rest))))
        description = _join([opener.format(**values), *(rest[i].format(**values) for i in chosen)], lang)
        status = _pick(rng, STATUS_WEIGHTS)
        posting = Posting(
            organisation_id=org.pk,
            kind=kind,
            title=_capitalised(title),
            description=description,
            language=lang,
            trl=trl,
            partnership_types=partnerships,
            ipr_status=_pick(rng, IPR_WEIGHTS) if kind == "offer" else Posting.IPR.NONE,
            target_country=target,
            confidentiality=_pick(rng, CONFIDENTIALITY_WEIGHTS),
            anonymous=rng.random() < 0.05,
            status=status,
            **self.dates(status),
        )
        return posting, self.sector_ids(group, most=2)

    def dates(self, status: str) -> dict:
        if status == "draft":
            return {}
        if status == "submitted":
            return {"submitted_at": self.now - timedelta(days=self.rng.randint(0, 20))}
        age = self.rng.randint(366, 700) if status == "expired" else self.rng.randint(0, 360)
        published_at = self.now - timedelta(days=age, minutes=self.rng.randint(0, 1439))
        dates = {
            "submitted_at": published_at - timedelta(days=self.rng.randint(1, 5)),
            "published_at": published_at,
            "expires_at": published_at + PUBLICATION_PERIOD,
        }
        if status == "closed":
            dates["closed_at"] = published_at + (self.now - published_at) * self.rng.random()
        return dates


def _batches(total: int, size: int) -> Iterator[int]:
    for start in range(0, total, size):
        yield min(size, total - start)


@transaction.atomic
def generate_scale(
    *,
    organisations: int,
    postings: int,
    seed: int = 0,
    batch_size: int = 2000,
    now: datetime | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> ScaleResult:
    """Insert `organisations` organisations and `postings` postings (spread over them), with their sectors."""
    if postings and not organisations:
        raise ValueError("postings need organisations to belong to")
    started = time.perf_counter()
    composer = _Composer(PhraseBank(), list(Sector.objects.all()), random.Random(seed), now or timezone.now())
    result = ScaleResult()
    orgs: list[_Org] = []
    for size in _batches(organisations, batch_size):
        composed = [composer.organisation() for _ in range(size)]
        created = Organisation.objects.bulk_create([organisation for organisation, *_rest in composed])
        links = []
        for organisation, (_same, sector_ids, group, city) in zip(created, composed, strict=True):
            links += [(organisation.pk, sector_id) for sector_id in sector_ids]
            orgs.append(_Org(organisation.pk, organisation.country, group, city))
        result.rows["organisations"] += size
        result.rows["organisation sectors"] += _insert_links(
            Organisation.sectors.through, "organisation", "sector", links
        )
        if progress:
            progress("organisations", result.rows["organisations"])
    for size in _batches(postings, batch_size):
        composed = [composer.posting(composer.rng.choice(orgs)) for _ in range(size)]
        created = Posting.objects.bulk_create([posting for posting, _ids in composed])
        links = [
            (posting.pk, sector_id)
            for posting, (_same, sector_ids) in zip(created, composed, strict=True)
            for sector_id in sector_ids
        ]
        result.rows["postings"] += size
        result.rows["posting sectors"] += _insert_links(Posting.sectors.through, "posting", "sector", links)
        if progress:
            progress("postings", result.rows["postings"])
    result.seconds = time.perf_counter() - started
    return result
