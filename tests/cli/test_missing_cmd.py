"""`safelight missing ...` and `safelight analyze --missing` through the real entry point."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from safelight.synth import SynthOptions, generate
from safelight.synth.posters import write_posters


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli-missing") / "corpus"
    generate(SynthOptions(out=out, ads=300, seed=4, minor_rate=0.2, html_pages=0))
    write_posters(out, 8, seed=4)
    return out


def test_analyze_missing_then_every_missing_command(run, corpus: Path, tmp_path: Path) -> None:
    db, out = tmp_path / "c.duckdb", tmp_path / "out"
    code, stdout, err = run(
        "analyze", str(corpus), "--db", str(db), "--out", str(out),
        "--missing", str(corpus / "posters.csv"),
    )  # fmt: skip
    assert code == 0, err
    assert "missing persons: 8 posters stored" in stdout
    assert (
        "posters.csv" not in (tmp_path / "c.rejects.jsonl").read_text()
        if (tmp_path / "c.rejects.jsonl").exists()
        else True
    )  # the posters are not ingested as ads
    report = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="missing"' in report and len(list((out / "missing").glob("*.html"))) == 8

    code, stdout, _ = run("missing", "match", "--db", str(db))
    assert code == 0 and "(0 compared)" in stdout  # incremental: nothing new

    truth = [json.loads(x) for x in (corpus / "posters_truth.jsonl").read_text().splitlines()]
    case = next(t["case_id"] for t in truth if t["person_id"])
    code, stdout, _ = run("missing", "leads", case, "--db", str(db), "--json", "--limit", "3")
    assert code == 0
    leads = json.loads(stdout)
    assert 1 <= len(leads) <= 3 and leads[0]["rank"] == 1
    assert all(c["explanation"] for c in leads[0]["contributions"])
    code, stdout, _ = run("missing", "leads", case, "--db", str(db))
    assert code == 0 and "probability" in stdout

    csv_out = tmp_path / "leads.csv"
    code, _, _ = run("missing", "export-leads", "--out", str(csv_out), "--db", str(db))
    assert code == 0
    rows = list(csv.DictReader(csv_out.open(encoding="utf-8")))
    assert rows and {r["case_id"] for r in rows} <= {t["case_id"] for t in truth}

    ad = leads[0]["ad_id"]
    code, stdout, _ = run("missing", "confirm", case, ad, "--note", "same photo", "--db", str(db))
    assert code == 0 and "recorded: confirm" in stdout
    code, _, _ = run(
        "missing", "dismiss", case, ad, "--note", "no", "--reviewer", "ana", "--db", str(db)
    )
    assert code == 0
    code, stdout, _ = run("missing", "leads", case, "--db", str(db), "--json", "--limit", "1")
    assert json.loads(stdout)[0]["review"] == "dismiss"

    code, _, err = run("missing", "leads", "nope", "--db", str(db))
    assert code == 2 and err.startswith("error: no missing-person case")


def test_import_rejects_and_strict(run, tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    bad = tmp_path / "p.csv"
    bad.write_text(
        "case_id,name,date_missing\nC1,Ann Doe,2024-01-10\nC2,Bo Roe,not a date\n",
        encoding="utf-8",
    )
    code, stdout, _ = run("missing", "import", str(bad), "--db", str(db))
    assert code == 0 and "1 stored, 1 rejected" in stdout
    rejects = (tmp_path / "c.poster-rejects.jsonl").read_text().splitlines()
    assert json.loads(rejects[0])["field"] == "date_missing"
    code, _, err = run("missing", "import", str(bad), "--db", str(db), "--strict")
    assert code == 1 and "--strict" in err
    code, _, err = run("missing", "import", str(tmp_path / "none.csv"), "--db", str(db))
    assert code == 2
