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

Cost: candidate words come from one C-level ``findall`` and a set intersection; the trie
regex of ``gazetteer`` runs only where a candidate word starts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from safelight.extract.base import Match
from safelight.extract.gazetteer import City, Gazetteer, gazetteer, surface_key

__all__ = ["EXTRACTOR", "PlaceExtractor", "area_code_place"]

BIG_CITY = 100_000

_ALPHA = re.compile(r"[a-z]+")
_CUE_BEFORE = re.compile(
    r"(?:\b(?:in|n|near|nr|(?<!hi\s)(?<!hello\s)(?<!love\s)(?<!xoxo\s)(?<!kisses\s)from|"
    r"post\s*id:?\s*\d+|visiting|visit|located|location|locations|loc|"
    r"outcalls?\s+to|incalls?\s+in|around|downtown|serving|covering|city\s+of|new\s+to|"
    r"come\s+to|coming\s+to|heading\s+to|moved\s+to|welcome\s+to|trip\s+to|arrived|based|"
    r"greater|metro|north|south|east|west|central|northern|southern|uptown|midtown|outside|"
    r"area|escorts?)|[>|»•·@#(/])[\s:,\-–>]*\Z",
    re.IGNORECASE,
)
# Weaker cues: enough for a city that is not also a name or a word ("from Plano", "at Tempe").
# Site chrome that names the city in lower case: "Post ID: 25265660 tyler", "> tyler escorts".
_SLUG_CUE = re.compile(r"(?:post\s*id:?\s*\d+|location:?|>)\s*\Z", re.IGNORECASE)
_WEAK_CUE = re.compile(r"\b(?:at|from|of|to)[\s:,\-–]*\Z", re.IGNORECASE)
# An ambiguous name followed by another capitalised word is part of a longer name
# ("Walnut Hill", "Madison Square"), unless that word is a state.
_CAPITALISED_NEXT = re.compile(r"[ \t]+[A-Z][a-z]")
# "in" before a state code that is not an English word itself: "in PA", "in CO".
_IN_CUE = re.compile(r"\b(?:in|n)\s+\Z", re.IGNORECASE)
_IN_UNSAFE = frozenset({"IN", "OR", "ME", "HI", "OK", "AS", "ID", "AL", "LA"})
_NARROW_CUE = re.compile(
    r"\b(?:location|locations|loc|located\s+in|located|visiting|near|"
    r"based\s+in)[\s:,\-–]*\Z",
    re.IGNORECASE,
)
_CUE_AFTER = re.compile(
    r"[\s,:\-–]*(?:area|areas|escorts?|metro|downtown|adult|suburbs|"
    r"region|\d{5}(?!\d))\b",
    re.IGNORECASE,
)
_NAME_CUE = re.compile(
    r"\b(?:i\s*['’]?\s*a?m|im|i\s+am|name\s+is|names|ask\s+for|call\s+me|"
    r"it['’]?s|this\s+is|xoxo|miss|ms|mrs|hi|hey)[\s:,\-]*\Z",
    re.IGNORECASE,
)
_NOT_CITY_AFTER = re.compile(
    r"\s+(?:st|street|ave|avenue|blvd|boulevard|rd|road|dr|drive|pkwy|parkway|hwy|highway|ln|"
    r"lane|ct|court|fwy|freeway|expy|tollway|plaza|mall|hotel|inn|suites?|county|co|"
    r"university|college|airport|pike|cowboys|mavericks|rockets|stars|texans)\b\.?",
    re.IGNORECASE,
)
_CODE = re.compile(r"\b[A-Z]{2}\b")
_SMALL_WORDS = frozenset({"of", "the", "de", "la", "del", "du", "in", "n", "o'", "d'"})


def _case(written: str) -> str:
    if written.islower():
        return "lower"
    if written.isupper():
        return "upper"
    words = [w for w in re.split(r"[\s\-]+", written) if w.lower() not in _SMALL_WORDS]
    return "title" if all(w[:1].isupper() for w in words) else "mixed"


