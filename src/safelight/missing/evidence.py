"""The two sides of a comparison, prepared once: a poster (``Poster``) and an ad (``AdEvidence``).

``Poster.from_person(person)`` parses what a comparison needs from a ``MissingPerson``: the
names people may call them (given names, middle names, aliases), where they went missing, their
marks (read with the ad descriptor extractor, so both sides share one vocabulary), the pHashes of
poster photos and optional face embeddings.

``AdEvidence.from_matches(ad_id, posted_at, text, found, location=...)`` collects an ad's
extractions (``safelight.extract.extract_text`` output or rows of the ``extractions`` table turned
into ``Match`` objects) plus its descriptors, and the places named by the ad's location field (the
site's own "Location: Tyler", often the only place an ad states). Ad face embeddings exist only
to be compared against posters; they are never stored or indexed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from safelight.extract.base import Match
from safelight.extract.places import EXTRACTOR as PLACES
from safelight.missing.descriptors import extract_descriptors
from safelight.missing.records import MissingPerson

__all__ = ["AdEvidence", "Poster", "location_places"]


@dataclass(frozen=True, slots=True)
class Poster:
    person: MissingPerson
    given_names: tuple[str, ...]  # first and middle names, then aliases (and alias words)
    place: str | None  # "City, ST" or "ST"
    marks: tuple[dict[str, Any], ...] = ()
    photo_hashes: tuple[str, ...] = ()
    faces: tuple[tuple[float, ...], ...] = ()

    @classmethod
    def from_person(
        cls,
        person: MissingPerson,
        photo_hashes: Sequence[str] = (),
        faces: Sequence[Sequence[float]] = (),
    ) -> Poster:
        words = person.name.replace(",", " ").split()
        given = words[:-1] if len(words) > 1 else words
        names: list[str] = list(given)
        for alias in person.aliases:
            names.append(alias)
            names.extend(w for w in alias.split() if len(alias.split()) > 1)
        place = None
        if person.missing_state:
            place = (
                f"{person.missing_city}, {person.missing_state}"
                if person.missing_city
                else person.missing_state
            )
        marks = tuple(m.value for m in extract_descriptors(person.marks or "") if m.field == "mark")
        return cls(
            person,
            tuple(dict.fromkeys(n for n in names if n)),
            place,
            marks,
            tuple(photo_hashes),
            tuple(tuple(f) for f in faces),
        )


@dataclass(frozen=True, slots=True)
class AdEvidence:
    ad_id: str
    posted: date | None
    names: tuple[str, ...] = ()
    ages: tuple[int, ...] = ()
    places: tuple[str, ...] = ()  # from the text, then the location field, area codes last
    photo_hashes: tuple[str, ...] = ()
    descriptors: tuple[Match, ...] = ()
    faces: tuple[tuple[float, ...], ...] = field(default=(), repr=False)

    def values(self, field_name: str) -> list[Any]:
        return [m.value for m in self.descriptors if m.field == field_name]

    @classmethod
    def from_matches(
        cls,
        ad_id: str,
        posted_at: datetime | date | None,
        text: str,
        found: Mapping[str, Sequence[Match]],
        faces: Sequence[Sequence[float]] = (),
        *,
        location: str | None = None,
    ) -> AdEvidence:
        """From extraction matches keyed by field (``name``, ``age``, ``place``, ``image``,
        ``phone``); descriptors are read from ``text`` here, skipping phone digits.
        ``location``: the ad's location field, whose places rank after the text's own."""
        posted = posted_at.date() if isinstance(posted_at, datetime) else posted_at
        places = [str(m.value) for m in found.get("place", ()) if isinstance(m.value, str)
                  and m.detail.get("source") != "area code"]  # fmt: skip
        phones = tuple(str(m.value) for m in found.get("phone", ()) if m.value)
        if location and location.strip():
            places.extend(location_places(location, phones))
        places.extend(
            str(m.value)
            for m in found.get("place", ())
            if isinstance(m.value, str) and m.detail.get("source") == "area code"
        )
        spans = [
            (m.start, m.end)
            for m in found.get("phone", ())
            if m.start is not None and m.end is not None
        ]
        return cls(
            ad_id=ad_id,
            posted=posted,
            names=tuple(dict.fromkeys(str(m.value) for m in found.get("name", ()))),
            ages=tuple(dict.fromkeys(int(m.value) for m in found.get("age", ()))),
            places=tuple(dict.fromkeys(places)),
            photo_hashes=tuple(dict.fromkeys(str(m.value) for m in found.get("image", ()))),
            descriptors=tuple(extract_descriptors(text, avoid=spans)),
            faces=tuple(tuple(f) for f in faces),
        )


@lru_cache(maxsize=65_536)
def location_places(location: str, phones: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The places an ad's location field names (``"Austin TX"`` -> ``("Austin, TX",)``), read
    by the place extractor as if written after "Location:"; the ad's phones (E.164) settle a
    city name several states share, as in the text."""
    text = "Location: " + " ".join(location.split())[:200]
    found = {"phone": [Match("phone", p, p, None, None) for p in phones]}
    return tuple(
        str(m.value)
        for m in PLACES.extract(text, found)
        if isinstance(m.value, str) and m.detail.get("source") != "area code"
    )
