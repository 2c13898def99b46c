"""The score stage end to end on a real store: incremental, rescored when extraction changes,
searchable by risk and minor flag."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safelight.indicators.stage import score_batch, scorer_version
from safelight.pipeline import ingest_paths, run_extract, run_score
from safelight.store import Store

ADS = [
    {"source": "s", "post_id": "minor", "body": "hi im new to this, young and fresh", "age": 16},
    {"source": "s", "post_id": "likely", "body": "yuung schoolgirl 19 call 903 312 1887"},
    {"source": "s", "post_id": "plain", "body": "Mature lady, 42, Dallas. 200/hr"},
    {"source": "s", "post_id": "control", "body": "my girls r ready, ask for Mia. no cops"},
]


@pytest.fixture
def store(tmp_path: Path):
    src = tmp_path / "ads.jsonl"
    src.write_text("\n".join(json.dumps(a) for a in ADS) + "\n", encoding="utf-8")
    with Store(tmp_path / "s.duckdb") as s:
        ingest_paths(s, [src], rejects_path=tmp_path / "rejects.jsonl")
        run_extract(s)
        yield s


def flags(store: Store) -> dict[str, tuple[float, str]]:
    rows = store.query(
        "SELECT a.post_id, r.score, r.minor FROM risk r JOIN ads a USING (ad_id)"
    ).to_pylist()
    return {r["post_id"]: (r["score"], r["minor"]) for r in rows}


def test_scores_flags_and_evidence_are_stored(store: Store) -> None:
    summary = run_score(store)
    assert summary.ads == 4 and summary.minors_stated == 1 and summary.minors_likely == 1
    got = flags(store)
    assert got["minor"][1] == "stated" and got["likely"][1] == "likely"
    assert got["plain"][1] == "none" and got["plain"][0] < got["control"][0]
    sums = store.query(
        "SELECT r.ad_id, r.score, round(sum(e.points), 1) AS total FROM risk r "
        "JOIN evidence e USING (ad_id) GROUP BY r.ad_id, r.score"
    ).to_pylist()
    assert all(abs(row["score"] - row["total"]) < 0.05 for row in sums)


def test_rerun_is_incremental_and_reextraction_rescores(store: Store) -> None:
    run_score(store)
    assert run_score(store).ads == 0
    run_extract(store, all=True)  # new extractions: the old scores are stale
    stale = store.query("SELECT (SELECT count(*) FROM risk) + (SELECT count(*) FROM evidence)")
    assert stale.column(0)[0].as_py() == 0
    assert run_score(store).ads == 4
    before = store.query("SELECT count(*) AS n FROM evidence").column("n")[0].as_py()
    assert run_score(store, all=True).ads == 4
    counts = store.query(
        "SELECT (SELECT count(*) FROM risk) AS risk, (SELECT count(*) FROM evidence) AS ev"
    ).to_pylist()[0]
    assert counts == {"risk": 4, "ev": before}  # replaced, not added


def test_search_by_risk_and_minor_flag(store: Store) -> None:
    run_score(store)
    minors = store.search(minor=True).to_pylist()
    assert [r["post_id"] for r in minors] == ["minor", "likely"]  # stated first
    scores = {k: v[0] for k, v in flags(store).items()}
    threshold = scores["control"]
    risky = store.search(min_risk=threshold).to_pylist()
    assert {r["post_id"] for r in risky} == {k for k, v in scores.items() if v >= threshold}
    assert "plain" not in {r["post_id"] for r in risky}
    assert [r["risk"] for r in risky] == sorted(
        (r["risk"] for r in risky), key=lambda x: -x
    ) or risky[0]["minor"] != "none"


def test_score_batch_is_pure_and_versioned() -> None:
    import pyarrow as pa

    ads = pa.table({"ad_id": ["a"], "title": [""], "body": ["no cops"], "stated_age": [None]})
    empty = pa.table(
        {k: pa.array([], pa.string()) for k in ("ad_id", "field", "value", "text", "detail")}
        | {"start": pa.array([], pa.int32()), "end": pa.array([], pa.int32())}
    )
    risk, evidence = score_batch(ads, empty)
    assert risk.to_pylist()[0]["score"] == sum(evidence.column("points").to_pylist()) > 0
    assert len(scorer_version()) == 16
