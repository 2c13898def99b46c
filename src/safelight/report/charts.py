"""Inline SVG charts drawn in Python: no JavaScript library, no network, printable.

Each function returns a ``markupsafe.Markup`` string holding one ``<svg>`` element that scales
to its container (``viewBox`` + ``width="100%"``), carries ``role="img"`` and a ``<title>`` for
screen readers, and escapes every label (labels can come from ad text).

- ``time_series(points)``: ads per day (bars for short ranges, an area line for long ones).
- ``hbar_chart(labels, values)``: ranked horizontal bars, e.g. ads per place or per indicator
  category (optionally highlighted and linked to the page's filters).
- ``histogram(labels, values, highlight)``: vertical bars, some highlighted (under-18 ages).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

from markupsafe import Markup, escape

__all__ = ["PALETTE", "fill_days", "hbar_chart", "histogram", "nice_ticks", "time_series"]

# Colours with at least 4.5:1 contrast on white; highlighted bars also get a hatch pattern
# so the distinction does not rest on colour alone.
PALETTE = {
    "bar": "#2f5d9e",
    "highlight": "#b3261e",
    "axis": "#555555",
    "grid": "#e3e3e3",
    "text": "#222222",
    "area": "#2f5d9e33",
}

_FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'


def nice_ticks(maximum: float, count: int = 5) -> list[int]:
    """Round tick values from 0 to at least ``maximum`` (integers, about ``count`` of them)."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step = max(1, int(math.ceil(step)))
    top = int(math.ceil(maximum / step)) * step
    return list(range(0, top + 1, step))


def fill_days(points: Sequence[tuple[str, int]]) -> list[tuple[date, int]]:
    """Daily counts with the missing days between the first and last filled with zero."""
    if not points:
        return []
    counts = {date.fromisoformat(day): n for day, n in points}
    first, last = min(counts), max(counts)
    return [
        (first + timedelta(days=i), counts.get(first + timedelta(days=i), 0))
        for i in range((last - first).days + 1)
    ]


def _open(width: int, height: int, title: str) -> list[str]:
    return [
        f'<svg viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" {_FONT} font-size="12">',
        f"<title>{escape(title)}</title>",
    ]


def _hatch() -> str:
    return (
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" '
        f'fill="{PALETTE["highlight"]}"/><line x1="0" y1="0" x2="0" y2="6" '
        'stroke="#ffffff" stroke-width="2" stroke-opacity="0.45"/></pattern></defs>'
    )


def _y_axis(
    parts: list[str], ticks: list[int], left: int, right: int, top: int, bottom: int
) -> None:
    span = ticks[-1] or 1
    for t in ticks:
        y = bottom - (bottom - top) * t / span
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{PALETTE["grid"]}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'fill="{PALETTE["axis"]}">{t:,}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{PALETTE["axis"]}"/>'
    )


def time_series(
    points: Sequence[tuple[str, int]],
    *,
    title: str = "Ads per day",
    width: int = 900,
    height: int = 260,
) -> Markup:
    """Ads per day from ``(YYYY-MM-DD, count)`` pairs; gaps are drawn as zero days."""
    days = fill_days(points)
    if not days:
        return Markup('<p class="empty">No ad has a posting date.</p>')
    left, right, top, bottom = 56, width - 16, 14, height - 34
    ticks = nice_ticks(max(n for _, n in days))
    span = ticks[-1] or 1
    parts = _open(width, height, title)
    _y_axis(parts, ticks, left, right, top, bottom)
    n = len(days)
    slot = (right - left) / n

    def y_of(value: int) -> float:
        return bottom - (bottom - top) * value / span

    if n <= 120:
        gap = min(2.0, slot * 0.2)
        for i, (day, count) in enumerate(days):
            x = left + i * slot + gap / 2
            y = y_of(count)
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(slot - gap, 0.5):.1f}" '
                f'height="{bottom - y:.1f}" fill="{PALETTE["bar"]}">'
                f"<title>{day.isoformat()}: {count:,} ads</title></rect>"
            )
    else:
        coords = [(left + (i + 0.5) * slot, y_of(c)) for i, (_, c) in enumerate(days)]
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        area = f"{coords[0][0]:.1f},{bottom} {line} {coords[-1][0]:.1f},{bottom}"
        parts.append(f'<polygon points="{area}" fill="{PALETTE["area"]}"/>')
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{PALETTE["bar"]}" stroke-width="1.5"/>'
        )
    for i in _date_label_positions(n, slot):
        x = left + (i + 0.5) * slot
        anchor = "middle"
        if x - left < 36:
            anchor = "start" if n > 1 else "middle"
        elif right - x < 36:
            anchor = "end"
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{bottom}" y2="{bottom + 4}" '
            f'stroke="{PALETTE["axis"]}"/>'
            f'<text x="{x:.1f}" y="{bottom + 18}" text-anchor="{anchor}" '
            f'fill="{PALETTE["axis"]}">{days[i][0].isoformat()}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _date_label_positions(n: int, slot: float, min_gap: float = 110.0) -> list[int]:
    """Indexes of the days to label: about seven, first and last included, never closer than
    ``min_gap`` pixels (a date label is about 70 px wide; the last one is right-aligned)."""
    step = max(1, math.ceil(n / 7), math.ceil(min_gap * 0.75 / slot))
    chosen = [i for i in range(0, n, step) if (n - 1 - i) * slot >= min_gap or i == 0]
    if n > 1 and (n - 1 - chosen[-1]) * slot >= min_gap * 0.75:
        chosen.append(n - 1)
    return chosen


