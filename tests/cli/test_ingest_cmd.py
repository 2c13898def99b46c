"""`safelight ingest | extract | stats | search | analyze` through the real entry point: exit
codes (0 ok, 1 failed work, 2 user mistake), one-line errors, printed counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

GOOD = 12


@pytest.fixture
def data(tmp_path: Path) -> Path:
    lines = [
        json.dumps(
            {
                "source": "classifieds",
                "post_id": f"p{i}",
                "title": f"Sweet {i}",
                "body": f"new in town, call 903-312-{1880 + i}",
                "posted_at": "2024-05-01T12:00:00+00:00",
                "location": "Tyler, TX",
            }
        )
        for i in range(GOOD)
    ]
    lines.insert(5, json.dumps({"source": "classifieds", "post_id": "nobody"}))
    path = tmp_path / "ads.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def error_line(err: str) -> str:
    """The one error message (the console may wrap it at the terminal width)."""
    assert err.count("error:") == 1 and "Traceback" not in err, err
    return " ".join(err.split())


def test_ingest_prints_counts_and_the_rejects_file(run, data, tmp_path):
    db = tmp_path / "cases.duckdb"
    code, out, _ = run("ingest", str(data), "--db", str(db))
    assert code == 0
    assert "ads stored" in out and f"{GOOD}" in out
    assert "1 rejected records written to" in out
    assert (tmp_path / "cases.rejects.jsonl").exists()
    code, out, _ = run("ingest", str(data), "--db", str(db))
    assert code == 0
    assert "already ingested" in out


def test_strict_ingest_with_a_reject_exits_1(run, data, tmp_path):
    rejects = tmp_path / "r.jsonl"
    code, _, err = run(
        "ingest",
        str(data),
        "--db",
        str(tmp_path / "s.duckdb"),
        "--strict",
        "--rejects",
        str(rejects),
    )
    assert code == 1
    assert "ads.jsonl:6" in error_line(err)
    assert len(rejects.read_text().splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("ingest", "missing.jsonl"),
        ("ingest", "{data}", "--timezone", "Mars/Olympus"),
        ("ingest", "{data}", "--profiles", "no-such-folder"),
        ("stats", "--db", "missing.duckdb"),
        ("search", "--db", "{db}"),
        ("search", "--db", "{db}", "--phone", "call me"),
        ("analyze", "missing-folder"),
    ],
)
def test_user_mistakes_exit_2_with_one_line(run, data, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "cases.duckdb"
    run("ingest", str(data), "--db", str(db))
    code, _, err = run(*(a.format(data=data, db=db) for a in args))
    assert code == 2
    assert error_line(err).startswith("error:")  # no progress bars when not a terminal


def test_bad_option_value_exits_2(run, tmp_path):
    code, _, _ = run("search", "--db", str(tmp_path / "x.duckdb"), "--limit", "zero")
    assert code == 2


def test_extract_stats_and_search(run, data, tmp_path):
    db = str(tmp_path / "cases.duckdb")
    run("ingest", str(data), "--db", db)
    code, out, _ = run("extract", "--db", db)
    assert code == 0 and f"extracted {GOOD} ads" in out
    code, out, _ = run("extract", "--db", db)
    assert code == 0 and "extracted 0 ads" in out

    code, out, _ = run("stats", "--db", db, "--json")
    assert code == 0
    stats = json.loads(out)
    assert stats["ads"] == GOOD and stats["ads_without_extraction"] == 0
    assert stats["distinct_phones"] == GOOD

    code, out, _ = run("search", "--db", db, "--phone", "(903) 312-1883", "--json")
    assert code == 0
    hits = json.loads(out)
    assert [h["post_id"] for h in hits] == ["p3"]
    assert hits[0]["matched"] == "phone +19033121883"

    code, out, _ = run("search", "--db", db, "--text", "SWEET 1")
    assert code == 0 and "3 ads" in out  # Sweet 1, Sweet 10, Sweet 11

    code, out, _ = run("stats", "--db", db)
    assert code == 0 and "classifieds" in out


def test_analyze_writes_the_report_and_summarises(run, data, tmp_path):
    out_dir = tmp_path / "out"
    code, out, _ = run(
        "analyze", str(data), "--db", str(tmp_path / "a.duckdb"), "--out", str(out_dir)
    )
    assert code == 0, out
    assert (out_dir / "report.html").exists()
    assert f"ads: {GOOD}" in out and "rejects: 1" in out
    assert f"distinct phones: {GOOD}" in out
    assert "report:" in out
