"""Pictures of one network, inline SVG drawn in Python (no JavaScript, no network access).

- ``layout(n, edges)``: a deterministic force-directed layout (Fruchterman & Reingold 1991):
  nodes start on circles (in a fixed order), then a fixed number of steps of repulsion between
  every pair and attraction along edges, with a cooling step size. Same input, same picture.
- ``graph_svg(profile)``: the ads (circles, red when a minor flag) and the identifiers they
  share (squares: phones, emails, handles, photos, text templates), an edge wherever an ad
  gives that value. Large networks are drawn from a sample of their ads (said in the title).
- ``circuit_svg(profile)``: the movement timeline: places (one lane each, in order of first
  visit) against dates, a dot per ad and a line through the stays in time order.

Every label (values and places come from ad text) is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
from markupsafe import Markup, escape

from safelight.report.charts import PALETTE

__all__ = ["circuit_svg", "graph_svg", "layout"]

_FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'
KIND_COLOURS = {
    "phone": "#1b7837",
    "email": "#762a83",
    "handle": "#b35806",
    "image": "#2166ac",
    "text": "#4d4d4d",
}
MAX_GRAPH_ADS = 120
MAX_GRAPH_VALUES = 40


def layout(n: int, edges: Sequence[tuple[int, int]], steps: int = 120) -> np.ndarray:
    """Positions (n x 2, within [0, 1]) of ``n`` nodes joined by ``edges``."""
    if n == 0:
        return np.zeros((0, 2))
    angle = 2 * np.pi * np.arange(n) / max(n, 1)
    radius = 0.25 + 0.2 * (np.arange(n) % 2)
    pos = np.column_stack([np.cos(angle) * radius, np.sin(angle) * radius])
    k = 1.0 / np.sqrt(n)
    e = np.array(edges, dtype=np.int64).reshape(-1, 2)
    temp = 0.1
    for _ in range(steps):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.linalg.norm(delta, axis=2), 1e-3)
        force = (delta / dist[..., None] * (k * k / dist)[..., None]).sum(axis=1)
        if len(e):
            d = pos[e[:, 0]] - pos[e[:, 1]]
            length = np.maximum(np.linalg.norm(d, axis=1), 1e-3)
            pull = d * (length / k)[:, None]
            np.add.at(force, e[:, 0], -pull)
            np.add.at(force, e[:, 1], pull)
        force -= pos * 0.05 * n  # gravity keeps separate groups on the page
        size = np.maximum(np.linalg.norm(force, axis=1), 1e-9)
        pos += force / size[:, None] * np.minimum(size, temp)[:, None]
        temp *= 0.97
    lo, hi = pos.min(axis=0), pos.max(axis=0)
    return (pos - lo) / np.where(hi - lo > 0, hi - lo, 1.0)


def _open(width: int, height: int, title: str) -> list[str]:
    return [
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" {_FONT} font-size="11">',
        f"<title>{escape(title)}</title>",
    ]


def _label(kind: str, value: str) -> str:
    if kind == "text":
        return "template"
    if kind == "image":
        return "photo " + value[:6]
    if kind == "handle" and value.startswith("{"):
        import json

        try:
            h = json.loads(value)
            return f"{h['platform']}:{h['handle']}"
        except (ValueError, KeyError, TypeError):
            return value
    return value


def graph_svg(profile: dict[str, Any], width: int = 720, height: int = 520) -> Markup:
    """Ads and the identifiers they share (see the module docstring)."""
    ads = profile["ads"]
    if len(ads) > MAX_GRAPH_ADS:
        picks = np.linspace(0, len(ads) - 1, MAX_GRAPH_ADS).round().astype(int)
        ads = [ads[i] for i in sorted(set(picks.tolist()))]
    ad_index = {a["ad_id"]: k for k, a in enumerate(ads)}
    values = [(s["kind"], s["value"]) for s in profile["shared"][:MAX_GRAPH_VALUES]]
    value_index = {v: len(ads) + k for k, v in enumerate(values)}
    links: set[tuple[int, int]] = set()
    for e in profile["edges"]:
        v = value_index.get((e["kind"], e["value"]))
        if v is None:
            continue
        for ad in (e["ad_a"], e["ad_b"]):
            if ad in ad_index:
                links.add((ad_index[ad], v))
    n = len(ads) + len(values)
    pos = layout(n, sorted(links))
    pad, label_room = 24, 170  # value labels are drawn to the right of their node
    xy = np.array([pad, pad]) + pos * np.array([width - pad - label_room, height - 2 * pad])
    shown, total = len(ads), profile["n_ads"]
    sampled = f" (a sample of {shown} of {total} ads)" if shown < total else ""
    title = f"Network {profile['network_id']}: ads and the identifiers they share{sampled}"
    parts = _open(width, height, title)
    for a, b in sorted(links):
        kind = values[b - len(ads)][0]
        parts.append(
            f'<line x1="{xy[a, 0]:.1f}" y1="{xy[a, 1]:.1f}" x2="{xy[b, 0]:.1f}" '
            f'y2="{xy[b, 1]:.1f}" stroke="{KIND_COLOURS.get(kind, "#999")}" '
            'stroke-opacity="0.35"/>'
        )
    for k, ad in enumerate(ads):
        minor = ad.get("minor") in ("stated", "likely")
        fill = PALETTE["highlight"] if minor else "#ffffff"
        tip = f"ad {ad['ad_id']} {ad.get('posted_at') or ''} {ad.get('place') or ''}"
        if minor:
            tip += f" (minor flag: {ad['minor']})"
        parts.append(
            f'<circle class="ad" cx="{xy[k, 0]:.1f}" cy="{xy[k, 1]:.1f}" r="4" fill="{fill}" '
            f'stroke="{PALETTE["bar"]}"><title>{escape(tip)}</title></circle>'
        )
    for j, (kind, value) in enumerate(values):
        x, y = xy[len(ads) + j]
        colour = KIND_COLOURS.get(kind, "#999")
        label = _label(kind, value)
        parts.append(
            f'<rect class="value" x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" '
            f'fill="{colour}"><title>{escape(kind)}: {escape(value)}</title></rect>'
            f'<text x="{x + 8:.1f}" y="{y + 4:.1f}" fill="{PALETTE["text"]}">'
            f"{escape(label[:28])}</text>"
        )
    legend_x = 8
    for kind, colour in KIND_COLOURS.items():
        parts.append(
            f'<rect x="{legend_x}" y="{height - 14}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{legend_x + 13}" y="{height - 5}" fill="{PALETTE["axis"]}">{kind}</text>'
        )
        legend_x += 70
    parts.append("</svg>")
    return Markup("".join(parts))


def _day(value: str | datetime | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(value[:10])


def circuit_svg(profile: dict[str, Any], width: int = 720) -> Markup:
    """Places against dates: the network's movement timeline."""
    points = [(_day(a["posted_at"]), a["place"]) for a in profile["ads"]]
    points = [(d, p) for d, p in points if d and p]
    if not points:
        return Markup('<p class="empty">No ad of this network has both a place and a date.</p>')
    lanes: list[str] = []
    for _, p in sorted(points, key=lambda t: t[0]):
        if p not in lanes:
            lanes.append(p)
    lane_h = 22
    left, right, top = 150, width - 44, 12  # room for the last date label, centred on it
    height = top + lane_h * len(lanes) + 36
    bottom = top + lane_h * len(lanes)
    first = min(d for d, _ in points)
    last = max(d for d, _ in points)
    span = max((last - first).days, 1)

    def x_of(d: date) -> float:
        return left + (right - left) * (d - first).days / span

    def y_of(place: str) -> float:
        return top + lane_h * (lanes.index(place) + 0.5)

    title = f"Network {profile['network_id']}: places over time (movement timeline)"
    parts = _open(width, height, title)
    for place in lanes:
        y = y_of(place)
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{PALETTE["grid"]}"/><text x="{left - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end" fill="{PALETTE["text"]}">{escape(place[:24])}</text>'
        )
    path = []
    for stay in profile["timeline"]:
        a, b = _day(stay["first"]), _day(stay["last"])
        if a is None or b is None or stay["place"] not in lanes:
            continue
        y = y_of(stay["place"])
        path.append(f"{x_of(a):.1f},{y:.1f} {x_of(b):.1f},{y:.1f}")
    if path:
        parts.append(
            f'<polyline points="{" ".join(path)}" fill="none" stroke="{PALETTE["bar"]}" '
            'stroke-width="1.5" stroke-opacity="0.6"/>'
        )
    for d, p in points:
        parts.append(
            f'<circle cx="{x_of(d):.1f}" cy="{y_of(p):.1f}" r="3" fill="{PALETTE["bar"]}">'
            f"<title>{escape(p)} {d.isoformat()}</title></circle>"
        )
    parts.append(
        f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{PALETTE["axis"]}"/>'
    )
    for k in range(5):
        d = first + (last - first) * k / 4
        parts.append(
            f'<text x="{x_of(d):.1f}" y="{bottom + 16}" text-anchor="middle" '
            f'fill="{PALETTE["axis"]}">{d.isoformat()}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
