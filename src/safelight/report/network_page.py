"""Network pages: one self-contained HTML page per network, and the case-file export.

- ``render_network_page(profile, back=None)``: the page (profile, graph picture, movement
  timeline, links, templates, ads) as a string.
- ``write_network_pages(store, out_dir, ids)``: ``out_dir/networks/<id>.html`` per network.
- ``export_case_file(store, network_id, out_dir)``: ``<id>.json`` (the profile with every
  edge) and ``<id>.html`` in ``out_dir``: a case file an analyst can hand on.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from safelight.errors import UserError
from safelight.report.network_charts import circuit_svg, graph_svg
from safelight.report.networks import network_profile
from safelight.report.queries import QueryStore

__all__ = [
    "export_case_file",
    "network_context",
    "page_name",
    "render_network_page",
    "write_network_pages",
]


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("safelight.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda v: "—" if v is None else f"{int(v):,}"
    return env


def render_network_page(profile: dict[str, Any], back: str | None = None) -> str:
    return (
        _environment()
        .get_template("network.html.j2")
        .render(profile=profile, graph=graph_svg(profile), circuit=circuit_svg(profile), back=back)
    )


def _safe_name(network_id: str) -> str:
    return "".join(c for c in network_id if c.isalnum()) or "network"


def write_network_pages(
    store: QueryStore, out_dir: Path, network_ids: list[str], back: str | None = "../report.html"
) -> dict[str, Path]:
    """``network_id -> page path`` for each network written under ``out_dir/networks/``."""
    folder = out_dir / "networks"
    folder.mkdir(parents=True, exist_ok=True)
    pages: dict[str, Path] = {}
    for network_id in network_ids:
        profile = network_profile(store, network_id)
        if profile is None:
            continue
        path = folder / f"{_safe_name(network_id)}.html"
        path.write_text(render_network_page(profile, back), encoding="utf-8")
        pages[network_id] = path
    return pages


def export_case_file(store: QueryStore, network_id: str, out_dir: Path) -> tuple[Path, Path]:
    """Write ``<id>.json`` and ``<id>.html`` into ``out_dir``; UserError for an unknown id."""
    profile = network_profile(store, network_id, max_ads=1_000_000)
    if profile is None:
        raise UserError(f"no network {network_id} (run `safelight link`, then see the report)")
    out_dir.mkdir(parents=True, exist_ok=True)
    name = _safe_name(network_id)
    json_path = out_dir / f"{name}.json"
    json_path.write_text(
        json.dumps(profile, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    html_path = out_dir / f"{name}.html"
    html_path.write_text(render_network_page(profile), encoding="utf-8")
    return json_path, html_path


def network_context(store: QueryStore, limit: int = 25) -> dict[str, Any]:
    """What report.html shows about networks: the top ``limit`` (``top_networks``) and, for
    the first, its graph picture and movement timeline inline."""
    from markupsafe import Markup

    from safelight.report.networks import top_networks

    rows = top_networks(store, limit)
    context: dict[str, Any] = {
        "networks": rows,
        "network_feature": None,
        "network_graph": Markup(""),
        "network_circuit": Markup(""),
    }
    if rows:
        profile = network_profile(store, rows[0]["network_id"])
        if profile is not None:
            context["network_feature"] = profile
            context["network_graph"] = graph_svg(profile)
            context["network_circuit"] = circuit_svg(profile)
    return context


def page_name(network_id: str) -> str:
    """The page of a network, relative to the report: ``networks/<id>.html``."""
    return f"networks/{_safe_name(network_id)}.html"
