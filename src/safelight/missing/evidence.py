"""The two sides of a comparison, prepared once: a poster (``Poster``) and an ad (``AdEvidence``).

``Poster.from_person(person)`` parses what a comparison needs from a ``MissingPerson``: the
names people may call them (given names, middle names, aliases), where they went missing, their
marks (read with the ad descriptor extractor, so both sides share one vocabulary), the pHashes of
poster photos and optional face embeddings.

``AdEvidence.from_matches(ad_id, posted_at, text, found)`` collects an ad's extractions
(``safelight.extract.extract_text`` output or rows of the ``extractions`` table turned into
``Match`` objects) plus its descriptors. Ad face embeddings exist only to be compared against
posters; they are never stored or indexed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from safelight.extract.base import Match
from safelight.missing.descriptors import extract_descriptors
from safelight.missing.records import MissingPerson

__all__ = ["AdEvidence", "Poster"]


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
    places: tuple[str, ...] = ()  # place values; area-code regions last
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
    ) -> AdEvidence:
        """From extraction matches keyed by field (``name``, ``age``, ``place``, ``image``,
        ``phone``); descriptors are read from ``text`` here, skipping phone digits."""
        posted = posted_at.date() if isinstance(posted_at, datetime) else posted_at
        places = [m for m in found.get("place", ()) if isinstance(m.value, str)]
        places.sort(key=lambda m: m.detail.get("source") == "area code")
        phones = [
            (m.start, m.end)
            for m in found.get("phone", ())
            if m.start is not None and m.end is not None
        ]
        return cls(
            ad_id=ad_id,
            posted=posted,
            names=tuple(dict.fromkeys(str(m.value) for m in found.get("name", ()))),
            ages=tuple(dict.fromkeys(int(m.value) for m in found.get("age", ()))),
            places=tuple(dict.fromkeys(str(m.value) for m in places)),
            photo_hashes=tuple(dict.fromkeys(str(m.value) for m in found.get("image", ()))),
            descriptors=tuple(extract_descriptors(text, avoid=phones)),
            faces=tuple(tuple(f) for f in faces),
        )
