"""``safelight synth`` on the command line (mirrors src/safelight/cli/synth_cmd.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safelight.cli import app
from safelight.cli.synth_cmd import parse_noise

runner = CliRunner()


def test_synth_writes_the_corpus(tmp_path: Path) -> None:
    out = tmp_path / "c"
    args = ["synth", "--ads", "300", "--seed", "4", "--out", str(out), "--html-pages", "2"]
    result = runner.invoke(app, [*args, "--no-images", "--noise", "high", "--bad-records", "3"])
    assert result.exit_code == 0, result.output
    ads = (out / "ads.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(ads) == 300 and json.loads(ads[0])["source"]
    assert len((out / "truth.jsonl").read_text(encoding="utf-8").splitlines()) == 300
    assert len(list((out / "pages").glob("*.html"))) == 2
    assert (out / "bad.jsonl").exists() and not (out / "images").exists()


@pytest.mark.parametrize(
    "bad",
    [
        ["--ads", "0"],
        ["--ads", "ten"],
        ["--minor-rate", "1.5"],
        ["--noise", "loud"],
        ["--start", "yesterday"],
        ["--bogus-option"],
    ],
)
def test_bad_options_exit_2(tmp_path: Path, bad: list[str]) -> None:
    result = runner.invoke(app, ["synth", "--out", str(tmp_path / "o"), *bad])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_missing_out_is_a_usage_error() -> None:
    assert runner.invoke(app, ["synth", "--ads", "5"]).exit_code == 2


def test_noise_levels() -> None:
    assert parse_noise("low") < parse_noise("medium") < parse_noise("high")
    assert parse_noise("0.25") == 0.25