def hbar_chart(
    labels: Sequence[str],
    values: Sequence[int],
    *,
    title: str,
    width: int = 900,
    bar_height: int = 20,
    highlight: Sequence[bool] | None = None,
    filters: Sequence[str] | None = None,
    target: str = "",
) -> Markup:
    """Horizontal bars, largest first as given, each labelled with its value.

    ``highlight`` draws some bars in the alert colour, hatched. ``filters`` makes each bar a
    link to ``#target`` carrying ``data-ev-filter="<filter>"`` for the page script to apply.
    """
    if not labels:
        return Markup('<p class="empty">Nothing to chart.</p>')
    label_width = min(260, 16 + 7 * max(len(str(label)) for label in labels))
    left, right, top = label_width, width - 70, 8
    height = top + len(labels) * (bar_height + 6) + 8
    biggest = max(values) or 1
    parts = _open(width, height, title)
    if highlight and any(highlight):
        parts.append(_hatch())
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * (bar_height + 6)
        w = max((right - left) * value / biggest, 1)
        text = str(label) if len(str(label)) <= 36 else str(label)[:35] + "…"
        fill = "url(#hatch)" if highlight and highlight[i] else PALETTE["bar"]
        bar = (
            f'<text x="{left - 8}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" '
            f'fill="{PALETTE["text"]}">{escape(text)}</text>'
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_height}" '
            f'fill="{fill}"><title>{escape(label)}: {value:,} ads</title></rect>'
            f'<text x="{left + w + 6:.1f}" y="{y + bar_height * 0.7:.1f}" '
            f'fill="{PALETTE["text"]}">{value:,}</text>'
        )
        if filters:
            bar = (
                f'<a href="#{escape(target)}" class="chart-filter" '
                f'data-ev-filter="{escape(filters[i])}">{bar}</a>'
            )
        parts.append(bar)
    parts.append("</svg>")
    return Markup("".join(parts))


def histogram(
    labels: Sequence[str],
    values: Sequence[int],
    *,
    highlight: Sequence[bool],
    title: str,
    highlight_note: str = "",
    width: int = 900,
    height: int = 280,
) -> Markup:
    """Vertical bars; bars with ``highlight`` true are drawn in the alert colour, hatched."""
    if not labels:
        return Markup('<p class="empty">Nothing to chart.</p>')
    left, right, top, bottom = 56, width - 16, 30, height - 34
    ticks = nice_ticks(max(values))
    span = ticks[-1] or 1
    parts = _open(width, height, title)
    parts.append(_hatch())
    _y_axis(parts, ticks, left, right, top, bottom)
    slot = (right - left) / len(labels)
    gap = min(4.0, slot * 0.2)
    marked = [i for i, flag in enumerate(highlight) if flag]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + i * slot + gap / 2
        y = bottom - (bottom - top) * value / span
        fill = "url(#hatch)" if highlight[i] else PALETTE["bar"]
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot - gap:.1f}" height="{bottom - y:.1f}" '
            f'fill="{fill}"><title>{escape(label)}: {value:,} ads</title></rect>'
        )
        if len(labels) <= 60 or i % 2 == 0:
            parts.append(
                f'<text x="{x + (slot - gap) / 2:.1f}" y="{bottom + 16}" text-anchor="middle" '
                f'fill="{PALETTE["axis"]}">{escape(label)}</text>'
            )
    if marked and highlight_note:
        x0 = left + marked[0] * slot
        x1 = left + (marked[-1] + 1) * slot
        parts.append(
            f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{top - 10}" y2="{top - 10}" '
            f'stroke="{PALETTE["highlight"]}" stroke-width="2"/>'
            f'<text x="{x0:.1f}" y="{top - 15}" fill="{PALETTE["highlight"]}" '
            f'font-weight="bold">{escape(highlight_note)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
