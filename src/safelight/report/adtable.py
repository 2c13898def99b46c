"""The report's table of ads: one row per ad, its fields, and its text with spans marked.

Ad text is untrusted input. Every piece of it goes through ``markupsafe.escape`` before it is
wrapped in markup; spans are validated against the text (in range, not overlapping) and the
text between them is escaped too, so a body like ``<script>`` shows as text, never runs.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from safelight.records import ad_text

__all__ = ["AdRow", "build_rows", "format_value", "highlight"]

# Longest ad text shown in full; longer texts are cut (spans past the cut are dropped).
MAX_TEXT_CHARS = 4000

# Which field wins when two spans overlap: the registry order of the extractors.
FIELD_ORDER = ("phone", "email", "handle", "age", "price", "place", "name", "emoji")

_CURRENCY = {"USD": "$", "GBP": "£", "EUR": "€", "CAD": "CA$"}


@dataclass
class AdRow:
    ad_id: str
    posted: str
    source: str
    location: str
    title: str
    text: Markup
    truncated: bool
    possible_minor: bool
    url: str
    stated_age: int | None = None
    fields: dict[str, list[str]] = field(default_factory=dict)
    score: float | None = None  # risk score 0-100; None when not scored yet
    minor_flag: str | None = None  # "stated" | "likely" | None
    indicators: str = ""  # the ids of the indicators that fired, space-separated
    categories: str = ""  # their categories, space-separated

    @property
    def flag_rank(self) -> int:
        """Sort key of the minor flag: stated 0, likely 1, none 2."""
        return {"stated": 0, "likely": 1}.get(self.minor_flag or "", 2)

    @property
    def filter_tokens(self) -> str:
        """What the evidence filter matches: ``cat:CATEGORY`` and every indicator id."""
        return " ".join([f"cat:{c}" for c in self.categories.split()] + self.indicators.split())

    def values(self, name: str) -> str:
        return ", ".join(self.fields.get(name, []))

    def other_places(self) -> list[str]:
        """Places found in the text that the listed location does not already name."""
        listed = self.location.strip().lower()
        return [
            p
            for p in self.fields.get("place", [])
            if not listed or not p.lower().startswith(listed)
        ]


def format_value(field_name: str, value: str) -> str:
    """A stored (normalised) value as an analyst reads it."""
    if field_name == "price":
        try:
            price = json.loads(value)
            symbol = _CURRENCY.get(price.get("currency", "USD"), price.get("currency", "") + " ")
            minutes = price.get("minutes")
            return f"{symbol}{price['amount']}" + (f"/{minutes}min" if minutes else "")
        except (ValueError, KeyError, TypeError, AttributeError):
            return value
    if field_name == "handle":
        try:
            handle = json.loads(value)
            return f"{handle['platform']}: {handle['handle']}"
        except (ValueError, KeyError, TypeError):
            return value
    return value


def _is_area_code(detail: str | None) -> bool:
    if not detail:
        return False
    try:
        parsed = json.loads(detail)
    except ValueError:
        return False
    return isinstance(parsed, dict) and parsed.get("source") == "area code"


def highlight(text: str, spans: Iterable[tuple[int, int, str, str]]) -> Markup:
    """``text`` as escaped HTML with each ``(start, end, field, label)`` span in a ``<mark>``.

    Spans out of range or overlapping an earlier-chosen span are skipped; earlier fields in
    ``FIELD_ORDER`` win ties at the same start.
    """
    rank = {name: i for i, name in enumerate(FIELD_ORDER)}
    ordered = sorted(
        (s for s in spans if 0 <= s[0] < s[1] <= len(text)),
        key=lambda s: (s[0], rank.get(s[2], len(rank)), -s[1]),
    )
    out: list[str] = []
    pos = 0
    for start, end, name, label in ordered:
        if start < pos:
            continue
        out.append(escape(text[pos:start]))
        out.append(
            Markup('<mark class="f-{}" title="{}">{}</mark>').format(
                name if name in rank else "other", f"{name}: {label}", text[start:end]
            )
        )
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def build_rows(ads: Sequence[dict[str, Any]], extractions: Sequence[dict[str, Any]]) -> list[AdRow]:
    """Table rows from the ``ad_table_rows`` and ``ad_table_extractions`` query results."""
    by_ad: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in extractions:
        by_ad[e["ad_id"]].append(e)
    rows: list[AdRow] = []
    for ad in ads:
        full = ad_text(ad.get("title"), ad.get("body"))
        text = full[:MAX_TEXT_CHARS]
        fields: dict[str, list[str]] = defaultdict(list)
        spans: list[tuple[int, int, str, str]] = []
        if ad.get("stated_age") is not None:
            fields["age"].append(str(ad["stated_age"]))
        for e in by_ad.get(ad["ad_id"], []):
            name = e["field"]
            label = format_value(name, e["value"])
            area_code = name == "place" and _is_area_code(e.get("detail"))
            if label not in fields[name] and not area_code and name != "image":
                fields[name].append(label)
            if e.get("start") is not None and e.get("end") is not None and not area_code:
                spans.append((int(e["start"]), int(e["end"]), name, label))
        rows.append(
            AdRow(
                ad_id=ad["ad_id"],
                posted=ad.get("posted") or "",
                source=ad.get("source") or "",
                location=ad.get("location") or "",
                title=(ad.get("title") or "").strip() or (ad.get("body") or "")[:60].strip(),
                text=highlight(text, spans),
                truncated=len(full) > MAX_TEXT_CHARS,
                possible_minor=bool(ad.get("possible_minor")),
                url=ad.get("url") or "",
                stated_age=ad.get("stated_age"),
                fields=dict(fields),
                score=ad.get("score"),
                minor_flag=ad.get("minor_flag") or ("stated" if ad.get("possible_minor") else None),
                indicators=ad.get("indicators") or "",
                categories=ad.get("categories") or "",
            )
        )
    return rows
