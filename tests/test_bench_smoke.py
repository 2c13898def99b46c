"""Every benchmark script still runs (at a smoke size: these are not timed tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.parametrize(
    ("script", "args"),
    [
        ("bench_synth.py", ["--sizes", "300"]),
        ("bench_ingest.py", ["--sizes", "400"]),
        ("bench_extract.py", ["--sizes", "400"]),
        ("bench_score.py", ["--sizes", "400"]),
        ("bench_link.py", ["--ads", "2000"]),
        ("bench_link_incremental.py", ["--ads", "2000", "--new", "200"]),
        ("bench_extract_fields.py", ["--ads", "100", "--repeat", "1"]),
        ("eval_linking.py", ["--ads", "600", "--noise", "medium"]),
        ("eval_risk_ranking.py", ["--ads", "1500"]),
        ("bench_missing.py", ["--ads", "300", "700", "--posters", "6", "--base-ads", "300"]),
    ],
)
def test_benchmark_runs(script: str, args: list[str], tmp_path: Path) -> None:
    workdir = (
        ["--workdir", str(tmp_path)]
        if script in {"bench_ingest.py", "bench_extract.py", "bench_score.py", "bench_missing.py"}
        else []
    )
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args, *workdir],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip(), "a benchmark prints its numbers"
