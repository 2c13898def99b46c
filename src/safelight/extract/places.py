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

Cost: one Aho-Corasick pass (``_automaton``) over an a-z-only copy of the lower-cased text finds
the first words of city and state names and the state codes; the trie regex of ``gazetteer``
runs only where the letters after such a word can continue a longer name, and the cue regexes
only where the last word before a name can end a cue (``_tail``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import ahocorasick

from safelight.extract.base import Match, lowered
from safelight.extract.gazetteer import City, Gazetteer, gazetteer, surface_key

_surface_key = lru_cache(maxsize=8192)(surface_key)

__all__ = ["EXTRACTOR", "PlaceExtractor", "area_code_place"]

BIG_CITY = 100_000

# bytes.translate table: a-z kept, every other byte a space (word separator).
_LETTERS_ONLY = bytes(c if 97 <= c <= 122 else 32 for c in range(256))
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
# The cue regexes above end at the end of the text before a name (``\\Z``), so the engine
# would try them at every position of that window. They run only when the last word before
# the name (trailing spaces and punctuation stripped) can end one of them.
_TRAILING = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace()) + ":,-–>"
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NAME_LAST = _words("m im iam am is names for me s its xoxo miss ms mrs hi hey")  # _NAME_CUE
_CUE_LAST = _words(  # _CUE_BEFORE
    "in n near nr from visiting visit located location locations loc to around downtown serving "
    "covering of arrived based greater metro north south east west central northern southern "
    "uptown midtown outside area escort escorts"
)
_CUE_MARKS = frozenset("|@#(/0123456789")  # _CUE_BEFORE's marks and "post id 123"
_WEAK_LAST = frozenset(("at", "from", "of", "to"))
_NARROW_LAST = frozenset(("location", "locations", "loc", "in", "located", "visiting", "near"))
_IN_LAST = frozenset(("in", "n"))


def _tail(before: str) -> tuple[str, str, str] | None:
    """(last word lower-cased, last character, stripped trailing characters) of ``before``;
    None when a non-ASCII character ends that word (then every cue regex runs)."""
    tail = before.rstrip(_TRAILING)
    k = len(tail)
    while k and tail[k - 1] in _ASCII_LETTERS:
        k -= 1
    if k and not tail[k - 1].isascii():
        return None
    return tail[k:].lower(), tail[-1:], before[len(tail) :]


def _may_end(tail: tuple[str, str, str] | None, words: frozenset[str]) -> bool:
    return tail is None or tail[0] in words


def _cue_before(before: str, tail: tuple[str, str, str] | None) -> bool:
    if tail is None or tail[0] in _CUE_LAST or tail[1] in _CUE_MARKS or ">" in tail[2]:
        return _CUE_BEFORE.search(before) is not None
    return False


def _may_slug(tail: tuple[str, str, str] | None) -> bool:
    return tail is None or tail[1].isdigit() or tail[0].endswith("location") or ">" in tail[2]


_CODE = re.compile(r"\b[A-Z]{2}\b")  # the slow path only
_SMALL_WORDS = frozenset({"of", "the", "de", "la", "del", "du", "in", "n", "o'", "d'"})


def _case(written: str) -> str:
    if written.islower():
        return "lower"
    if written.isupper():
        return "upper"
    if written.isalpha():  # one word
        return "title" if written[:1].isupper() or written.lower() in _SMALL_WORDS else "mixed"
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


# How a first word found by the automaton may continue into a longer name: None when the name
# can only be the word itself; else (separator test, next-two-letter prefixes, next letters
# that end a name, alone?). The regex runs only where the letters after the word fit.
_Follow = tuple[str, frozenset[str], frozenset[str], bool] | None


def _follow(word: str, names: list[str], separators: str) -> tuple[bool, _Follow]:
    """``(try the regex always?, follow-up test)`` for the names whose first word is ``word``
    (``separators``: what the regex allows between words)."""
    alone = word in names
    rests = [n[len(word) :] for n in names if n != word]
    if not rests:
        return False, None
    if any(not r.startswith(" ") for r in rests):
        return True, None  # "st. louis": not a plain space after the first word
    nexts = [r[1:].encode().translate(_LETTERS_ONLY).decode() for r in rests]
    pairs = frozenset(n[:2] for n in nexts if len(n) >= 2)
    ends = frozenset(n for n in nexts if len(n) < 2)
    return False, (separators, pairs, ends, alone)


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    """First words of city and state names and the state codes, as " word " (the scan sees
    the text as runs of a-z): value ``(length, city rule, state rule, code?)``, a rule being
    None for no such name, else ``(always regex?, follow-up test)`` (see ``_follow``)."""
    gz = gazetteer()
    state_firsts = _state_patterns()[2]
    by_first: dict[str, list[str]] = {}
    for key in gz.cities:
        by_first.setdefault(key.split(" ")[0].rstrip("."), []).append(key)
    states: dict[str, list[str]] = {}
    for name in gz.state_names:
        states.setdefault(name.split()[0], []).append(name)
    codes = {code.lower() for code in gz.codes}
    automaton = ahocorasick.Automaton()
    for word in gz.first_words | state_firsts | codes:
        if word.isascii() and word.isalpha():
            city = _follow(word, by_first[word], "-") if word in gz.first_words else None
            state = _follow(word, states[word], "") if word in state_firsts else None
            automaton.add_word(f" {word} ", (len(word), city, state, word in codes))
    automaton.make_automaton()
    return automaton


def _is_word(ch: str) -> bool:
    """``re``'s ``\\w``."""
    return ch.isalnum() or ch == "_"


