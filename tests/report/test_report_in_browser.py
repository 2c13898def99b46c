"""The report's own JavaScript, run by a real browser (Debian's Chromium, headless).

CI installs Chromium (`.ci/run`); on a machine without it this test is skipped, with the
reason shown, rather than failing on a missing browser.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from safelight.pipeline import analyze
from safelight.synth import SynthOptions, generate

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs it)")
def test_filter_in_the_page_shows_exactly_the_ads_of_a_phone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    generate(SynthOptions(out=data, ads=400, seed=3, images=False, html_pages=0, days=14))
    result = analyze([data / "ads.jsonl"], tmp_path / "s.duckdb", tmp_path / "out")
    from safelight.store import Store

    with Store(tmp_path / "s.duckdb") as store:
        top = store.query(
            "SELECT value, count(DISTINCT ad_id) AS n FROM extractions WHERE field = 'phone' "
            "GROUP BY value ORDER BY n DESC, value LIMIT 1"
        ).to_pylist()[0]
        shown_rows = store.query("SELECT count(*) AS n FROM ads").to_pylist()[0]["n"]
    url = f"{result.report.resolve().as_uri()}#filter={top['value']}"
    dom = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    counts = re.findall(r"showing ([\d,]+) of ([\d,]+) ads(?! in)", dom)
    assert counts, "the page's script ran and reported what the table shows"
    shown, total = (int(x.replace(",", "")) for x in counts[0])
    assert total == shown_rows  # a 400-ad store: every ad is in the table
    assert shown == top["n"] < total
