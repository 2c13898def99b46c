"""Generate a synthetic corpus: a population posting ads over time, streamed to disk.

``generate(options)`` builds the population (``population.py``), gives every poster a baked
ad template (``text.py``), then walks time forward with a heap of "next post" times — one
entry per person, so memory grows with persons, never with ads — rendering each ad when its
time comes and writing it at once (``writer.py``). All randomness comes from two
``random.Random`` instances seeded from ``options.seed`` (population, then ads), so a seed
gives byte-identical files.
"""

from __future__ import annotations

import heapq
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from safelight.synth.geography import City, geography
from safelight.synth.images import VARIANTS, ImageBank
from safelight.synth.obfuscate import PhoneWriter, write_email, write_handle
from safelight.synth.options import SynthOptions, SynthSummary
from safelight.synth.population import (
    DAY,
    Network,
    Person,
    PhoneBook,
    PopulationConfig,
    build_population,
)
from safelight.synth.text import Template, age_words, bake_template, noisy, personalize, prices
from safelight.synth.vocabulary import vocabulary
from safelight.synth.writer import CorpusWriter, truth_line

__all__ = ["SynthOptions", "SynthSummary", "generate"]


# How each site writes its location field (index = site order in vocabulary.yaml).
_LOCATION: tuple[Callable[[City], str | None], ...] = (
    lambda c: c.name,
    lambda c: f"{c.name}, {c.state}",
    lambda c: c.name.lower(),
    lambda c: f"{c.name} {c.state}",
    lambda c: None,
)


def _post_id(i: int, mix: int) -> str:
    """A unique, order-free post id for the i-th ad (a bijection on 32-bit integers)."""
    x = (i * 0x9E3779B1 + mix) & 0xFFFFFFFF
    x ^= x >> 15
    x = (x * 0x85EBCA6B) & 0xFFFFFFFF
    x ^= x >> 13
    return str(1_000_000_000 + x)