def _city_edges(text: str, i: int, j: int) -> bool:
    """The look-arounds of ``gazetteer().city_re`` for a name at ``text[i:j]``."""
    if i and (text[i - 1].isalnum() or text[i - 1] in "_.'’"):
        return False
    return j == len(text) or not (text[j].isalnum() or text[j] in "_'’")


def _continues(text: str, spaced: str, j: int, follow: _Follow) -> bool:
    """Can a longer name go on after the word ending at ``text[j]``? (``spaced[j + 2]`` is the
    character after the separator; a non-letter there means: let the regex decide.)"""
    if follow is None or j == len(text):
        return False
    separators, pairs, ends, _ = follow
    sep = text[j]
    if not (sep.isspace() or sep in separators):
        return False
    nxt = spaced[j + 2 : j + 4]
    return nxt[:1] == " " or nxt in pairs or nxt[:1] in ends


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
        suffix_re, state_re, _ = _state_patterns()
        cities, states, codes = self._scan(text, gz, state_re)
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
            elif self._bare_ok(text, start, stop, key, entries, gz):
                taken.append((start, stop))
                bare.append((start, stop, entries))
        for start, end, code in self._states(text, states, codes, taken, gz):
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
        text: str, gz: Gazetteer, state_re: re.Pattern[str]
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[int]]:
        """Spans of city names (the longest at each start) and of state names, and the starts
        of state codes in capitals ("TX")."""
        low = lowered(text)
        if len(low) != len(text):  # rare Unicode case changes: scan the slow way
            starts = [m.start() for m in re.finditer(r"\b\w", text)]
            return (
                [m.span() for m in gz.city_re.finditer(text)],
                [m.span() for i in starts if (m := state_re.match(text, i))],
                [m.start() for m in _CODE.finditer(text) if m.group() in gz.codes],
            )
        # One Aho-Corasick pass over an ASCII copy in which every character but a-z is a space:
        # the automaton's words are " word " so only whole words hit; the boundaries are then
        # checked on the real text (a non-ASCII letter next to a word is not a boundary).
        spaced = " " + low.encode("ascii", "replace").translate(_LETTERS_ONLY).decode() + " "
        size = len(low)
        cities: list[tuple[int, int]] = []
        states: list[tuple[int, int]] = []
        codes: list[int] = []
        for stop, (length, city, state, code) in _automaton().iter(spaced):
            j = stop - 1
            i = j - length
            if code and text[i:j] in gz.codes and not (j < size and _is_word(text[j])):
                codes.append(i)
            if (i and low[i - 1].isalnum()) or (j < size and low[j].isalpha()):
                continue
            if city is not None:
                always, follow = city
                if always or _continues(text, spaced, j, follow):
                    m = gz.city_re.match(text, i)
                    if m:
                        cities.append((i, m.end()))
                elif (follow is None or follow[3]) and _city_edges(text, i, j):
                    cities.append((i, j))
            if state is not None:
                always, follow = state
                if always or _continues(text, spaced, j, follow):
                    m = state_re.match(text, i)
                    if m:
                        states.append((i, m.end()))
                elif (follow is None or follow[3]) and (
                    j == size or not (text[j].isalnum() or text[j] in "_'’")
                ):
                    states.append((i, j))
        return cities, states, codes

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
        text: str, start: int, end: int, key: str, entries: tuple[City, ...], gz: Gazetteer
    ) -> bool:
        if _NOT_CITY_AFTER.match(text, end):
            return False
        before = text[max(0, start - 30) : start]
        tail = _tail(before)
        if _may_end(tail, _NAME_LAST) and _NAME_CUE.search(before):
            return False
        case = _case(text[start:end])
        if key in gz.ambiguous:
            if _CAPITALISED_NEXT.match(text, end):
                return False
            if _CUE_AFTER.match(text, end):
                return True
            if case in ("title", "upper") and _cue_before(before, tail):
                return True
            return _may_slug(tail) and bool(_SLUG_CUE.search(before))
        if case in ("title", "upper"):
            return True
        return (
            _cue_before(before, tail)
            or bool(_CUE_AFTER.match(text, end))
            or entries[0].population >= BIG_CITY
            or (_may_end(tail, _WEAK_LAST) and bool(_WEAK_CUE.search(before)))
        )

    @staticmethod
    def _states(
        text: str,
        spans: list[tuple[int, int]],
        codes: list[int],
        taken: list[tuple[int, int]],
        gz: Gazetteer,
    ) -> list[tuple[int, int, str]]:
        out: list[tuple[int, int, str]] = []
        for i, end in spans:
            if taken and any(s < end and i < e for s, e in taken):
                continue
            written = text[i:end]
            name = re.sub(r"\s+", " ", written.lower())
            before = text[max(0, i - 30) : i]
            if _NAME_CUE.search(before):
                continue
            if name in gz.ambiguous_states and not (
                written[:1].isupper() or _CUE_BEFORE.search(before)
            ):
                continue
            taken.append((i, end))
            out.append((i, end, gz.state_names[name]))
        for i in codes:
            if i and (text[i - 1].isalnum() or text[i - 1] in "_.'’"):
                continue  # inside a word, or after "." or an apostrophe
            code = text[i : i + 2]
            if taken and any(s < i + 2 and i < e for s, e in taken):
                continue
            if code in gz.word_codes:
                before = text[max(0, i - 30) : i]
                tail = _tail(before)
                if not (
                    (_may_end(tail, _NARROW_LAST) and _NARROW_CUE.search(before))
                    or (
                        code not in _IN_UNSAFE
                        and _may_end(tail, _IN_LAST)
                        and _IN_CUE.search(before)
                    )
                ):
                    continue
            out.append((i, i + 2, code))
        return out


EXTRACTOR = PlaceExtractor()
