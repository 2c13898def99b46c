"""Reading posters from CSV and JSON, with rejects."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from safelight.missing.records import MISSING_SCHEMA, MissingPerson, iter_missing
from safelight.records import Reject

HEADER = (
    "case_id,name,aliases,sex,dob,age_at_missing,date_missing,missing_city,missing_state,"
    "height,weight,hair,eyes,race,marks,photos,foster_care,agency\n"
)
GOOD = (
    "NM-1,Ashley Marie Doe,Ash;Lexi Rae,female,2008-03-01,,2024-01-10,Tyler,Texas,5'4,"
    "115 lb,Blonde,blue,White,butterfly tattoo on left wrist,p/a.jpg;/abs/b.jpg,yes,"
    "Tyler PD 555-0100\n"
)


def _read(tmp_path: Path, text: str, name: str = "posters.csv") -> list[MissingPerson | Reject]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return list(iter_missing([path]))


def test_every_documented_header_is_parsed(tmp_path: Path) -> None:
    [person] = _read(tmp_path, HEADER + GOOD)
    assert isinstance(person, MissingPerson)
    assert person.case_id == "NM-1" and person.name == "Ashley Marie Doe"
    assert person.aliases == ("Ash", "Lexi Rae")
    assert person.sex == "F"
    assert person.dob == date(2008, 3, 1) and person.date_missing == date(2024, 1, 10)
    assert person.known_age_at_missing == 15
    assert (person.missing_city, person.missing_state) == ("Tyler", "TX")
    assert person.height_cm == 162.6 and person.weight_lb == 115.0
    assert (person.hair, person.eyes, person.race) == ("blonde", "blue", "White")
    assert person.marks == "butterfly tattoo on left wrist"
    assert person.photos == (str((tmp_path / "p" / "a.jpg").resolve()), "/abs/b.jpg")
    assert person.foster_care is True and person.agency == "Tyler PD 555-0100"
    assert person.origin == f"{tmp_path / 'posters.csv'}:2"


def test_rows_become_arrow(tmp_path: Path) -> None:
    [person] = _read(tmp_path, HEADER + GOOD)
    assert isinstance(person, MissingPerson)
    table = pa.Table.from_pylist([person.to_row()], schema=MISSING_SCHEMA)
    assert table.column("height_cm").to_pylist() == [pytest.approx(162.6)]
    assert table.column("aliases").to_pylist() == [["Ash", "Lexi Rae"]]


def test_age_at_missing_instead_of_dob_and_other_units(tmp_path: Path) -> None:
    row = "NM-2,Mia Lee,,F,,16,03/05/2023,,CA,164,55 kg,brunette,hazel,,,,no,\n"
    [person] = _read(tmp_path, HEADER + row)
    assert isinstance(person, MissingPerson)
    assert person.dob is None and person.age_at_missing == 16
    assert person.height_cm == 164.0 and person.weight_lb == 121.3
    assert person.hair == "brown" and person.missing_city is None
    assert person.foster_care is False


def _reject(tmp_path: Path, row: str) -> Reject:
    [item] = _read(tmp_path, HEADER + row)
    assert isinstance(item, Reject), item
    assert item.line == 2 and item.file.endswith("posters.csv")
    return item


def test_rejects_name_file_line_field_and_reason(tmp_path: Path) -> None:
    cases = {
        ",Ann Roe,,F,,15,2024-01-01,,,,,,,,,,,\n": ("case_id", "required value missing"),
        "X,Ann Roe,,F,,15,,,,,,,,,,,,\n": ("date_missing", "required value missing"),
        "X,Ann Roe,,F,,15,2024-13-45,,,,,,,,,,,\n": ("date_missing", "not a calendar date"),
        "X,Ann Roe,,F,2030-01-01,,2024-01-01,,,,,,,,,,,\n": ("dob", "after the date missing"),
        "X,Ann Roe,,F,2008-01-01,9,2024-06-01,,,,,,,,,,,\n": ("age_at_missing", "contradicts"),
        "X,Ann Roe,,F,,15,2024-01-01,,,9'9,,,,,,,,\n": ("height", "impossible height"),
        "X,Ann Roe,,F,,15,2024-01-01,,,,2000 lb,,,,,,,\n": ("weight", "impossible weight"),
        "X,Ann Roe,,Q,,15,2024-01-01,,,,,,,,,,,\n": ("sex", "unknown value"),
        "X,Ann Roe,,F,,15,2024-01-01,,Narnia,,,,,,,,,\n": ("missing_state", "unknown US state"),
        "X,Ann Roe,,F,,15,2024-01-01,,,,,,,,,,maybe,\n": ("foster_care", "yes/no"),
        "X,Ann Roe,,F,,200,2024-01-01,,,,,,,,,,,\n": ("age_at_missing", "impossible age"),
    }
    for row, (column, reason) in cases.items():
        reject = _reject(tmp_path, row)
        assert reject.field == column, row
        assert reason in reject.reason, row
        assert "Ann" not in reject.reason  # no personal data in reasons


def test_csv_without_case_id_header_is_refused_whole(tmp_path: Path) -> None:
    [reject] = _read(tmp_path, "who,when\nAnn,2024\n")
    assert isinstance(reject, Reject) and reject.line is None


def test_json_array_and_jsonl_with_lists(tmp_path: Path) -> None:
    record = {
        "case_id": "J1",
        "name": "Jessica Poe",
        "aliases": ["Jess", "Kandi"],
        "date_missing": "2023-05-01",
        "age_at_missing": 15,
        "photos": ["a.jpg"],
        "foster_care": True,
        "notes": "kept",
    }
    (tmp_path / "a.json").write_text(json.dumps([record, {"name": "no id"}]))
    (tmp_path / "b.jsonl").write_text(json.dumps(record) + "\n\n{broken\n")
    items = list(iter_missing([tmp_path]))
    people = [i for i in items if isinstance(i, MissingPerson)]
    rejects = [i for i in items if isinstance(i, Reject)]
    assert [p.aliases for p in people] == [("Jess", "Kandi")] * 2
    assert people[0].extra == {"notes": "kept"}
    assert people[0].photos == (str((tmp_path / "a.jpg").resolve()),)
    assert sorted((Path(r.file).name, r.line, r.field) for r in rejects) == [
        ("a.json", 2, "case_id"),
        ("b.jsonl", 3, None),
    ]


def test_multiline_csv_rows_report_their_first_line(tmp_path: Path) -> None:
    text = (
        HEADER
        + '"A1","Ann Roe",,F,,15,2024-01-01,,,,,,,,"scar\non chin",,,\n'
        + "A2,Bo Roe,,F,,15,bad,,,,,,,,,,,\n"
    )
    items = _read(tmp_path, text)
    assert isinstance(items[0], MissingPerson)
    assert isinstance(items[1], Reject) and items[1].line == 4
