from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import safelight.ingest
from safelight.errors import StrictRejectError
from safelight.pipeline import (
    analyze,
    default_rejects_path,
    ingest_paths,
    input_files,
    run_extract,
)
from safelight.store import Store

GOOD = 48  # distinct ads in the sample file


def write_sample(path: Path) -> Path:
    """48 distinct ads, one repeat of ad 3, a line without a body and a line that is not JSON
    (file lines 11 and 31)."""
    lines = []
    for i in range(GOOD):
        lines.append(
            json.dumps(
                {
                    "source": "classifieds",
                    "post_id": f"p{i}",
                    "title": f"New in town {i}",
                    "body": f"sweet and discreet, call 903 312 {1000 + i}",
                    "posted_at": "2024-05-01T12:00:00+00:00",
                    "location": "Tyler, TX",
                }
            )
        )
    lines.insert(10, json.dumps({"source": "classifieds", "post_id": "x1", "title": "no body"}))
    lines.insert(30, "{not json")
    lines.append(lines[3 if lines[3].startswith('{"source') else 4])  # repeat of an ad
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return write_sample(tmp_path / "ads.jsonl")


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "cases.duckdb") as s:
        yield s


def rejects_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_ingest_twice_adds_nothing_the_second_time(store, sample, tmp_path):
    rejects = tmp_path / "rejects.jsonl"
    first = ingest_paths(store, [sample], rejects_path=rejects, batch_size=7)
    assert (first.read, first.stored, first.duplicates, first.rejected) == (51, 48, 1, 2)
    assert first.files == 1 and first.skipped_files == 0
    assert store.ad_count() == GOOD

    again = ingest_paths(store, [sample], rejects_path=rejects, batch_size=7)
    assert (again.stored, again.duplicates, again.rejected) == (0, 49, 0)
    assert again.skipped_files == 1
    assert store.ad_count() == GOOD
    assert len(rejects_of(rejects)) == 2  # not written twice


def test_the_same_ads_in_another_file_are_duplicates(store, sample, tmp_path):
    ingest_paths(store, [sample], rejects_path=tmp_path / "r.jsonl")
    copy = shutil.copy(sample, tmp_path / "copy.jsonl")
    summary = ingest_paths(store, [Path(copy)], rejects_path=tmp_path / "r.jsonl")
    assert (summary.read, summary.stored, summary.duplicates, summary.rejected) == (51, 0, 49, 2)
    assert store.ad_count() == GOOD


def test_interrupted_ingest_resumes_without_duplicates(store, sample, tmp_path, monkeypatch):
    real = safelight.ingest.iter_file
    starts: list[int] = []

    def crashing(path, start_record=0, **kw):
        starts.append(start_record)
        for n, item in enumerate(real(path, start_record=start_record, **kw)):
            if n == 23 and len(starts) == 1:  # the first run dies mid-file
                raise RuntimeError("power cut")
            yield item

    rejects = tmp_path / "rejects.jsonl"
    monkeypatch.setattr(safelight.ingest, "iter_file", crashing)
    with pytest.raises(RuntimeError, match="power cut"):
        ingest_paths(store, [sample], rejects_path=rejects, batch_size=10)
    # Records 0-20 hold 10 + 10 ads (one reject among them): two committed batches.
    assert store.ad_count() == 20
    progress = store.file_progress(safelight.ingest.file_fingerprint(sample))
    assert progress is not None and progress.records_done == 21 and not progress.finished

    monkeypatch.setattr(safelight.ingest, "iter_file", crashing)
    resumed = ingest_paths(store, [sample], rejects_path=rejects, batch_size=10)
    assert starts == [0, 21]  # picked up at the first uncommitted record
    assert resumed.resumed_files == 1 and resumed.read == 51 - 21
    assert store.ad_count() == GOOD
    ids = store.query("SELECT count(DISTINCT ad_id) AS n, count(*) AS total FROM ads").to_pylist()
    assert ids == [{"n": GOOD, "total": GOOD}]
    assert [r["line"] for r in rejects_of(rejects)] == [11, 31]  # each reject exactly once
    assert store.file_progress(safelight.ingest.file_fingerprint(sample)).finished


def test_rejects_file_says_where_and_why(store, sample, tmp_path):
    long_line = json.dumps({"source": "s", "title": "x" * 5000})
    other = tmp_path / "more.jsonl"
    other.write_text(long_line + "\n", encoding="utf-8")
    rejects = tmp_path / "out" / "rejects.jsonl"
    ingest_paths(store, [sample, other], rejects_path=rejects)
    rows = rejects_of(rejects)
    assert [(Path(r["file"]).name, r["line"]) for r in rows] == [
        ("ads.jsonl", 11),
        ("ads.jsonl", 31),
        ("more.jsonl", 1),
    ]
    assert all(set(r) == {"file", "line", "field", "reason", "raw"} for r in rows)
    assert rows[0]["field"] == "body" and rows[0]["reason"]
    assert len(rows[2]["raw"]) == 2000  # truncated
    # Appended, never overwritten.
    ingest_paths(store, [Path(shutil.copy(other, tmp_path / "more2.jsonl"))], rejects_path=rejects)
    assert len(rejects_of(rejects)) == 4


