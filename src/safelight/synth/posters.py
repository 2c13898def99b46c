"""Synthetic missing-person posters for a written corpus, with the discrepancies real ones have.

``write_posters(out, k, seed)`` reads ``persons.jsonl`` of a corpus folder and writes:

- ``posters.csv``: the documented ``safelight missing import`` headers (``case_id, name,
  aliases, sex, dob, age_at_missing, date_missing, missing_city, missing_state, height,
  weight, hair, eyes, race, marks, photos, foster_care, agency``), photos relative to the CSV
  in ``posters/``;
- ``posters_truth.jsonl``: ``case_id``, ``person_id`` (null for a poster of somebody in no ad),
  ``minor`` (at the ads' time) and the discrepancies applied.

About three quarters of the posters are of persons who appear in ads, minors first (every
minor of the corpus gets a poster while there is room); the rest are of invented people found
in no ad. Discrepancies, each drawn independently: a nickname or a formal name on the poster
(Jess on the ads, Jessica on the poster) or a name the ads never use (renamed); a true age of
15-17 on the poster while ads claim 18-19 (the corpus's minors); another hair colour (dyed);
an old photo (a re-crop of one of the person's photos, recompressed) or no photo; the person
went missing from another city than the ads' ones (moved); height and weight off by a little.
Only synthetic data: names come from the corpus vocabulary and a surname list.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image

from safelight.synth.geography import geography
from safelight.synth.vocabulary import vocabulary

__all__ = ["PosterSummary", "write_posters"]

HEADERS = (
    "case_id", "name", "aliases", "sex", "dob", "age_at_missing", "date_missing",
    "missing_city", "missing_state", "height", "weight", "hair", "eyes", "race", "marks",
    "photos", "foster_care", "agency",
)  # fmt: skip
SURNAMES = (  # common US surnames (US Census Bureau 2010 surname list, top 30)
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson",
)  # fmt: skip
IN_ADS_SHARE = 0.75


@dataclass(slots=True)
class PosterSummary:
    posters: int = 0
    in_ads: int = 0
    minors: int = 0
    photos: int = 0


def _formal_or_nickname(name: str, rng: random.Random) -> str | None:
    from nicknames import NickNamer

    namer = NickNamer()
    options = sorted(namer.canonicals_of(name) | namer.nicknames_of(name))
    options = [o.capitalize() for o in options if o.isalpha() and o.lower() != name.lower()]
    return rng.choice(options) if options else None


def _recrop(src: Path, dest: Path, rng: random.Random) -> bool:
    """An 'old photo': a re-crop of ``src`` (up to ~6% a side), resized and recompressed."""
    try:
        with Image.open(src) as img:
            img = img.convert("RGB")
            w, h = img.size
            box = (
                rng.randint(0, w // 16),
                rng.randint(0, h // 16),
                w - rng.randint(0, w // 16),
                h - rng.randint(0, h // 16),
            )
            img = img.crop(box).resize((120, 120))
            dest.parent.mkdir(parents=True, exist_ok=True)
            img.save(dest, "JPEG", quality=rng.randint(60, 85))
    except OSError:
        return False
    return True


def _dob(rng: random.Random, age: int, on: date) -> date:
    return on - timedelta(days=int(age * 365.25) + rng.randint(1, 360))


def _years(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _poster_of(
    person: dict[str, Any], case_id: str, out: Path, rng: random.Random
) -> tuple[dict[str, Any], dict[str, Any]]:
    first_seen = datetime.fromisoformat(person["first_posted"].replace("Z", "+00:00")).date()
    missing = first_seen - timedelta(days=rng.randint(7, 240))
    dob = _dob(rng, person["true_age"], first_seen)
    changes: list[str] = []
    first = person["working_name"]
    roll = rng.random()
    if roll < 0.3:
        other = _formal_or_nickname(first, rng)
        if other:
            first, changes = other, [*changes, "nickname"]
    elif roll < 0.5:
        first = rng.choice([n for n in vocabulary()["names"] if n != first])
        changes.append("renamed")
    aliases = []
    if person["aliases"] and rng.random() < 0.3:
        aliases.append(rng.choice(person["aliases"]))
    hair = person["hair"]
    if rng.random() < 0.25:
        hair = rng.choice([h for h in vocabulary()["hair"] if h != hair])
        changes.append("hair")
    city = geography().by_key.get(person["home_city"])
    ad_cities = set(person.get("cities") or [])
    if rng.random() < 0.3 or city is None:
        others = [c for c in geography().cities if c.key not in ad_cities]
        city = rng.choice(others or list(geography().cities))
        changes.append("moved")
    photo = ""
    refs = [ref for variants in person.get("photos") or [] for ref in variants]
    if refs and rng.random() < 0.8:
        name = hashlib.sha1(f"{case_id}|photo".encode()).hexdigest()[:16] + ".jpg"
        if _recrop(out / rng.choice(refs), out / "posters" / name, rng):
            photo = f"posters/{name}"
            changes.append("old photo")
    if person["minor"]:
        changes.append("minor advertised as adult")
    row = {
        "case_id": case_id,
        "name": f"{first} {rng.choice(SURNAMES)}",
        "aliases": ";".join(aliases),
        "sex": "F",
        "dob": dob.isoformat() if rng.random() < 0.8 else "",
        "age_at_missing": _years(dob, missing),
        "date_missing": missing.isoformat(),
        "missing_city": city.name,
        "missing_state": city.state,
        "height": f"{(person['height_in'] + rng.choice((-1, 0, 0, 1))) * 2.54:.0f}",
        "weight": f"{person['weight_lb'] + rng.randint(-8, 8)} lb",
        "hair": hair,
        "eyes": person["eyes"],
        "race": "",
        "marks": "",
        "photos": photo,
        "foster_care": "yes" if person["minor"] and rng.random() < 0.6 else "no",
        "agency": "Synthetic County Sheriff (example)",
    }
    truth = {
        "case_id": case_id,
        "person_id": person["person_id"],
        "minor": person["minor"],
        "discrepancies": changes,
    }
    return row, truth


def _nobody(case_id: str, rng: random.Random, start: date) -> tuple[dict[str, Any], dict[str, Any]]:
    vocab = vocabulary()
    age = rng.randint(13, 19)
    missing = start - timedelta(days=rng.randint(10, 400))
    dob = _dob(rng, age, missing)
    city = rng.choice(geography().cities)
    row = {
        "case_id": case_id,
        "name": f"{rng.choice(vocab['names'])} {rng.choice(SURNAMES)}",
        "aliases": "",
        "sex": "F",
        "dob": dob.isoformat(),
        "age_at_missing": age,
        "date_missing": missing.isoformat(),
        "missing_city": city.name,
        "missing_state": city.state,
        "height": f"{rng.randint(58, 68) * 2.54:.0f}",
        "weight": f"{rng.randint(95, 160)} lb",
        "hair": rng.choice(vocab["hair"]),
        "eyes": rng.choice(vocab["eyes"]),
        "race": "",
        "marks": "",
        "photos": "",
        "foster_care": "yes" if rng.random() < 0.5 else "no",
        "agency": "Synthetic County Sheriff (example)",
    }
    truth = {"case_id": case_id, "person_id": None, "minor": age < 18, "discrepancies": []}
    return row, truth


def write_posters(out: Path, k: int, seed: int = 0) -> PosterSummary:
    """Write ``posters.csv``, ``posters/`` and ``posters_truth.jsonl`` into corpus ``out``."""
    rng = random.Random(f"{seed}:posters")
    persons = []
    with (out / "persons.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            person = json.loads(line)
            if person.get("ads") and person.get("first_posted"):
                persons.append(person)
    minors = [p for p in persons if p["minor"]]
    adults = [p for p in persons if not p["minor"]]
    rng.shuffle(minors)
    rng.shuffle(adults)
    in_ads = min(len(persons), round(k * IN_ADS_SHARE))
    chosen = (minors + adults)[:in_ads]
    start = min(
        (datetime.fromisoformat(p["first_posted"].replace("Z", "+00:00")).date() for p in persons),
        default=date(2024, 1, 1),
    )
    rows, truths = [], []
    for i, person in enumerate(chosen):
        row, truth = _poster_of(person, f"M{i + 1:05d}", out, rng)
        rows.append(row)
        truths.append(truth)
    for i in range(len(chosen), k):
        row, truth = _nobody(f"M{i + 1:05d}", rng, start)
        rows.append(row)
        truths.append(truth)
    order = list(range(len(rows)))
    rng.shuffle(order)
    with (out / "posters.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADERS)
        writer.writeheader()
        writer.writerows(rows[i] for i in order)
    with (out / "posters_truth.jsonl").open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(truths[i], ensure_ascii=False) + "\n" for i in order)
    return PosterSummary(
        posters=len(rows),
        in_ads=len(chosen),
        minors=sum(1 for t in truths if t["minor"]),
        photos=sum(1 for r in rows if r["photos"]),
    )
