"""US places: "Location: Tyler" -> "Tyler, TX", "houston tx" -> "Houston, TX", "Texas" -> "TX".

Values follow the contract: ``"City, ST"`` for a city, ``"ST"`` for a state alone. A city
followed by its state ("Tyler, TX", "Tyler Texas", "dallas tx") is one match. A bare city
name resolves to the most populous US city of that name -- unless the ad names a state (or its
phone's area code lies in one) where a city of that name exists.

Ambiguity is the hard part. Many city names are also given names or words ("Tyler",
"Charlotte", "Mobile", "Orange", "Normal"), listed in ``data/places.yaml``:

- an ambiguous city counts only when capitalised and with a place cue before it ("in",
  "near", "Location:", "visiting", "outcall to", ">", "#") or after it ("area", "escorts"),
  or when a state follows it;
- an unambiguous city counts when capitalised, or in lower case when it is a big city
  (>= 100,000 people) or has a place cue; never right after a name cue ("I'm", "ask for");
- a city name followed by "St", "Ave", "County", "Hotel"... is a street or a county, not a city;
- two-letter state codes that are English words ("IN", "OR", "ME", "HI", "OK", "PA") count
  after a city or after "Location:"/"located"/"visiting"/"near"; other codes ("TX", "NJ") when
  written in capitals; state names that are given names ("Georgia", "Virginia") need a cue;
  "Washington" alone is the state, "Washington DC"/"DC" the city.

Each phone in ``found["phone"]`` also yields a place from its area code
(``phonenumbers.geocoder``), with ``detail["source"] == "area code"`` and the phone's span.

Modules: ``place_scan`` finds where names may be (one Aho-Corasick pass), ``place_cues`` reads
the words around them; this one resolves them to values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from safelight.extract.base import Match
from safelight.extract.gazetteer import City, Gazetteer, gazetteer, surface_key
from safelight.extract.place_cues import bare_ok, state_matches
from safelight.extract.place_scan import scan, state_patterns

_surface_key = lru_cache(maxsize=8192)(surface_key)

__all__ = ["EXTRACTOR", "PlaceExtractor", "area_code_place"]


@lru_cache(maxsize=4096)
def area_code_place(e164: str) -> str | None:
    """``"+19033121887"`` -> ``"TX"``; ``"+12125551212"`` -> ``"New York, NY"``; None outside
    the US or when the geocoder knows nothing."""
    import phonenumbers
    from phonenumbers import geocoder

    try:
        number = phonenumbers.parse(e164, "US")
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.region_code_for_number(number) != "US":
        return None
    desc = geocoder.description_for_number(number, "en")
    if re.fullmatch(r"[^,]+, [A-Z]{2}", desc):
        return desc
    return gazetteer().state_names.get(desc.lower())


class PlaceExtractor:
    field = "place"

    def extract(self, text: str, found: Mapping[str, list[Match]]) -> list[Match]:
        gz = gazetteer()
        out: list[Match] = []
        phone_states: list[str] = []
        for phone in found.get("phone", ()):
            value = area_code_place(str(phone.value)) if phone.value else None
            if value:
                phone_states.append(value[-2:])
                out.append(
                    Match(
                        "place", value, phone.text, phone.start, phone.end, {"source": "area code"}
                    )
                )
        suffix_re, state_re, _ = state_patterns()
        cities, states, codes = scan(text, gz, state_re)
        taken: list[tuple[int, int]] = []
        bare: list[tuple[int, int, tuple[City, ...]]] = []
        text_states: set[str] = set()
        for start, stop in cities:
            if taken and any(s < stop and start < e for s, e in taken):
                continue
            written = text[start:stop]
            key = _surface_key(written)
            entries = gz.cities[key]
            if key in gz.upper_only and not written.isupper():
                continue
            if key in gz.capital_only and written.islower():
                continue
            state, end = self._suffix(text, stop, entries, suffix_re, gz)
            if state:
                city = next((c for c in entries if c.state == state), entries[0])
                text_states.add(state)
                taken.append((start, end))
                out.append(Match("place", f"{city.name}, {state}", text[start:end], start, end))
            elif bare_ok(text, start, stop, key, entries, gz):
                taken.append((start, stop))
                bare.append((start, stop, entries))
        for start, end, code in state_matches(text, states, codes, taken, gz):
            text_states.add(code)
            out.append(Match("place", code, text[start:end], start, end))
        for start, end, entries in bare:
            city = (
                next((c for c in entries if c.state in text_states), None)
                or next((c for c in entries if c.state in phone_states), None)
                or entries[0]
            )
            out.append(Match("place", city.value, text[start:end], start, end))
        return out

    @staticmethod
    def _suffix(
        text: str, pos: int, entries: tuple[City, ...], suffix_re: re.Pattern[str], gz: Gazetteer
    ) -> tuple[str | None, int]:
        m = suffix_re.match(text, pos)
        if not m:
            return None, pos
        if m.group("name"):
            return gz.state_names[re.sub(r"\s+", " ", m.group("name").lower())], m.end()
        written = m.group("code")
        code = written.replace(".", "").upper()
        if code not in gz.codes:
            return None, pos
        exists = any(c.state == code for c in entries)
        if (not written.isupper() or code in gz.word_codes) and not exists:
            return None, pos
        if not written.isupper() and "," not in m.group(0) and code in gz.word_codes:
            return None, pos  # "tyler in the..." is not Tyler, Indiana
        return code, m.end()


EXTRACTOR = PlaceExtractor()
