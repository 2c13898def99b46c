"""Missing-person leads in the report: a section listing the posters, minors first, and one
self-contained page per poster (``out_dir/missing/<case>.html``) with its ranked leads.

Each lead shows its probability, every feature's contribution in words, a snippet of the ad
text, the ad's network id when links exist, the latest review, and the poster photo beside the
ad photo when both are local files. Pictures are embedded as ``data:`` URIs (files up to
``MAX_PHOTO_BYTES``; larger ones are named, not embedded), so the pages open offline. Everything
comes from ``store.query``; the store may have no poster at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from safelight.missing.records import is_local_photo
from safelight.report.queries import QueryStore

__all__ = ["missing_context", "page_name", "render_missing_page", "write_missing_pages"]

MAX_PHOTO_BYTES = 400_000
LEADS_SHOWN = 10
SNIPPET = 320

_POSTERS = """
SELECT p.case_id, p.name, p.aliases, p.sex, p.dob, p.age_at_missing, p.date_missing,
       p.missing_city, p.missing_state, p.height_cm, p.weight_lb, p.hair, p.eyes, p.marks,
       p.photos, p.foster_care, p.agency,
       (SELECT count(*) FROM missing_leads l WHERE l.case_id = p.case_id) AS leads,
       (SELECT max(l.match_probability) FROM missing_leads l WHERE l.case_id = p.case_id)
           AS top_probability,
       (SELECT CAST(a.posted_at AS DATE) FROM missing_leads l JOIN ads a ON a.ad_id = l.ad_id
        WHERE l.case_id = p.case_id AND l.rank = 1) AS top_ad_date
FROM missing_persons p ORDER BY p.case_id
"""


def _has_posters(store: QueryStore) -> bool:
    found = store.query(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'missing_persons'"
    )
    return bool(found.column("n")[0].as_py())


def _years(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _age_then(row: dict[str, Any], when: date | None) -> int | None:
    """Age at the top lead's ad date (else today), from the date of birth or age missing."""
    when = when or date.today()
    if row["dob"] is not None:
        return _years(row["dob"], when)
    if row["age_at_missing"] is not None:
        return int(row["age_at_missing"]) + max(0, _years(row["date_missing"], when))
    return None


def page_name(case_id: str) -> str:
    """``missing/<safe name>.html``: the case id made safe for a file name, plus a short hash
    so two ids never share a page."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in case_id)[:60]
    digest = hashlib.sha1(case_id.encode()).hexdigest()[:6]
    return f"missing/{safe}-{digest}.html"


def missing_context(store: QueryStore) -> dict[str, Any]:
    """``{"missing_persons": [...]}``: posters with their age at the top lead's date, minors
    first, then by top lead probability."""
    if not _has_posters(store):
        return {"missing_persons": []}
    rows = store.query(_POSTERS).to_pylist()
    for row in rows:
        row["age_then"] = _age_then(row, row["top_ad_date"])
        row["minor"] = row["age_then"] is not None and row["age_then"] < 18
        row["page"] = page_name(row["case_id"])
    rows.sort(key=lambda r: (not r["minor"], -(r["top_probability"] or 0.0), r["case_id"]))
    return {"missing_persons": rows}


def _photo(ref: str | None) -> dict[str, str] | None:
    """A local picture as a data: URI (or just its name when too large or unreadable)."""
    if not ref or not is_local_photo(ref):
        return None
    path = Path(ref)
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if size > MAX_PHOTO_BYTES:
        return {"name": path.name, "src": ""}
    mime = mimetypes.guess_type(path.name)[0] or "image/jpeg"
    try:
        data = base64.b64encode(path.read_bytes()).decode("ascii")
    except OSError:
        return None
    return {"name": path.name, "src": f"data:{mime};base64,{data}"}


def _leads(store: QueryStore, case_id: str) -> list[dict[str, Any]]:
    network = (
        "(SELECT min(n.network_id) FROM networks n WHERE n.ad_id = l.ad_id)"
        if store.query(
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'networks'"
        )
        .column("n")[0]
        .as_py()
        else "CAST(NULL AS VARCHAR)"
    )
    rows = store.query(
        f"""
        SELECT l.rank, l.ad_id, l.match_probability AS probability, l.contributions,
               a.source, a.post_id, a.url, a.title, a.body,
               strftime(a.posted_at AT TIME ZONE 'UTC', '%Y-%m-%d') AS posted,
               [i.ref FOR i IN coalesce(a.images, [])] AS ad_photos, {network} AS network_id,
               (SELECT arg_max(r.decision, r.reviewed_at) FROM lead_reviews r
                WHERE r.case_id = l.case_id AND r.ad_id = l.ad_id) AS review
        FROM missing_leads l LEFT JOIN ads a ON a.ad_id = l.ad_id
        WHERE l.case_id = ? AND l.rank <= ? ORDER BY l.rank
        """,
        [case_id, LEADS_SHOWN],
    ).to_pylist()
    for row in rows:
        row["contributions"] = [
            c for c in json.loads(row["contributions"]) if c.get("level") != "unknown"
        ]
        text = " ".join(f"{row['title'] or ''} {row['body'] or ''}".split())
        row["snippet"] = text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"
        row["ad_photo"] = next(
            (p for p in map(_photo, row["ad_photos"] or []) if p and p["src"]), None
        )
    return rows


def render_missing_page(
    env: Environment, person: dict[str, Any], leads: list[dict[str, Any]]
) -> str:
    poster_photo = next((p for p in map(_photo, person["photos"] or []) if p), None)
    return env.get_template("missing.html.j2").render(
        p=person, leads=leads, poster_photo=poster_photo
    )


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("safelight.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def write_missing_pages(
    store: QueryStore, out_dir: Path, persons: list[dict[str, Any]]
) -> list[Path]:
    """One page per poster under ``out_dir/missing/``; returns the paths written."""
    if not persons:
        return []
    env = _environment()
    written = []
    for person in persons:
        target = out_dir / person["page"]
        target.parent.mkdir(parents=True, exist_ok=True)
        html = render_missing_page(env, person, _leads(store, person["case_id"]))
        target.write_text(html, encoding="utf-8")
        written.append(target)
    return written
