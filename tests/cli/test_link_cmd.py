"""``safelight link | network | export networks | export network | search --network``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from tests.link_fixtures import BASE, add
from typer.testing import CliRunner

from safelight.cli import app
from safelight.store import Store

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        add(store, BASE)
    return path


def _network_id(db: Path) -> str:
    with Store(db) as store:
        (net,) = set(store.network_assignment().values())
    return net


def test_link_then_network_profile(db: Path) -> None:
    done = runner.invoke(app, ["link", "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert "1 networks" in done.output
    again = runner.invoke(app, ["link", "--db", str(db)])
    assert again.exit_code == 0 and "up to date" in again.output
    net = _network_id(db)
    shown = runner.invoke(app, ["network", net, "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    for expected in ("+19035550100", "Mia", "Kandi", "movement timeline", "Tyler, TX"):
        assert expected in shown.output
    as_json = runner.invoke(app, ["network", net, "--db", str(db), "--json"])
    profile = json.loads(as_json.output)
    assert profile["n_ads"] == 3
    assert [s["place"] for s in profile["timeline"]] == ["Dallas, TX", "Tyler, TX", "Waco, TX"]
    assert "image" in profile["links"] and "phone" in profile["links"]


def test_unknown_network_and_missing_db_exit_2(db: Path, tmp_path: Path) -> None:
    runner.invoke(app, ["link", "--db", str(db)])
    assert runner.invoke(app, ["network", "N99999999", "--db", str(db)]).exit_code == 2
    assert runner.invoke(app, ["link", "--db", str(tmp_path / "none.duckdb")]).exit_code == 2


def test_export_networks_lists_every_ad(db: Path, tmp_path: Path) -> None:
    runner.invoke(app, ["link", "--db", str(db)])
    out = tmp_path / "nets.csv"
    done = runner.invoke(app, ["export", "networks", "--out", str(out), "--db", str(db)])
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["ad_id", "source", "post_id", "network_id"]
    assert sorted(r["post_id"] for r in rows) == sorted(s[0] for s in BASE)
    by_post = {r["post_id"]: r["network_id"] for r in rows}
    assert by_post["a0"] == by_post["a1"] == by_post["a2"] == _network_id(db)
    assert by_post["b0"].startswith("S") and by_post["b0"] != by_post["b1"]


def test_export_network_case_file_and_search(db: Path, tmp_path: Path) -> None:
    runner.invoke(app, ["link", "--db", str(db)])
    net = _network_id(db)
    case = tmp_path / "case"
    done = runner.invoke(app, ["export", "network", net, "--out", str(case), "--db", str(db)])
    assert done.exit_code == 0, done.output
    profile = json.loads((case / f"{net}.json").read_text(encoding="utf-8"))
    assert profile["network_id"] == net and len(profile["edges"]) >= 2
    assert "<svg" in (case / f"{net}.html").read_text(encoding="utf-8")
    found = runner.invoke(app, ["search", "--network", net, "--db", str(db), "--json"])
    assert found.exit_code == 0, found.output
    rows = json.loads(found.output)
    assert sorted(r["post_id"] for r in rows) == ["a0", "a1", "a2"]
    assert {r["network"] for r in rows} == {net}
    bad = runner.invoke(app, ["export", "network", "N42", "--out", str(case), "--db", str(db)])
    assert bad.exit_code == 2
