"""Where the synthetic population lives and travels: US cities and highway circuits.

Cities (name, state, coordinates, population, area codes) and circuits (ordered city lists
along interstate routes) are data in ``data/cities.yaml``; this module loads them once and
answers the few questions the generator asks: pick a home city by population, find cities
near a city, and look a city up by its ``"Name, ST"`` key.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

__all__ = ["Circuit", "City", "Geography", "geography"]


@dataclass(frozen=True, slots=True)
class City:
    name: str
    state: str
    lat: float
    lon: float
    pop: int
    area_codes: tuple[int, ...]
    key: str = ""  # the place as the extraction contract writes it: "Dallas, TX"
    slug: str = ""  # "sanantonio", as in URLs

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", f"{self.name}, {self.state}")
        object.__setattr__(self, "slug", self.name.lower().replace(".", "").replace(" ", ""))


@dataclass(frozen=True, slots=True)
class Circuit:
    name: str
    cities: tuple[City, ...]


def _distance_km(a: City, b: City) -> float:
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(h))


class Geography:
    """The cities and circuits, with population weights and nearest neighbours."""

    def __init__(self, cities: list[City], circuits: list[Circuit]) -> None:
        self.cities = tuple(cities)
        self.circuits = tuple(circuits)
        self.by_key = {c.key: c for c in self.cities}
        # Larger cities have more ads, but less than proportionally (sqrt damping).
        self._weights = [math.sqrt(c.pop) for c in self.cities]
        self._near: dict[str, tuple[City, ...]] = {}
        for city in self.cities:
            others = sorted(
                (c for c in self.cities if c is not city), key=lambda c: _distance_km(city, c)
            )
            self._near[city.key] = tuple(others[:4])
        self._circuit_weights = [len(c.cities) for c in self.circuits]

    def pick_city(self, rng: random.Random) -> City:
        return rng.choices(self.cities, weights=self._weights)[0]

    def pick_circuit(self, rng: random.Random) -> Circuit:
        return rng.choices(self.circuits, weights=self._circuit_weights)[0]

    def nearby(self, city: City) -> tuple[City, ...]:
        """The four closest other cities (for an independent's occasional short trip)."""
        return self._near[city.key]

    @staticmethod
    def distance_km(a: City, b: City) -> float:
        return _distance_km(a, b)

    def circuits_through(self, city: City) -> list[Circuit]:
        return [c for c in self.circuits if city in c.cities]


@cache
def geography() -> Geography:
    """Load ``data/cities.yaml`` (once)."""
    text = resources.files("safelight.synth").joinpath("data/cities.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    cities = [
        City(
            name=c["name"],
            state=c["state"],
            lat=float(c["lat"]),
            lon=float(c["lon"]),
            pop=int(c["pop"]),
            area_codes=tuple(int(a) for a in c["area_codes"]),
        )
        for c in raw["cities"]
    ]
    by_key = {c.key: c for c in cities}
    circuits = [
        Circuit(name=c["name"], cities=tuple(by_key[k] for k in c["cities"]))
        for c in raw["circuits"]
    ]
    return Geography(cities, circuits)
