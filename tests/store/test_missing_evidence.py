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