class _Stream:
    """Renders ads person by person as the heap hands out posting times."""

    def __init__(self, opts: SynthOptions, persons: list[Person], networks: list[Network]):
        self.opts, self.persons, self.networks = opts, persons, networks
        self.rng = random.Random(f"{opts.seed}:ads")
        self.vocab = vocabulary()
        self.geo = geography()
        self.phone_writer = PhoneWriter(opts.noise)
        self.phonebook = PhoneBook(self.rng)
        self.sites = self.vocab.sites
        self.epoch = datetime(opts.start.year, opts.start.month, opts.start.day, tzinfo=UTC)
        self.epoch_s = int(self.epoch.timestamp())
        self.mix = random.Random(f"{opts.seed}:ids").getrandbits(32)
        self.bank = ImageBank(opts.out, opts.seed, enabled=opts.images)
        self.price_hh: dict[str, int] = {}
        self.youth_emojis = self.vocab["youth_emojis"]
        self._age_cache: dict[tuple[str, int], str] = {}
        self._price_cache: dict[tuple[str, int], str] = {}
        self._days: dict[int, str] = {}
        if self.sites[0].name != "classyads" or len(self.sites) != len(_LOCATION):
            raise ValueError("vocabulary sites must start with classyads and match _LOCATION")
        self._bake_all(random.Random(f"{opts.seed}:styles"))

    # -- templates ---------------------------------------------------------------------------
    def _bake(self, rng: random.Random, owner: Person | Network) -> Template:
        net = owner if isinstance(owner, Network) else None
        style = self.phone_writer.pick_style(rng) if rng.random() < 0.5 else None
        return bake_template(
            self.vocab,
            rng,
            self.opts.noise,
            third_person=bool(net and net.third_person),
            brand=net.brand if net else None,
            phone_style=style,
        )

    def _assign(self, owner: Person | Network, template: Template) -> None:
        members = owner.members if isinstance(owner, Network) else [owner]
        owner.style = template
        self.price_hh.setdefault(owner.id, template.hh)
        for p in members:
            p.style = personalize(template, p.hair, p.eyes, p.height_in, p.weight_lb)

    def _bake_all(self, rng: random.Random) -> None:
        for net in self.networks:
            self._assign(net, self._bake(rng, net))
        for p in self.persons:
            if p.network is None:
                self._assign(p, self._bake(rng, p))

    # -- one ad --------------------------------------------------------------------------------
    def _city(self, p: Person, t: float) -> City:
        if p.network is not None:
            return p.network.city_at(t)
        if p.trip_left > 0 and p.trip_city is not None:
            p.trip_left -= 1
            return p.trip_city
        if self.rng.random() < 0.03:  # independents rarely travel, and not far
            p.trip_city = self.rng.choice(self.geo.nearby(p.home))
            p.trip_left = self.rng.randint(0, 3)
            return p.trip_city
        return p.home

    def _phones(self, p: Person, t: float) -> list[str]:
        rng, net = self.rng, p.network
        if net is None:
            if p.phone is None or rng.random() < 0.004:  # a new number, now and then
                p.phone = self.phonebook.new(p.home)
            return [p.phone]
        if net.phone_mode == "bottom":
            return [net.bottom_phone]
        burner = net.burner_at(t)
        if net.phone_mode == "burners":
            return [burner]
        if rng.random() < 0.12:
            return [net.bottom_phone, burner]
        return [net.bottom_phone if rng.random() < 0.4 else burner]

    def _images(self, p: Person) -> list[str]:
        rng, bank = self.rng, self.bank
        if not bank.enabled or rng.random() < 0.08:
            return []
        refs = []
        for photo in rng.sample(range(p.photos), rng.randint(1, min(4, p.photos))):
            k = 0 if rng.random() < 0.4 else rng.randrange(1, VARIANTS)
            refs.append(bank.ref(p.id, photo, k))
            p.images.setdefault(photo, set()).add(refs[-1])
        net = p.network
        if net is not None:
            if net.stock_photo and rng.random() < 0.25:
                refs.insert(0, bank.ref(net.id, 0, rng.randrange(VARIANTS)))
                net.stock_refs.add(refs[0])
            if rng.random() < 0.1:  # a photo of another person of the network
                other = rng.choice(net.members)
                photo = rng.randrange(other.photos)
                refs.append(bank.ref(other.id, photo, 0))
                other.images.setdefault(photo, set()).add(refs[-1])
        return refs

    def render(self, p: Person, t: float, site_i: int, idx: int) -> tuple[dict, str, City]:
        rng, net = self.rng, p.network
        style: Template = p.style  # type: ignore[assignment]
        site = self.sites[site_i]
        city = self._city(p, t)
        p.cities.add(city.key)
        claimed = p.claimed_age
        if rng.random() < 0.06:
            claimed += 1 if claimed < 20 or rng.random() < 0.5 else -1
        age_col = None
        if rng.random() < site.age_field:
            age_col = net.poster_age if net is not None and rng.random() < 0.3 else claimed
        phones = self._phones(p, t)
        for ph in phones:
            if ph not in p.phones_used:
                p.phones_used.append(ph)
            if net is not None and ph not in net.phones_used:
                net.phones_used.append(ph)
        contact, tags = self._contact(p, style, phones)
        pal = style.emojis
        rnd = rng.random
        e1 = pal[int(rnd() * len(pal))]
        youth_cue = p.youth and rng.random() < 0.85
        if p.youth and rng.random() < 0.5:
            e1 = rng.choice(self.youth_emojis)
        owner = net.id if net is not None else p.id
        hh = self.price_hh[owner]
        if rng.random() < 0.01:
            hh = self.price_hh[owner] = min(300, max(50, hh + rng.choice((-20, -10, 10, 20))))
        cname = city.name
        r = rng.random()
        if r < 0.25:
            cname = cname.lower()
        elif r < 0.35:
            cname = f"{cname} {city.state}"
        if net is not None:
            name2 = rng.choice(net.members).working_name
        else:
            name2 = rng.choice(p.aliases) if p.aliases else p.working_name
        name = p.working_name
        if p.aliases and rng.random() < 0.15:
            name = rng.choice(p.aliases)
        values = {
            "name": name,
            "name2": name2,
            "age": claimed,
            "agep": self._age_phrase(style.age_phrase, claimed),
            "city": cname,
            "CITY": city.name.upper(),
            "price": self._price(style.price_format, hh),
            "contact": contact,
            "youth": rng.choice(style.youth_cues) + style.sep.replace("{e1}", e1)
            if youth_cue
            else "",
            "e0": pal[int(rnd() * len(pal))],
            "e1": e1,
            "e2": pal[int(rnd() * len(pal))],
        }
        titles = style.titles
        title_t = titles[0] if len(titles) == 1 or rng.random() < 0.6 else rng.choice(titles)
        body_t = style.body
        noise = self.opts.noise
        if rng.random() < 0.03 + 0.15 * noise:
            title_t = noisy(title_t, rng, title=True)
        if rng.random() < 0.05 + 0.35 * noise:
            body_t = noisy(body_t, rng)
        title = title_t.format_map(values)
        body = body_t.format_map(values)
        if age_col is not None and rng.random() < site.title_age:
            title = f"{title} - {age_col}"
        post_id = _post_id(idx, self.mix)
        slug = city.slug
        if site_i == 0:  # classyads, the classic layout
            url = f"https://{slug}.classyads.example/escorts/{post_id}"
            loc = city.name if r > 0.3 else f"near Downtown, {city.name}"
        else:
            url = f"https://www.{site.domain}/{city.state.lower()}/{slug}/{post_id}"
            loc = _LOCATION[site_i](city)
        ad = {
            "source": site.name,
            "post_id": post_id,
            "url": url,
            "posted_at": self._stamp(t),
            "title": title,
            "body": body,
            "location": loc,
            "age": age_col,
            "images": self._images(p),
        }
        truth = truth_line(
            ad,
            p.id,
            net.id if net is not None else None,
            p.true_age,
            city.key,
            claimed if age_col is not None or "{agep}" in body_t else None,
            phones,
            tags,
            youth_cue,
            style.third_person,
        )
        return ad, truth, city

    def _age_phrase(self, phrase: str, age: int) -> str:
        key = (phrase, age)
        text = self._age_cache.get(key)
        if text is None:
            text = self._age_cache[key] = phrase.format(age=age, age_words=age_words(age))
        return text

    def _price(self, fmt: str, hh: int) -> str:
        key = (fmt, hh)
        text = self._price_cache.get(key)
        if text is None:
            text = self._price_cache[key] = fmt.format(**prices(hh))
        return text

    def _stamp(self, t: float) -> str:
        """ISO 8601 UTC to the minute: ``2024-01-03T14:22:00Z``."""
        minutes = int(t) // 60
        day, minute = divmod(minutes, 1440)
        date_s = self._days.get(day)
        if date_s is None:
            date_s = self._days[day] = (self.epoch + timedelta(days=day)).strftime("%Y-%m-%d")
        return f"{date_s}T{minute // 60:02d}:{minute % 60:02d}:00Z"

    def _contact(self, p: Person, style: Template, phones: list[str]) -> tuple[str, dict]:
        rng = self.rng
        tags: dict[str, list[Any]] = {"phones": [], "emails": [], "handles": []}
        parts = []
        for ph in phones:
            text, how = self.phone_writer.write(ph, rng, style.phone_style)
            parts.append(text)
            tags["phones"].append(how)
        contact = f"{style.contact_prefix} {' or '.join(parts)}"
        if p.handle is not None and rng.random() < 0.7:
            platform, handle = p.handle
            prefixes = self.vocab.handle_prefix[platform]
            contact += " " + write_handle(platform, handle, prefixes, rng)
            tags["handles"].append({"platform": platform, "handle": handle})
        if p.email is not None and rng.random() < 0.6:
            text, _ = write_email(p.email[0], p.email[1], rng, self.opts.noise)
            contact += f" {text}"
            tags["emails"].append(f"{p.email[0]}@{p.email[1]}")
        return contact, tags

    def next_time(self, p: Person, t: float) -> float:
        rng = self.rng
        nxt = t + p.gap_days * rng.uniform(0.5, 1.5) * DAY
        day_start = nxt // DAY * DAY
        hour = (p.pref_hour + rng.gauss(0.0, 2.5)) % 24
        return max(t + 3600.0, day_start + hour * 3600.0)

    def maybe_rewrite(self, p: Person) -> None:
        """Posters rewrite their ad now and then; a network rewrites it for all its persons."""
        rng = self.rng
        owner: Person | Network = p.network if p.network is not None else p
        if rng.random() < (0.004 if p.network is not None else 0.01):
            old = owner.style
            template = self._bake(rng, owner)
            template.phone_style = old.phone_style  # type: ignore[attr-defined]
            self._assign(owner, template)


