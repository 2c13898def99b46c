"""The per-ad match evidence table (migration 007): filled once per ad, again when the ad is
extracted again, and read back as the same evidence the Python comparison uses."""

from __future__ import annotations

import json
from pathlib import Path

from safelight.missing.adstore import ad_evidence, evidence_from_row, fill_evidence
from safelight.pipeline import ingest_paths, run_extract
from safelight.store import Store

BODIES = [
    "Ashlee 19yo blonde 5'4 120lbs blue eyes, butterfly tat on my left wrist, Dallas TX",
    "Mia here 23, red hair, 5ft 7, 150 lbs, green eyes, nose ring, call 214-555-0199",
    "new in town, no details",
]
LOCATIONS = {2: "Tyler TX"}  # the site's location field: the only place the third ad states


def _store(tmp_path: Path) -> Path:
    ads = tmp_path / "ads.jsonl"
    ads.write_text(
        "\n".join(
            json.dumps(
                {
                    "source": "t",
                    "post_id": str(i),
                    "body": body,
                    "posted_at": "2024-03-01T23:30:00Z",
                    "location": LOCATIONS.get(i),
                }
            )  # fmt: skip
            for i, body in enumerate(BODIES)
        )
        + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "ev.duckdb"
    with Store(db) as store:
        ingest_paths(store, [ads])
        run_extract(store)
    return db


def test_evidence_is_filled_once_and_again_after_a_new_extraction(tmp_path: Path) -> None:
    db = _store(tmp_path)
    with Store(db) as store:
        assert fill_evidence(store) == len(BODIES)
        assert store.missing.evidence.count() == len(BODIES)
        assert fill_evidence(store) == 0  # incremental: nothing new
    with Store(db) as store:
        run_extract(store, all=True)  # every ad extracted again: its evidence is redone
        assert fill_evidence(store) == len(BODIES)
        assert store.missing.evidence.count() == len(BODIES)  # replaced, never doubled


def test_stored_evidence_reads_back_as_the_comparison_sees_it(tmp_path: Path) -> None:
    db = _store(tmp_path)
    with Store(db) as store:
        fill_evidence(store)
        ids = [r["ad_id"] for r in store.query("SELECT ad_id FROM ads").to_pylist()]
        direct = {e.ad_id: e for e in ad_evidence(*store.missing.ad_inputs(ids))}
        stored = {
            r["ad_id"]: evidence_from_row(r) for r in store.missing.evidence.rows(ids).to_pylist()
        }
    assert set(stored) == set(direct)
    for ad_id, ad in direct.items():
        back = stored[ad_id]
        assert (back.posted, back.names, back.ages, back.places) == (
            ad.posted, ad.names, ad.ages, ad.places,
        )  # fmt: skip
        for field in ("height", "weight", "hair", "eyes", "mark"):
            assert back.values(field) == ad.values(field), field
    first = next(e for e in stored.values() if "Ashlee" in e.names)
    assert first.values("hair") == ["blonde"] and first.values("eyes") == ["blue"]
    assert str(first.posted) == "2024-03-01"  # the UTC day of posted_at
    assert first.places[0] == "Dallas, TX"
    quiet = next(e for e in stored.values() if not e.names and not e.ages)
    assert quiet.places == ("Tyler, TX",)  # from the location field


def _row(ad_id: str, **values: object) -> dict[str, object]:
    from safelight.missing.adstore import EVIDENCE_SCHEMA

    row: dict[str, object] = {name: [] for name in EVIDENCE_SCHEMA.names}
    row.update(ad_id=ad_id, version="v", posted=None)
    row.update(values)
    return row


def _pt(x: float, radius: float = 0.0) -> dict[str, float]:
    return {"x": x, "y": 0.5, "z": 0.25, "radius": radius}


def test_scalar_columns_are_derived_from_the_lists(tmp_path: Path) -> None:
    """The first pass's scalar path reads these columns: one value when a list has exactly
    one, counts, and ``multi`` for any ad that needs the list path."""
    import datetime as dt

    import pyarrow as pa

    from safelight.missing.adstore import EVIDENCE_SCHEMA

    mark = {"kind": "tattoo", "motif": "rose", "location": None, "side": None}
    rows = [
        _row(
            "one",
            posted=dt.date(2024, 3, 1),
            names=["Mia"],
            ages=[19],
            heights=[160.0],
            weights=[120.0],
            hair=["blonde"],
            hair_families=["blonde"],
            eyes=["blue"],
            points=[_pt(0.1, 30.0), _pt(0.2)],
            ppoints=[_pt(0.2)],
            photo_bits=[5],
        ),  # fmt: skip
        _row("none", posted=dt.date(2023, 12, 31)),
        _row("vague", ages=[22], points=[_pt(0.3, 40.0)], hair=["teal"]),
        _row("two_ages", ages=[19, 17]),
        _row("two_points", points=[_pt(0.1, 9.0), _pt(0.2, 9.0)]),
        _row("marked", marks=[mark]),
        _row("two_eyes", eyes=["blue", "green"], names=["Mia", "Kat"]),
    ]
    db = tmp_path / "scalars.duckdb"
    with Store(db) as store:
        store.missing.evidence.write(pa.Table.from_pylist(rows, schema=EVIDENCE_SCHEMA))
        got = {r["ad_id"]: r for r in store.query(
            "SELECT * FROM missing_ad_evidence ORDER BY ad_id").to_pylist()}  # fmt: skip
    one = got["one"]
    assert (one["posted_key"], one["n_names"], one["n_ages"], one["age_min"], one["age_max"]) == (
        20240301, 1, 1, 19, 19,
    )  # fmt: skip
    assert (one["height1"], one["weight1"], one["hair1"], one["hair_family1"], one["eyes1"]) == (
        160.0, 120.0, "blonde", "blonde", "blue",
    )  # fmt: skip
    assert (one["n_pts"], one["has_ppoint"], one["pt_x"], one["pt_r"]) == (1, True, 0.2, 0.0)
    assert (one["n_photos"], one["n_marks"], one["multi"]) == (1, 0, False)
    none = got["none"]
    assert none["posted_key"] == 20231231 and none["multi"] is False
    assert (none["n_ages"], none["age_min"], none["height1"], none["n_pts"], none["pt_x"]) == (
        0, None, None, 0, None,
    )  # fmt: skip
    vague = got["vague"]  # no city point: the located (vague) places are compared
    assert (vague["n_pts"], vague["has_ppoint"], vague["pt_x"], vague["pt_r"]) == (
        1, False, 0.3, 40.0,
    )  # fmt: skip
    assert vague["hair1"] == "teal" and vague["hair_family1"] is None and not vague["multi"]
    assert (got["two_ages"]["age_min"], got["two_ages"]["age_max"]) == (17, 19)
    assert got["two_points"]["pt_x"] is None
    for ad_id in ("two_ages", "two_points", "marked", "two_eyes"):
        assert got[ad_id]["multi"] is True, ad_id
    assert got["two_eyes"]["eyes1"] is None and got["marked"]["n_marks"] == 1
    assert (one["name1"], got["two_eyes"]["name1"], got["two_eyes"]["n_names"]) == ("Mia", None, 2)
