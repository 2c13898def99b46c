"""The inline SVG charts: valid, scaled, escaped, highlighted."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from safelight.report import charts


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def test_nice_ticks_cover_the_maximum_with_round_steps() -> None:
    assert charts.nice_ticks(0) == [0, 1]
    assert charts.nice_ticks(7) == [0, 2, 4, 6, 8]
    ticks = charts.nice_ticks(1234)
    assert ticks[0] == 0 and ticks[-1] >= 1234 and len(ticks) <= 7
    assert all(b - a == ticks[1] for a, b in zip(ticks, ticks[1:], strict=False))


def test_fill_days_adds_zero_days() -> None:
    filled = charts.fill_days([("2024-03-01", 2), ("2024-03-04", 1)])
    assert filled == [
        (date(2024, 3, 1), 2),
        (date(2024, 3, 2), 0),
        (date(2024, 3, 3), 0),
        (date(2024, 3, 4), 1),
    ]


def test_time_series_draws_one_bar_per_day_for_short_ranges() -> None:
    svg = parse(charts.time_series([("2024-03-01", 4), ("2024-03-03", 1)]))
    bars = svg.findall("rect")
    assert len(bars) == 3
    assert [b.find("title").text for b in bars] == [
        "2024-03-01: 4 ads",
        "2024-03-02: 0 ads",
        "2024-03-03: 1 ads",
    ]
    assert svg.get("role") == "img"


def test_time_series_draws_a_line_for_long_ranges() -> None:
    points = [
        (date(2023, 1, 1).fromordinal(date(2023, 1, 1).toordinal() + i).isoformat(), i % 9)
        for i in range(400)
    ]
    svg = parse(charts.time_series(points))
    assert svg.find("polyline") is not None
    labels = [t.text for t in svg.findall("text") if t.text and t.text.startswith("202")]
    assert labels[0] == "2023-01-01" and labels[-1] == points[-1][0]
    assert 3 <= len(labels) <= 8


def test_time_series_without_dates_says_so() -> None:
    assert "No ad has a posting date" in charts.time_series([])


def test_hbar_chart_escapes_labels() -> None:
    svg = charts.hbar_chart(["<b>Tyler</b> & co", "Dallas, TX"], [5, 2], title="t")
    root = parse(svg)
    assert "<b>" not in svg
    assert root.findall("rect")[0].find("title").text == "<b>Tyler</b> & co: 5 ads"


def test_histogram_highlights_flagged_bars() -> None:
    svg = charts.histogram(
        ["16", "17", "18", "19"],
        [1, 2, 3, 4],
        highlight=[True, True, False, False],
        title="ages",
        highlight_note="under 18",
    )
    rects = [r for r in parse(svg).iter("rect") if r.find("title") is not None]
    assert [r.get("fill") for r in rects] == [
        "url(#hatch)",
        "url(#hatch)",
        charts.PALETTE["bar"],
        charts.PALETTE["bar"],
    ]
    assert "under 18" in svg


def test_hbar_chart_links_and_highlights_bars() -> None:
    svg = charts.hbar_chart(
        ["minor", 'x"><script>'],
        [2, 5],
        title="categories",
        highlight=[True, False],
        filters=["cat:minor", 'cat:x"><script>'],
        target="triage",
    )
    root = parse(svg)  # still well-formed with a hostile label
    links = [a for a in root.iter() if a.tag.endswith("a")]
    assert [a.get("data-ev-filter") for a in links] == ["cat:minor", 'cat:x"><script>']
    assert all(a.get("href") == "#triage" for a in links)
    fills = [r.get("fill") for r in root.iter() if r.tag.endswith("rect") and r.get("height")]
    assert fills[-2:] == ["url(#hatch)", charts.PALETTE["bar"]]
    assert "<script>" not in svg
