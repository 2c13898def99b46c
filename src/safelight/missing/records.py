"""Missing-person posters: the record, its Arrow schema and the CSV/JSON reader.

CSV headers (documented in issue #5; case-insensitive, unknown columns kept in ``extra``):
``case_id, name, aliases, sex, dob, age_at_missing, date_missing, missing_city,
missing_state, height, weight, hair, eyes, race, marks, photos, foster_care, agency``.

- ``aliases`` and ``photos`` are ``;``-separated in CSV (lists or ``;``-strings in JSON);
  photo paths are relative to the folder of the file that names them (absolute paths and
  URLs are kept as written).
- ``height``: cm (a bare number), ``1.64 m``, ``5'4``, ``5 ft 4 in``, ``64 in``.
  ``weight``: ``120 lb``, ``55 kg``; a bare number is pounds. See ``units.py``.
- ``dob``, ``date_missing``: ISO, US ``03/13/2014``, ``March 13, 2014``.
- ``foster_care``: yes/no/true/false/1/0, empty for unknown.

A row becomes a ``Reject`` (``safelight.records.Reject``: file, line, field, reason) when
``case_id``, ``name`` or ``date_missing`` is missing, a date is unreadable, the date of birth
is after the disappearance, the age contradicts the date of birth, a height or weight is
impossible, ``sex`` or ``missing_state`` is unknown, or ``foster_care`` is not yes/no.
Rejects never echo personal fields in their ``reason``; ``raw`` holds the row for the
analyst's rejects file only.

Files: ``.csv`` (header line 1; ``Reject.line`` is the line where the row starts), ``.json``
(an array of objects, or one object per line) and ``.jsonl``/``.ndjson``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import us

from safelight.ingest.textio import open_text
from safelight.missing.descriptors import vocabulary
from safelight.missing.units import parse_bool, parse_date, parse_height, parse_weight
from safelight.records import Reject

__all__ = [
    "COLUMNS",
    "MISSING_SCHEMA",
    "MissingPerson",
    "is_local_photo",
    "iter_missing",
    "person_from_dict",
]

COLUMNS: tuple[str, ...] = (
    "case_id", "name", "aliases", "sex", "dob", "age_at_missing", "date_missing",
    "missing_city", "missing_state", "height", "weight", "hair", "eyes", "race", "marks",
    "photos", "foster_care", "agency",
)  # fmt: skip

MISSING_SCHEMA = pa.schema(
    [
        ("case_id", pa.string()),
        ("name", pa.string()),
        ("aliases", pa.list_(pa.string())),
        ("sex", pa.string()),  # "F", "M", "X" or null
        ("dob", pa.date32()),
        ("age_at_missing", pa.int16()),
        ("date_missing", pa.date32()),
        ("missing_city", pa.string()),
        ("missing_state", pa.string()),  # two-letter code
        ("height_cm", pa.float32()),
        ("weight_lb", pa.float32()),
        ("hair", pa.string()),  # descriptors.yaml hair key, else the text as written
        ("eyes", pa.string()),
        ("race", pa.string()),
        ("marks", pa.string()),
        ("photos", pa.list_(pa.string())),
        ("foster_care", pa.bool_()),
        ("agency", pa.string()),
        ("extra", pa.string()),  # JSON object of columns Safelight does not model
        ("origin", pa.string()),  # "file:line"
    ]
)

_SEX = {
    "f": "F",
    "female": "F",
    "girl": "F",
    "woman": "F",
    "m": "M",
    "male": "M",
    "boy": "M",
    "man": "M",
    "x": "X",
    "nonbinary": "X",
    "non-binary": "X",
    "other": "X",
}
_ALIASES = {
    "id": "case_id",
    "case": "case_id",
    "case_number": "case_id",
    "full_name": "name",
    "alias": "aliases",
    "gender": "sex",
    "date_of_birth": "dob",
    "birth_date": "dob",
    "age": "age_at_missing",
    "missing_since": "date_missing",
    "city": "missing_city",
    "state": "missing_state",
    "hair_color": "hair",
    "eye_color": "eyes",
    "photo": "photos",
    "images": "photos",
    "foster": "foster_care",
    "child_welfare": "foster_care",
    "contact": "agency",
    "agency_contact": "agency",
}


@dataclass(frozen=True, slots=True)
class MissingPerson:
    case_id: str
    name: str
    date_missing: date
    aliases: tuple[str, ...] = ()
    sex: str | None = None
    dob: date | None = None
    age_at_missing: int | None = None
    missing_city: str | None = None
    missing_state: str | None = None
    height_cm: float | None = None
    weight_lb: float | None = None
    hair: str | None = None
    eyes: str | None = None
    race: str | None = None
    marks: str | None = None
    photos: tuple[str, ...] = ()
    foster_care: bool | None = None
    agency: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    origin: str = ""

    @property
    def known_age_at_missing(self) -> int | None:
        """Age on the day of disappearance: from the date of birth when known."""
        if self.dob is not None:
            return _years_between(self.dob, self.date_missing)
        return self.age_at_missing

    def to_row(self) -> dict[str, Any]:
        row = {
            name: getattr(self, name)
            for name in MISSING_SCHEMA.names
            if name not in ("aliases", "photos", "extra")
        }
        row["aliases"] = list(self.aliases)
        row["photos"] = list(self.photos)
        row["extra"] = (
            json.dumps(self.extra, ensure_ascii=False, default=str) if self.extra else None
        )
        return {name: row[name] for name in MISSING_SCHEMA.names}


def _years_between(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


class _Invalid(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def _key(name: str) -> str:
    key = "_".join(str(name).strip().lower().replace("-", " ").split())
    return _ALIASES.get(key, key)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _split(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else str(value).split(";")
    return [t for t in (_text(i) for i in items) if t]


def _parse(column: str, func: Any, value: Any) -> Any:
    if _text(value) is None:
        return None
    try:
        return func(value)
    except ValueError as exc:
        raise _Invalid(column, str(exc)) from None


def _state(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    found = us.states.lookup(text)
    if found is None:
        raise _Invalid("missing_state", "unknown US state")
    return str(found.abbr)


def _colour(value: Any, table: Mapping[str, str]) -> str | None:
    text = _text(value)
    if text is None:
        return None
    key = " ".join(text.lower().replace("-", " ").split())
    return table.get(key, key)


def _age(value: Any) -> int | None:
    if _text(value) is None:
        return None
    try:
        age = int(float(str(value).strip()))
    except ValueError:
        raise _Invalid("age_at_missing", "not a whole number of years") from None
    if not 0 <= age <= 110:
        raise _Invalid("age_at_missing", "impossible age (outside 0-110)")
    return age


def is_local_photo(ref: str) -> bool:
    """A file on this machine (not a URL or inline data): only those are read."""
    return "://" not in ref and not ref.startswith("data:")


def _photo(ref: str, base: Path | None) -> str:
    if not is_local_photo(ref) or base is None or Path(ref).is_absolute():
        return ref
    return str((base / ref).resolve())


def person_from_dict(
    record: Mapping[str, Any], *, base_dir: Path | None = None, origin: str = ""
) -> MissingPerson:
    """One poster from a mapping of (documented or aliased) column names; ``ValueError`` with
    ``.args == (column, reason)`` when it is invalid."""
    try:
        return _build(record, base_dir, origin)
    except _Invalid as exc:
        raise ValueError(exc.column, exc.reason) from None


def _build(record: Mapping[str, Any], base: Path | None, origin: str) -> MissingPerson:
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for name, value in record.items():
        key = _key(name)
        (values if key in COLUMNS else extra)[key if key in COLUMNS else str(name)] = value
    for required in ("case_id", "name", "date_missing"):
        if _text(values.get(required)) is None:
            raise _Invalid(required, "required value missing")
    date_missing = _parse("date_missing", parse_date, values["date_missing"])
    dob = _parse("dob", parse_date, values.get("dob"))
    age = _age(values.get("age_at_missing"))
    if dob is not None:
        if dob > date_missing:
            raise _Invalid("dob", "date of birth after the date missing")
        if age is not None and abs(_years_between(dob, date_missing) - age) > 1:
            raise _Invalid("age_at_missing", "contradicts the date of birth")
    if date_missing > date.today():
        raise _Invalid("date_missing", "date in the future")
    sex_text = _text(values.get("sex"))
    sex = _SEX.get(sex_text.lower()) if sex_text else None
    if sex_text and sex is None:
        raise _Invalid("sex", "unknown value (use F, M or X)")
    vocab = vocabulary()
    return MissingPerson(
        case_id=str(_text(values["case_id"])),
        name=str(_text(values["name"])),
        date_missing=date_missing,
        aliases=tuple(_split(values.get("aliases"))),
        sex=sex,
        dob=dob,
        age_at_missing=age,
        missing_city=_text(values.get("missing_city")),
        missing_state=_state(values.get("missing_state")),
        height_cm=_parse("height", parse_height, values.get("height")),
        weight_lb=_parse("weight", parse_weight, values.get("weight")),
        hair=_colour(values.get("hair"), vocab.hair),
        eyes=_colour(values.get("eyes"), vocab.eyes),
        race=_text(values.get("race")),
        marks=_text(values.get("marks")),
        photos=tuple(_photo(p, base) for p in _split(values.get("photos"))),
        foster_care=_parse("foster_care", parse_bool, values.get("foster_care")),
        agency=_text(values.get("agency")),
        extra=extra,
        origin=origin,
    )


def iter_missing(paths: Iterable[Path | str]) -> Iterator[MissingPerson | Reject]:
    """Posters and rejects from CSV/JSON/JSONL files and folders (recursively, sorted)."""
    for path in _files(Path(p) for p in paths):
        suffix = path.suffix.lower()
        if suffix == ".csv":
            yield from _read_csv(path)
        elif suffix in (".json", ".jsonl", ".ndjson"):
            yield from _read_json(path)
        else:
            yield Reject(str(path), None, "unsupported file type (use .csv, .json or .jsonl)")


def _files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in (".csv", ".json", ".jsonl", ".ndjson")
            )
        else:
            yield path


def _one(
    record: Mapping[str, Any], path: Path, line: int | None, raw: str
) -> MissingPerson | Reject:
    try:
        return _build(record, path.parent, f"{path}:{line}")
    except _Invalid as exc:
        return Reject(str(path), line, exc.reason, exc.column, raw)


def _read_csv(path: Path) -> Iterator[MissingPerson | Reject]:
    if not path.is_file():
        yield Reject(str(path), None, "file not found")
        return
    with open_text(path) as stream:
        reader = csv.reader(stream)
        header = next(reader, None)
        if not header or "case_id" not in {_key(h) for h in header}:
            yield Reject(
                str(path), None, "no header row naming case_id", None, ",".join(header or [])
            )
            return
        line = reader.line_num + 1
        for row in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            raw = ",".join(row)
            if len(row) > len(header):
                yield Reject(str(path), start, "more cells than the header has columns", None, raw)
                continue
            yield _one(dict(zip(header, row, strict=False)), path, start, raw)


def _read_json(path: Path) -> Iterator[MissingPerson | Reject]:
    if not path.is_file():
        yield Reject(str(path), None, "file not found")
        return
    with open_text(path) as stream:
        text = stream.read()
    if path.suffix.lower() == ".json" and text.lstrip().startswith("["):
        try:
            items: Sequence[Any] = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Reject(str(path), exc.lineno, "invalid JSON")
            return
        for number, item in enumerate(items, start=1):
            yield _json_item(item, path, number, json.dumps(item, ensure_ascii=False))
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            yield Reject(str(path), number, "invalid JSON", None, line)
            continue
        yield _json_item(item, path, number, line)


def _json_item(item: Any, path: Path, number: int, raw: str) -> MissingPerson | Reject:
    if not isinstance(item, dict):
        return Reject(str(path), number, "not a JSON object", None, raw)
    return _one(item, path, number, raw)
