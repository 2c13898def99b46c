"""Assemble the report: run the named queries, draw the charts, fill the Jinja2 template.

The output is one HTML file with everything inline (CSS, SVG, a little vanilla JS) so it can
be opened offline, mailed inside a case file, or printed. Nothing in it loads from a network.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from safelight.errors import UserError
from safelight.indicators.catalog import CATEGORIES, load_catalog
from safelight.report import charts, queries
from safelight.report.adtable import build_rows, format_value
from safelight.report.missing import missing_context, write_missing_pages
from safelight.report.network_page import network_context, page_name, write_network_pages
from safelight.report.triage import CATEGORY_NOTES, build_triage, format_points

__all__ = ["ReportOptions", "build_context", "render_html", "write_report"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportOptions:
    recent_ads: int = 2000  # most recent ads shown in the table
    max_minor_ads: int = 5000  # possible-minor ads shown in the table, in addition
    top_places: int = 20
    triage_ads: int = 100  # ads in the triage queue (highest risk, minor flags first)
    triage_preview: int = 25  # queue entries shown before "show all"
    top_indicators: int = 10  # indicators listed under the category chart
    top_values: int = 25
    top_networks: int = 25  # networks listed (each with its own page under networks/)
    rejects: Path | None = None  # the ingest rejects file, counted when given
    store_label: str | None = None  # how the store is named in the header


def _age_bins(rows: list[dict[str, Any]]) -> tuple[list[str], list[int], list[bool]]:
    """Ages grouped as <=12, 13..49 one bar each (up to the oldest seen), 50+."""
    if not rows:
        return [], [], []
    counts: dict[int, int] = {}
    for row in rows:
        age = max(12, min(50, int(row["age"])))
        counts[age] = counts.get(age, 0) + int(row["ads"])
    low = 12 if 12 in counts else min(min(counts), 16)
    high = max(max(counts), 30)
    labels, values, flags = [], [], []
    for age in range(low, high + 1):
        labels.append("≤12" if age == 12 else "50+" if age == 50 else str(age))
        values.append(counts.get(age, 0))
        flags.append(age < queries.ADULT_AGE)
    return labels, values, flags


def _count_rejects(path: Path | None) -> int | None:
    if path is None:
        return None
    if not path.exists():
        raise UserError(f"no such rejects file: {path}")
    with path.open(encoding="utf-8", errors="replace") as lines:
        return sum(1 for line in lines if line.strip())


def _top(store: queries.QueryStore, name: str, limit: int) -> list[dict[str, Any]]:
    rows = queries.run(store, "top_values", [name, limit])
    for row in rows:
        row["label"] = format_value(name, row["value"])
    return rows


def _category_rows(counts: list[dict[str, Any]], scored: int) -> list[dict[str, Any]]:
    """Every catalogue category (zero when no ad has its evidence), most ads first."""
    found = {r["category"]: r for r in counts}
    names = list(CATEGORIES) + sorted(set(found) - set(CATEGORIES))
    rows = [
        {
            "category": name,
            "ads": int(found.get(name, {}).get("ads", 0)),
            "share": int(found.get(name, {}).get("ads", 0)) / scored if scored else 0.0,
            "note": CATEGORY_NOTES.get(name, ""),
        }
        for name in names
    ]
    rows.sort(key=lambda r: (-r["ads"], names.index(r["category"])))
    return rows


def _indicator_rows(rows: list[dict[str, Any]], scored: int) -> list[dict[str, Any]]:
    catalog = load_catalog()
    known = {i.id: i for i in catalog.indicators}
    for row in rows:
        indicator = known.get(row["indicator"])
        row["description"] = indicator.description if indicator else ""
        row["weight"] = indicator.weight if indicator else None
        row["share"] = row["ads"] / scored if scored else 0.0
    return rows


def _risk_context(
    store: queries.QueryStore, options: ReportOptions, summary: dict[str, Any], timed: Any
) -> dict[str, Any]:
    """The triage queue and the indicator charts (empty when nothing is scored yet)."""
    scored = int(summary["scored_ads"] or 0)
    if not scored:
        return {
            "scored": 0,
            "triage": [],
            "categories": [],
            "indicators": [],
            "category_chart": Markup(""),
        }
    queue = timed("triage", queries.triage_rows, store, options.triage_ads)
    evidence = timed("triage_evidence", queries.triage_evidence, store, [r["ad_id"] for r in queue])
    categories = _category_rows(
        timed("category_counts", queries.run, store, "category_counts"), scored
    )
    indicators = _indicator_rows(
        timed("top_indicators", queries.run, store, "top_indicators", [options.top_indicators]),
        scored,
    )
    return {
        "scored": scored,
        "triage": build_triage(queue, evidence),
        "categories": categories,
        "indicators": indicators,
        "category_chart": charts.hbar_chart(
            [r["category"] for r in categories],
            [r["ads"] for r in categories],
            title="Scored ads with at least one evidence item, per indicator category",
            highlight=[r["category"] == "minor" for r in categories],
            filters=[f"cat:{r['category']}" for r in categories],
            target="triage",
            width=520,
        ),
    }


def build_context(store: queries.QueryStore, options: ReportOptions) -> dict[str, Any]:
    """Everything the template shows, as plain data and ready-made SVG."""
    timings: dict[str, float] = {}

    def timed(label: str, fn: Any, *args: Any) -> Any:
        started = time.perf_counter()
        result = fn(*args)
        timings[label] = time.perf_counter() - started
        return result

    summary = timed("summary", queries.run, store, "summary")[0]
    per_day = timed("ads_per_day", queries.run, store, "ads_per_day")
    places = timed("ads_per_place", queries.run, store, "ads_per_place", [options.top_places])
    phones = timed("top_phones", _top, store, "phone", options.top_values)
    emails = timed("top_emails", _top, store, "email", options.top_values)
    handles = timed("top_handles", _top, store, "handle", options.top_values)
    field_counts = timed("field_counts", queries.run, store, "field_counts")
    ages = timed("age_histogram", queries.run, store, "age_histogram")
    ad_rows = timed(
        "ad_table", queries.ad_table_rows, store, options.recent_ads, options.max_minor_ads
    )
    ad_extr = timed(
        "ad_table_extractions",
        queries.ad_table_extractions,
        store,
        options.recent_ads,
        options.max_minor_ads,
    )
    rows = build_rows(ad_rows, ad_extr)
    risk = _risk_context(store, options, summary, timed)
    nets = timed("networks", network_context, store, options.top_networks)
    missing = timed("missing", missing_context, store)
    log.info("report queries: %s", ", ".join(f"{k} {v:.2f}s" for k, v in timings.items()))

    labels, values, flags = _age_bins(ages)
    shown_minors = sum(1 for r in rows if r.possible_minor)
    return {
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "store_label": options.store_label or "(unnamed store)",
        "summary": summary,
        "rejects": _count_rejects(options.rejects),
        "day_chart": charts.time_series(
            [(r["day"], r["ads"]) for r in per_day], title="Ads per day (UTC)"
        ),
        "days": len(per_day),
        "place_chart": charts.hbar_chart(
            [r["place"] for r in places],
            [r["ads"] for r in places],
            title=f"Ads per place, top {options.top_places}",
        ),
        "places": places,
        "age_chart": charts.histogram(
            labels,
            values,
            highlight=flags,
            title="Ads per age (stated and found in the text)",
            highlight_note="under 18: possible minors",
            width=640,
            height=260,
        ),
        "age_bins": list(zip(labels, values, flags, strict=True)),
        "phones": phones,
        "emails": emails,
        "handles": handles,
        "field_counts": field_counts,
        "rows": rows,
        "shown_minors": shown_minors,
        "shown_recent": len(rows) - shown_minors,
        "options": options,
        "css_categories": CATEGORIES,
        "ev_indicators": sorted(
            {i["indicator"] for i in risk["indicators"]}
            | {e.indicator for t in risk["triage"] for e in t.evidence}
            | {i for r in rows for i in r.indicators.split()}
        ),
        **risk,
        **nets,
        **missing,
    }


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("safelight.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda v: "—" if v is None else f"{int(v):,}"
    env.filters["pts"] = format_points
    env.filters["page"] = page_name
    env.filters["pct"] = lambda v: f"{100 * v:.0f}%" if v >= 0.01 or not v else "<1%"
    return env


def render_html(context: dict[str, Any]) -> str:
    return _environment().get_template("report.html.j2").render(**context)


def write_report(
    store: queries.QueryStore,
    out_dir: Path,
    *,
    rejects: Path | None = None,
    options: ReportOptions | None = None,
) -> Path:
    """Write ``out_dir/report.html`` from ``store.query(...)`` results; return its path.

    ``rejects`` is the ingest rejects file to count; by default the one ingest writes beside
    the database (``<db stem>.rejects.jsonl``) when it exists."""
    options = options or ReportOptions()
    if rejects is not None:
        options = replace(options, rejects=rejects)
    store_path = getattr(store, "path", None)
    if store_path is not None:
        if options.store_label is None:
            options = replace(options, store_label=str(store_path))
        if options.rejects is None:
            from safelight.pipeline import default_rejects_path

            beside = default_rejects_path(Path(store_path))
            options = replace(options, rejects=beside if beside.is_file() else None)
    started = time.perf_counter()
    context = build_context(store, options)
    html = render_html(context)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "report.html"
    target.write_text(html, encoding="utf-8")
    write_network_pages(store, out_dir, [n["network_id"] for n in context["networks"]])
    write_missing_pages(store, out_dir, context["missing_persons"])
    log.info("report written in %.2fs (%d bytes)", time.perf_counter() - started, len(html))
    return target