@lru_cache(maxsize=1)
def _state_patterns() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    gz = gazetteer()
    names = sorted(gz.state_names, key=len, reverse=True)
    alt = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    suffix = re.compile(
        rf"[ \t]*,?[ \t]*(?:(?P<name>{alt})|(?P<code>[A-Za-z]{{2}}|[A-Z]\.[A-Z]\.))(?![\w'’])",
        re.IGNORECASE,
    )
    state = re.compile(rf"(?:{alt})(?![\w'’])", re.IGNORECASE)
    firsts = frozenset(n.split()[0] for n in names)
    return suffix, state, firsts


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
        suffix_re, state_re, state_firsts = _state_patterns()
        cities, states = self._scan(text, gz, state_firsts)
        taken: list[tuple[int, int]] = []
        bare: list[tuple[int, int, tuple[City, ...]]] = []
        text_states: set[str] = set()
        for m in cities:
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            key = surface_key(m.group())
            entries = gz.cities[key]
            if key in gz.upper_only and not m.group().isupper():
                continue
            if key in gz.capital_only and m.group().islower():
                continue
            state, end = self._suffix(text, m.end(), entries, suffix_re, gz)
            if state:
                city = next((c for c in entries if c.state == state), entries[0])
                text_states.add(state)
                taken.append((m.start(), end))
                out.append(
                    Match("place", f"{city.name}, {state}", text[m.start() : end], m.start(), end)
                )
            elif self._bare_ok(text, m, key, entries, gz):
                taken.append((m.start(), m.end()))
                bare.append((m.start(), m.end(), entries))
        for start, end, code in self._states(text, states, state_re, taken, gz):
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
    def _scan(
        text: str, gz: Gazetteer, state_firsts: frozenset[str]
    ) -> tuple[list[re.Match[str]], list[int]]:
        """City matches (longest first at each start) and start offsets of state-name words."""
        low = text.lower()
        if len(low) != len(text):  # rare Unicode case changes: scan the slow way
            return list(gz.city_re.finditer(text)), [m.start() for m in re.finditer(r"\b\w", text)]
        words = set(_ALPHA.findall(low))
        cities: list[re.Match[str]] = []
        states: list[int] = []
        for word in gz.first_words.intersection(words) | state_firsts.intersection(words):
            i = low.find(word)
            while i >= 0:
                j = i + len(word)
                if (i == 0 or not low[i - 1].isalnum()) and (j == len(low) or not low[j].isalpha()):
                    if word in gz.first_words:
                        m = gz.city_re.match(text, i)
                        if m:
                            cities.append(m)
                    if word in state_firsts:
                        states.append(i)
                i = low.find(word, j)
        cities.sort(key=lambda m: (m.start(), -m.end()))
        return cities, sorted(states)

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

    @staticmethod
    def _bare_ok(
        text: str, m: re.Match[str], key: str, entries: tuple[City, ...], gz: Gazetteer
    ) -> bool:
        start, end = m.start(), m.end()
        if _NOT_CITY_AFTER.match(text, end):
            return False
        before = text[max(0, start - 30) : start]
        if _NAME_CUE.search(before):
            return False
        cue_after = bool(_CUE_AFTER.match(text, end))
        cue = bool(_CUE_BEFORE.search(before)) or cue_after
        case = _case(m.group())
        if key in gz.ambiguous:
            if _CAPITALISED_NEXT.match(text, end):
                return False
            return (
                (cue and case in ("title", "upper")) or cue_after or bool(_SLUG_CUE.search(before))
            )
        if case in ("title", "upper"):
            return True
        return cue or entries[0].population >= BIG_CITY or bool(_WEAK_CUE.search(before))

    @staticmethod
    def _states(
        text: str,
        starts: list[int],
        state_re: re.Pattern[str],
        taken: list[tuple[int, int]],
        gz: Gazetteer,
    ) -> list[tuple[int, int, str]]:
        out: list[tuple[int, int, str]] = []
        for i in starts:
            m = state_re.match(text, i)
            if not m or any(s < m.end() and m.start() < e for s, e in taken):
                continue
            name = re.sub(r"\s+", " ", m.group().lower())
            before = text[max(0, i - 30) : i]
            if _NAME_CUE.search(before):
                continue
            if name in gz.ambiguous_states and not (
                m.group()[:1].isupper() or _CUE_BEFORE.search(before)
            ):
                continue
            taken.append((m.start(), m.end()))
            out.append((m.start(), m.end(), gz.state_names[name]))
        for m in _CODE.finditer(text):
            code = m.group()
            if code not in gz.codes or any(s < m.end() and m.start() < e for s, e in taken):
                continue
            if m.start() and text[m.start() - 1] in ".'’":
                continue
            before = text[max(0, m.start() - 30) : m.start()]
            if code in gz.word_codes and not (
                _NARROW_CUE.search(before) or (code not in _IN_UNSAFE and _IN_CUE.search(before))
            ):
                continue
            out.append((m.start(), m.end(), code))
        return out


EXTRACTOR = PlaceExtractor()