def test_strict_stops_at_the_first_reject(store, sample, tmp_path):
    rejects = tmp_path / "rejects.jsonl"
    with pytest.raises(StrictRejectError, match=r"ads\.jsonl:11"):
        ingest_paths(store, [sample], rejects_path=rejects, strict=True, batch_size=4)
    assert store.ad_count() == 10  # the ads before it are kept
    assert [r["line"] for r in rejects_of(rejects)] == [11]
    with pytest.raises(StrictRejectError, match=r"ads\.jsonl:11"):
        ingest_paths(store, [sample], rejects_path=rejects, strict=True)
    assert store.ad_count() == 10


def test_folders_are_walked_without_the_answer_key(tmp_path):
    data = tmp_path / "corpus"
    (data / "pages").mkdir(parents=True)
    for name in (
        "ads.jsonl",
        "truth.jsonl",
        "persons.jsonl",
        "networks.jsonl",
        "pages/a.html",
        "notes.txt",
        ".hidden.jsonl",
    ):
        (data / name).write_text("{}\n")
    files, ignored = input_files([data, data / "truth.jsonl"])
    assert [p.relative_to(data).as_posix() for p in files] == [
        "ads.jsonl",
        "pages/a.html",
        "truth.jsonl",  # named on its own: read
    ]
    assert [p.name for p in ignored] == ["notes.txt"]


def test_default_rejects_path_sits_next_to_the_db():
    assert default_rejects_path(Path("x/cases.duckdb")) == Path("x/cases.rejects.jsonl")


def extraction_rows(store: Store) -> list[tuple]:
    rows = store.query(
        'SELECT ad_id, field, value, start, "end" FROM extractions ORDER BY ALL'
    ).to_pylist()
    return [tuple(r.values()) for r in rows]


def test_extract_is_incremental_and_all_replaces(store, sample, tmp_path, monkeypatch):
    ingest_paths(store, [sample], rejects_path=tmp_path / "r.jsonl")
    first = run_extract(store, batch_size=10)
    assert first.ads == GOOD and first.extractions > 0
    rows = extraction_rows(store)
    phones = store.query("SELECT count(DISTINCT value) AS n FROM extractions WHERE field='phone'")
    assert phones["n"][0].as_py() == GOOD

    assert run_extract(store).ads == 0  # nothing new
    redo = run_extract(store, all=True)
    assert redo.ads == GOOD
    assert extraction_rows(store) == rows  # replaced, not doubled

    # New extractor code: every ad is extracted again by the next plain run.
    monkeypatch.setattr("safelight.pipeline.record_stages.extractor_version", lambda: "changed")
    assert run_extract(store).ads == GOOD
    assert extraction_rows(store) == rows


def test_extract_in_worker_processes_gives_the_same_rows(tmp_path, sample):
    results = []
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.duckdb") as store:
            ingest_paths(store, [sample], rejects_path=tmp_path / "r.jsonl")
            summary = run_extract(store, workers=workers, batch_size=7)
            assert summary.ads == GOOD
            results.append(extraction_rows(store))
    assert results[0] == results[1]


def test_extract_reports_progress(store, sample, tmp_path):
    ingest_paths(store, [sample], rejects_path=tmp_path / "r.jsonl")
    calls: list[tuple] = []
    run_extract(store, batch_size=20, progress=lambda *a: calls.append(a))
    assert calls == [
        ("extract", 0, GOOD),
        ("extract", 20, GOOD),
        ("extract", 40, GOOD),
        ("extract", GOOD, GOOD),
    ]


def test_analyze_runs_every_stage(sample, tmp_path):
    db = tmp_path / "cases.duckdb"
    result = analyze([sample], db, tmp_path / "out")
    assert result.report == tmp_path / "out" / "report.html" and result.report.exists()
    assert result.ingest.stored == GOOD and result.ingest.rejected == 2
    assert result.extract.ads == GOOD
    assert result.stats["ads"] == GOOD and result.stats["distinct_phones"] == GOOD
    assert result.top_places[0] == ("Tyler, TX", GOOD)
    assert default_rejects_path(db).exists()
    again = analyze([sample], db, tmp_path / "out")
    assert again.ingest.stored == 0 and again.extract.ads == 0


def test_ingest_reports_progress(store, sample, tmp_path):
    calls: list[tuple] = []
    ingest_paths(
        store,
        [sample],
        rejects_path=tmp_path / "r.jsonl",
        batch_size=20,
        progress=lambda *a: calls.append(a),
    )
    assert calls[-1] == ("ingest", 51, None)
    assert [c[1] for c in calls] == sorted(c[1] for c in calls)  # only moves forward


def test_interrupted_extract_finishes_on_the_next_run(store, sample, tmp_path, monkeypatch):
    import safelight.pipeline.record_stages as pipeline

    ingest_paths(store, [sample], rejects_path=tmp_path / "r.jsonl")
    real, calls = pipeline._extract, []

    def dies_on_the_third_batch(batch):
        calls.append(batch.num_rows)
        if len(calls) == 3:
            raise RuntimeError("killed")
        return real(batch)

    monkeypatch.setattr(pipeline, "_extract", dies_on_the_third_batch)
    with pytest.raises(RuntimeError, match="killed"):
        run_extract(store, batch_size=10)
    assert store.stats()["extracted_ads"] == 20  # two whole batches, nothing half-done
    monkeypatch.setattr(pipeline, "_extract", real)
    assert run_extract(store, batch_size=10).ads == GOOD - 20
    with Store(tmp_path / "clean.duckdb") as clean:
        ingest_paths(clean, [sample], rejects_path=tmp_path / "r2.jsonl")
        run_extract(clean)
        assert extraction_rows(store) == extraction_rows(clean)
