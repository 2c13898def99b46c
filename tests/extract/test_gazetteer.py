from __future__ import annotations

import csv
from importlib import resources

from safelight.extract.gazetteer import gazetteer, surface_key


def test_every_city_row_names_its_geonames_source() -> None:
    text = resources.files("safelight.extract").joinpath("data/us_cities.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) > 3000
    assert all(r["source"].startswith("GeoNames ") and "CC BY" in r["source"] for r in rows)
    assert {"name": "Tyler", "state": "TX"}.items() <= next(
        r for r in rows if r["name"] == "Tyler"
    ).items()


def test_lookup_and_variants() -> None:
    gz = gazetteer()
    assert gz.cities["dallas"][0].value == "Dallas, TX"
    assert gz.cities["saint louis"][0].value == "St. Louis, MO"
    assert gz.cities["ft worth"][0].value == "Fort Worth, TX"
    assert gz.cities["springfield"][0].population >= gz.cities["springfield"][-1].population
    assert gz.cities["nyc"][0].value == "New York, NY"
    assert "washington" not in gz.cities  # alone it is the state
    assert gz.state_names["texas"] == "TX" and "DC" in gz.codes


def test_surface_key() -> None:
    assert surface_key("Winston-Salem") == "winston salem"
    assert surface_key("Cañon  City") == "canon city"


def test_trie_regex_matches_longest_name() -> None:
    m = gazetteer().city_re.search("in Kansas City tonight")
    assert m is not None and m.group() == "Kansas City"
