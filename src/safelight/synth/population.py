"""The people behind the synthetic ads: persons advertised, and the networks that control some.

A population is built lazily, actor by actor (an independent advertiser or a whole network),
until the actors' expected ad volume reaches the requested number of ads. Everything comes
from one ``random.Random`` so a seed fixes the population.

- ``Person``: id, working name and aliases, true age, minor flag, looks, home city, how often
  they post, contacts. Minors (default ~5% of persons) claim 18-21 in their ads.
- ``Network``: one controller and 2-6 persons, one of them the "bottom" who posts the ads and
  answers the phone (seed 001). A network shares a phone (the bottom's) and rotating burner
  numbers, writes one ad template for all its persons and moves them along a circuit of cities
  on a highway route, staying 3-10 days in each.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from safelight.synth.geography import City, Geography
from safelight.synth.vocabulary import Vocabulary

__all__ = ["Network", "Person", "PhoneBook", "PopulationConfig", "build_population"]

DAY = 86400.0


@dataclass(slots=True)
class PopulationConfig:
    ads: int
    days: float
    minor_rate: float
    network_rate: float


class PhoneBook:
    """Hands out distinct valid-looking NANP numbers in a given area code (10 digits)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def new(self, city: City) -> str:
        rng = self.rng
        while True:
            area = rng.choice(city.area_codes)
            exchange = rng.randint(201, 989)
            if exchange % 100 == 11 or exchange == 555:
                continue
            number = f"{area}{exchange}{rng.randint(0, 9999):04d}"
            if number not in self.used:
                self.used.add(number)
                return number


@dataclass(slots=True)
class Person:
    id: str
    index: int
    working_name: str
    aliases: list[str]
    true_age: int
    minor: bool
    claimed_age: int
    hair: str
    eyes: str
    height_in: int
    weight_lb: int
    home: City
    network: Network | None = None
    role: str = "independent"
    gap_days: float = 2.5
    start: float = 0.0
    pref_hour: float = 19.0
    crosspost: float = 0.15
    sites: tuple[int, ...] = (0,)
    youth: bool = False
    phone: str | None = None
    email: tuple[str, str] | None = None
    handle: tuple[str, str] | None = None
    photos: int = 3
    style: object = None  # text.Style, set by the ad writer
    # Running state, updated while ads are generated.
    trip_city: City | None = None
    trip_left: int = 0
    ads: int = 0
    first_post: float | None = None
    phones_used: list[str] = field(default_factory=list)
    cities: set[str] = field(default_factory=set)
    images: dict[int, set[str]] = field(default_factory=dict)  # own photo -> variant refs

    def expected_ads(self, days: float) -> float:
        active = max(0.0, days - self.start / DAY)
        return active / self.gap_days * (1.0 + (self.crosspost if len(self.sites) > 1 else 0))

    def to_row(self, epoch_s: int) -> dict[str, Any]:
        """The ``persons.jsonl`` line."""
        first = None
        if self.first_post is not None:
            first = _iso(epoch_s + self.first_post)
        return {
            "person_id": self.id,
            "working_name": self.working_name,
            "aliases": self.aliases,
            "true_age": self.true_age,
            "minor": self.minor,
            "claimed_age": self.claimed_age,
            "hair": self.hair,
            "eyes": self.eyes,
            "height": f"{self.height_in // 12}'{self.height_in % 12}\"",
            "height_in": self.height_in,
            "weight_lb": self.weight_lb,
            "home_city": self.home.key,
            "network_id": self.network.id if self.network is not None else None,
            "role": self.role,
            "youth_wording": self.youth,
            "phones": [f"+1{p}" for p in self.phones_used],
            "emails": [f"{self.email[0]}@{self.email[1]}"] if self.email else [],
            "handles": [{"platform": self.handle[0], "handle": self.handle[1]}]
            if self.handle
            else [],
            "ads": self.ads,
            "first_posted": first,
            "cities": sorted(self.cities),
            "photos": [sorted(self.images[k]) for k in sorted(self.images)],
        }


