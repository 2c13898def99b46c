from __future__ import annotations

import time

import pytest

from safelight.extract.base import Match
from safelight.extract.places import EXTRACTOR, area_code_place


def places(text: str, found: dict[str, list[Match]] | None = None) -> list[str]:
    matches = EXTRACTOR.extract(text, found or {})
    for m in matches:
        assert text[m.start : m.end] == m.text
        assert m.field == "place"
    return sorted(m.value for m in matches)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Location: Tyler", ["Tyler, TX"]),
        ("75 near Downtown, Dallas", ["Dallas, TX"]),
        ("Houston, TX", ["Houston, TX"]),
        ("houston tx", ["Houston, TX"]),
        ("Tyler Texas", ["Tyler, TX"]),
        ("Jacksonville, TX", ["Jacksonville, TX"]),  # the stated state wins over population
        ("Springfield", ["Springfield, MO"]),  # bare name: most populous
        ("Location: Aurora ... Illinois", ["Aurora, IL", "IL"]),  # a state named elsewhere
        ("dallas", ["Dallas, TX"]),  # big city in lower case
        ("san antonio", ["San Antonio, TX"]),
        ("St. Louis", ["St. Louis, MO"]),
        ("st louis mo", ["St. Louis, MO"]),
        ("Ft Worth", ["Fort Worth, TX"]),
        ("Dallas-Fort Worth", ["Dallas, TX", "Fort Worth, TX"]),
        ("NYC", ["New York, NY"]),
        ("LA", ["Los Angeles, CA"]),
        ("Baton Rouge, LA", ["Baton Rouge, LA"]),
        ("Washington DC", ["Washington, DC"]),
        ("Seattle, Washington", ["Seattle, WA"]),
        ("I'm in Texas", ["TX"]),
        ("best girl in TX", ["TX"]),
        ("Location: OK", ["OK"]),
        ("in Georgia", ["GA"]),
        ("visiting Charlotte this week", ["Charlotte, NC"]),
        ("in Mobile", ["Mobile, AL"]),
        ("BEST N TYLER", ["Tyler, TX"]),
        ("Post ID: 25265660 tyler", ["Tyler, TX"]),
        ("laredo · brownsville · harlingen", ["Brownsville, TX", "Harlingen, TX", "Laredo, TX"]),
        ("Longview tx, 20 min from Tyler", ["Longview, TX", "Tyler, TX"]),
        ("Phoenix", ["Phoenix, AZ"]),
    ],
)
def test_places_found(text: str, expected: list[str]) -> None:
    assert places(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Tyler is my name",
        "I'm Charlotte",
        "ask for Madison",
        "I'm Phoenix",
        "Austin",  # a given name without a place cue
        "tyler",
        "mobile number",
        "dressed in orange",
        "Orange County",
        "Houston St",
        "Normal",
        "Surprise!",
        "IN OR OUT CALLS",
        "OH my",
        "HI guys",
        "SC- BRANDYBABYY",
        "I-35E exit 429B @ Walnut Hill",
        "tyler in the house",
    ],
)
def test_not_places(text: str) -> None:
    assert places(text) == []


def test_a_city_with_its_state_is_one_match() -> None:
    (m,) = EXTRACTOR.extract("come see me in Tyler, TX tonight", {})
    assert (m.value, m.text) == ("Tyler, TX", "Tyler, TX")


def test_area_code_places_carry_the_phone_span() -> None:
    text = "Location: Springfield call 417 555 1234"
    phone = Match("phone", "+14175551234", "417 555 1234", 27, 39)
    matches = EXTRACTOR.extract(text, {"phone": [phone]})
    by_source = {m.detail.get("source"): m for m in matches}
    assert by_source["area code"].value == "MO"
    assert (by_source["area code"].start, by_source["area code"].end) == (27, 39)
    assert by_source["area code"].text == "417 555 1234"
    assert by_source[None].value == "Springfield, MO"  # the phone's state breaks the tie


def test_area_code_place() -> None:
    assert area_code_place("+19033121887") == "TX"
    assert area_code_place("+12125551212") == "New York, NY"
    assert area_code_place("+447911123456") is None


def test_speed_on_a_typical_ad() -> None:
    text = (
        "NEW IN TOWN 💋 sexy latina visiting Houston this week only!! Im Mia, 23, 5'4 120lbs "
        "34C-24-36, all natural. Incall near the Galleria, outcall to Sugar Land, Katy and "
        "Pearland. qv 80 hh 120 hr 200, no rush. Clean, discreet, respectful gentlemen only. "
        "Text 713 555 0101, no blocked calls. Available 24/7. Reviews on the usual sites. "
        "Serious inquiries only, no law enforcement. Come see me before I leave Texas!! xoxo"
    )
    EXTRACTOR.extract(text, {})
    n = 300
    t0 = time.perf_counter()
    for _ in range(n):
        EXTRACTOR.extract(text, {})
    per_ad = (time.perf_counter() - t0) / n
    assert per_ad < 1e-3  # ~35 µs on an idle core; the bound only catches blow-ups


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("visiting New  York tonight", ["New York, NY"]),  # two spaces: the regex decides
        ("in new-york", ["New York, NY"]),
        ("Location: The\nColony", ["The Colony, TX"]),
        ("the best in town", []),  # "the"/"town" start city names but none follows
        ("Location: NY.", ["NY"]),
        ("ATX OK", []),  # codes inside words, "OK" without a cue
        ("İn Dallas", ["Dallas, TX"]),  # a case change that moves letters: the slow scan
    ],
)
def test_scan_edges(text: str, expected: list[str]) -> None:
    assert places(text) == expected


def test_state_names_grouped_by_first_letter_match_as_the_flat_list() -> None:
    import re

    from safelight.extract.gazetteer import gazetteer
    from safelight.extract.place_scan import state_patterns

    names = sorted(gazetteer().state_names, key=len, reverse=True)
    flat = re.compile(
        "(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) + r")(?![\w'’])",
        re.IGNORECASE,
    )
    grouped = state_patterns()[1]
    odd = "New  York|newyork|west virginian|North Dakota,|kansas city|virginia's|Ohio river|x"
    tries = [*names, *(n.upper() for n in names), *odd.split("|")]
    for text in tries:
        a, b = flat.match(text), grouped.match(text)
        assert (a and a.span()) == (b and b.span()), text
