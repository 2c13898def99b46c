"""Synthetic posters: documented headers, minors over-represented, people in no ad, truth."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from safelight.missing import iter_missing
from safelight.missing.records import MissingPerson
from safelight.synth import SynthOptions, generate
from safelight.synth.posters import HEADERS, write_posters


def test_posters_import_cleanly_with_truth(tmp_path: Path) -> None:
    out = tmp_path / "c"
    generate(SynthOptions(out=out, ads=400, seed=2, minor_rate=0.2, html_pages=0))
    summary = write_posters(out, 16, seed=2)
    rows = list(csv.DictReader((out / "posters.csv").open(encoding="utf-8")))
    assert tuple(rows[0]) == HEADERS and len(rows) == summary.posters == 16
    records = list(iter_missing([out / "posters.csv"]))
    assert all(isinstance(r, MissingPerson) for r in records)
    truth = [json.loads(x) for x in (out / "posters_truth.jsonl").read_text().splitlines()]
    assert [t["case_id"] for t in truth] == [r["case_id"] for r in rows]
    in_ads = [t for t in truth if t["person_id"]]
    assert 0 < len(in_ads) < len(truth)  # some posters are of people in no ad
    persons = [json.loads(x) for x in (out / "persons.jsonl").read_text().splitlines()]
    share = sum(p["minor"] for p in persons) / len(persons)
    assert sum(t["minor"] for t in in_ads) / len(in_ads) >= share  # minors over-represented
    assert all((out / r["photos"]).is_file() for r in rows if r["photos"])
    again = tmp_path / "again"
    generate(SynthOptions(out=again, ads=400, seed=2, minor_rate=0.2, html_pages=0))
    write_posters(again, 16, seed=2)
    assert (again / "posters.csv").read_bytes() == (out / "posters.csv").read_bytes()