@dataclass(slots=True)
class Network:
    id: str
    index: int
    members: list[Person]
    bottom: Person
    circuit_name: str
    stops: list[float]  # start time (seconds) of each stop
    stop_cities: list[City]
    phone_mode: str  # "bottom", "burners" or "mixed"
    bottom_phone: str
    burner_starts: list[float]
    burner_phones: list[str]
    third_person: bool
    brand: str | None
    stock_photo: bool
    poster_age: int  # the age the bottom's posting account shows ("Poster's age")
    style: object = None
    ads: int = 0
    phones_used: list[str] = field(default_factory=list)
    stock_refs: set[str] = field(default_factory=set)

    def to_row(self, epoch_s: int, until: float) -> dict[str, Any]:
        """The ``networks.jsonl`` line; the itinerary up to ``until`` (seconds from start)."""
        stops = [
            {"city": c.key, "from": _iso(epoch_s + max(0.0, t))}
            for t, c in zip(self.stops, self.stop_cities, strict=True)
            if t <= until
        ]
        return {
            "network_id": self.id,
            "controller_id": f"C{self.index + 1:05d}",
            "bottom_person_id": self.bottom.id,
            "person_ids": [m.id for m in self.members],
            "circuit": self.circuit_name,
            "itinerary": stops,
            "phone_mode": self.phone_mode,
            "bottom_phone": f"+1{self.bottom_phone}",
            "phones": [f"+1{p}" for p in self.phones_used],
            "third_person": self.third_person,
            "brand": self.brand,
            "poster_age": self.poster_age,
            "stock_photo": sorted(self.stock_refs),
            "ads": self.ads,
        }

    def city_at(self, t: float) -> City:
        i = bisect.bisect_right(self.stops, t) - 1
        return self.stop_cities[max(0, i)]

    def burner_at(self, t: float) -> str:
        i = bisect.bisect_right(self.burner_starts, t) - 1
        return self.burner_phones[max(0, i)]


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(int(seconds), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _age(rng: random.Random, minor: bool) -> tuple[int, int]:
    """(true age, age claimed in ads)."""
    if minor:
        true = rng.choices((14, 15, 16, 17), weights=(1, 2, 4, 5))[0]
        claimed = rng.choices((18, 19, 20, 21, 22, 23), weights=(38, 32, 14, 11, 3, 2))[0]
        return true, claimed
    true = int(rng.triangular(18, 46, 23))
    if rng.random() < 0.04:
        return true, rng.randint(18, 20) if true > 20 else true
    if true <= 24:
        return true, true if rng.random() < 0.8 else max(18, true - 1)
    return true, max(19, true - rng.randint(0, 5))


class PopulationBuilder:
    def __init__(
        self, config: PopulationConfig, rng: random.Random, geo: Geography, vocab: Vocabulary
    ) -> None:
        self.config, self.rng, self.geo, self.vocab = config, rng, geo, vocab
        self.phones = PhoneBook(rng)
        self.screen_names: set[str] = set()  # handles and email names: one account, one person
        self.persons: list[Person] = []
        self.networks: list[Network] = []
        r, m = config.network_rate, config.minor_rate
        share = 0.65 if 0 < r < 1 else (1.0 if r >= 1 else 0.0)  # share of minors in networks
        self.p_minor_net = min(1.0, m * share / r) if r > 0 else 0.0
        self.p_minor_ind = min(1.0, m * (1 - share) / (1 - r)) if r < 1 else 0.0
        self.horizon = config.days * 1.6 * DAY
        self._site_weights = [s.weight for s in vocab.sites]

    def _person(self, home: City, in_network: bool) -> Person:
        rng, vocab = self.rng, self.vocab
        minor = rng.random() < (self.p_minor_net if in_network else self.p_minor_ind)
        true, claimed = _age(rng, minor)
        names = rng.sample(vocab["names"], 3)
        height = rng.randint(58, 67) if minor else rng.randint(59, 71)
        weight = rng.randint(92, 140) if minor else rng.randint(100, 195)
        p = Person(
            id=f"P{len(self.persons) + 1:06d}",
            index=len(self.persons),
            working_name=names[0],
            aliases=names[1 : 1 + rng.randint(0, 2)],
            true_age=true,
            minor=minor,
            claimed_age=claimed,
            hair=rng.choice(vocab["hair"]),
            eyes=rng.choice(vocab["eyes"]),
            height_in=height,
            weight_lb=weight,
            home=home,
        )
        # Youth wording: most minors' ads carry some, a few adults' ads do too.
        p.youth = rng.random() < (0.7 if minor else 0.05 if true > 21 else 0.12)
        p.start = rng.uniform(0.0, 0.3) * self.config.days * DAY
        p.pref_hour = rng.choice((11.0, 15.0, 19.0, 21.0, 23.0))
        p.photos = rng.randint(2, 5)
        sites = rng.choices(range(len(self.vocab.sites)), weights=self._site_weights, k=2)
        p.sites = tuple(dict.fromkeys(sites))
        stem = f"{p.working_name.lower()}{rng.choice(vocab['handle_parts'])}"
        handle_base = f"{stem}{rng.randint(1, 99)}" if rng.random() < 0.4 else stem
        # A handle or mailbox is one account: two persons never share one (a platform refuses a
        # taken name), so a taken name gets digits, as people do.
        while handle_base in self.screen_names:
            handle_base = f"{stem}{rng.randint(1, 9999)}"
        self.screen_names.add(handle_base)
        if rng.random() < 0.35:
            platform = rng.choices(
                ("snapchat", "instagram", "kik", "telegram", "onlyfans"), (4, 2, 1, 1.5, 1.5)
            )[0]
            p.handle = (platform, handle_base)
        if rng.random() < 0.15:
            p.email = (handle_base.replace("_", "."), rng.choice(vocab["email_domains"]))
        self.persons.append(p)
        return p

    def independent(self) -> Person:
        rng = self.rng
        p = self._person(self.geo.pick_city(rng), in_network=False)
        p.gap_days = rng.uniform(0.5, 1.2) if rng.random() < 0.1 else rng.uniform(1.2, 4.0)
        p.crosspost = 0.15
        p.phone = self.phones.new(p.home)
        return p

    def network(self) -> Network:
        rng, geo = self.rng, self.geo
        circuit = geo.pick_circuit(rng)
        cities = list(circuit.cities)
        if rng.random() < 0.5:
            cities.reverse()
        first = rng.randrange(len(cities))
        home = cities[first]
        size = rng.choices((2, 3, 4, 5, 6), weights=(3, 4, 3, 2, 1))[0]
        members = [self._person(home, in_network=True) for _ in range(size)]
        adults = [m for m in members if not m.minor] or members
        bottom = max(adults, key=lambda m: m.true_age)
        bottom.role = "bottom"
        for m in members:
            if m is not bottom:
                m.role = "member"
            m.gap_days = rng.uniform(0.7, 1.8)
            m.crosspost = 0.35
            m.start = rng.uniform(0.0, 0.15) * self.config.days * DAY
        # Itinerary along the circuit: loop or turn back at the ends.
        stay_lo, stay_hi = sorted((rng.uniform(3, 6), rng.uniform(5, 10)))
        # Loop when the route closes on itself (the Texas triangle), else turn back at the ends.
        loop = geo.distance_km(cities[0], cities[-1]) < 600
        stops, stop_cities, t, i, step = [], [], -rng.uniform(0, stay_hi) * DAY, first, 1
        while t < self.horizon:
            stops.append(t)
            stop_cities.append(cities[i])
            t += rng.uniform(stay_lo, stay_hi) * DAY
            if loop:
                i = (i + 1) % len(cities)
            else:
                if not 0 <= i + step < len(cities):
                    step = -step
                i += step
        # Burner numbers: a new one every 5-20 days, often local to the current stop.
        b_starts, b_phones, t = [], [], 0.0
        while t < self.horizon:
            b_starts.append(t if b_starts else -1.0)
            city = stop_cities[bisect.bisect_right(stops, t) - 1] if rng.random() < 0.6 else home
            b_phones.append(self.phones.new(city))
            t += rng.uniform(5, 20) * DAY
        net = Network(
            id=f"N{len(self.networks) + 1:05d}",
            index=len(self.networks),
            members=members,
            bottom=bottom,
            circuit_name=circuit.name,
            stops=stops,
            stop_cities=stop_cities,
            phone_mode=rng.choices(("bottom", "burners", "mixed"), weights=(25, 35, 40))[0],
            bottom_phone=self.phones.new(home),
            burner_starts=b_starts,
            burner_phones=b_phones,
            third_person=rng.random() < 0.55,
            brand=rng.choice(self.vocab["network_brands"]) if rng.random() < 0.35 else None,
            stock_photo=rng.random() < 0.5,
            poster_age=max(bottom.claimed_age, rng.randint(21, 34)),
        )
        shared_handle = members[0].handle if rng.random() < 0.3 else None
        for m in members:
            m.network = net
            m.sites = members[0].sites
            if shared_handle:
                m.handle = shared_handle
        self.networks.append(net)
        return net


def build_population(
    config: PopulationConfig, rng: random.Random, geo: Geography, vocab: Vocabulary
) -> tuple[list[Person], list[Network]]:
    """Persons and networks whose expected volume over ``config.days`` covers ``config.ads``."""
    builder = PopulationBuilder(config, rng, geo, vocab)
    expected = 0.0
    in_networks = 0
    while expected < config.ads:
        total = len(builder.persons)
        if in_networks < config.network_rate * (total + 1) and config.network_rate > 0:
            net = builder.network()
            in_networks += len(net.members)
            expected += sum(m.expected_ads(config.days) for m in net.members)
        else:
            expected += builder.independent().expected_ads(config.days)
    return builder.persons, builder.networks
