"""Networks in the report: a section in report.html, a page per network, escaped text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from tests.link_fixtures import BASE, add

from safelight.pipeline import run_link
from safelight.report import write_report
from safelight.report.network_charts import layout
from safelight.store import Store

XSS = "<script>alert(1)</script>"


def test_report_has_a_network_section_with_pictures_and_escaped_text(tmp_path: Path) -> None:
    specs = [*BASE[:2], ("a2", "+19035550122", BASE[2][2], XSS, 6, None), *BASE[3:]]
    with Store(tmp_path / "s.duckdb") as store:
        add(store, specs)
        run_link(store)
        (net,) = set(store.network_assignment().values())
        report = write_report(store, tmp_path / "out")
    html = report.read_text(encoding="utf-8")
    assert 'id="networks"' in html and f'href="networks/{net}.html"' in html
    section = html[html.index('id="networks"') : html.index('id="ads-section"')]
    assert section.count("<svg") == 2  # graph picture and movement timeline
    assert XSS not in html
    page = (tmp_path / "out" / "networks" / f"{net}.html").read_text(encoding="utf-8")
    assert "<svg" in page and "Movement timeline" in page
    assert XSS not in page and "&lt;script&gt;" in page


def test_layout_is_deterministic_and_inside_the_unit_square() -> None:
    edges = [(0, 1), (1, 2), (2, 0), (3, 4)]
    a, b = layout(5, edges), layout(5, edges)
    assert np.array_equal(a, b)
    assert a.min() >= 0 and a.max() <= 1
    # linked nodes end up closer than unlinked ones
    assert np.linalg.norm(a[0] - a[1]) < np.linalg.norm(a[0] - a[4])