def generate(options: SynthOptions, progress: Callable[[int], None] | None = None) -> SynthSummary:
    """Write the corpus to ``options.out``; ``progress(n)`` is called with ads written so far."""
    started = time.perf_counter()
    opts = options
    config = PopulationConfig(opts.ads, opts.days, opts.minor_rate, opts.network_rate)
    persons, networks = build_population(
        config, random.Random(f"{opts.seed}:population"), geography(), vocabulary()
    )
    writer = CorpusWriter(opts.out, opts.html_pages)
    stream = _Stream(opts, persons, networks)
    summary = SynthSummary(persons=len(persons), networks=len(networks))
    summary.minors = sum(p.minor for p in persons)
    heap = [(p.start, p.index) for p in persons]
    heapq.heapify(heap)
    rng = stream.rng
    n = 0
    try:
        while n < opts.ads and heap:
            t, i = heapq.heappop(heap)
            p = persons[i]
            sites = p.sites if len(p.sites) > 1 and rng.random() < p.crosspost else p.sites[:1]
            for k, site_i in enumerate(sites):
                if n >= opts.ads:
                    break
                ad, truth, city = stream.render(p, t + k * rng.uniform(300, 3600), site_i, n)
                writer.write(ad, truth)
                if p.first_post is None:
                    p.first_post = t
                    summary.first_posted = summary.first_posted or ad["posted_at"]
                summary.last_posted = max(summary.last_posted, ad["posted_at"])
                p.ads += 1
                if p.network is not None:
                    p.network.ads += 1
                    summary.network_ads += 1
                summary.minor_ads += p.minor
                if writer.wants_page(ad["source"]):
                    first = stream.epoch_s + int(p.first_post)
                    month = datetime.fromtimestamp(first, UTC).strftime("%B %Y")
                    writer.page(ad, city.name, city.slug, month)
                n += 1
                if progress is not None and n % 1000 == 0:
                    progress(n)
            stream.maybe_rewrite(p)
            heapq.heappush(heap, (stream.next_time(p, t), i))
    finally:
        writer.close()
    last = (datetime.fromisoformat(summary.last_posted).timestamp() - stream.epoch_s) if n else 0
    writer.lines("persons.jsonl", (p.to_row(stream.epoch_s) for p in persons))
    writer.lines("networks.jsonl", (net.to_row(stream.epoch_s, last) for net in networks))
    if opts.bad_records:
        summary.bad_records = writer.bad_records(opts.bad_records)
    if progress is not None:
        progress(n)
    summary.ads = n
    summary.images = len(stream.bank.written)
    summary.pages = writer.pages
    summary.seconds = time.perf_counter() - started
    summary.files = sorted(str(f.relative_to(opts.out)) for f in opts.out.iterdir() if f.is_file())
    return summary
