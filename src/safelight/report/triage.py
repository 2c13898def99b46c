"""The triage queue: scored ads, minor flags first, each with its evidence marked in the text.

Evidence spans come from the score stage (``evidence`` table): character offsets into
``records.ad_text(title, body)``. They may overlap (``she is`` inside ``she is 18``), so the
text is cut at every span boundary and each piece is marked with *all* the evidence covering
it; nothing is dropped. Ad text is untrusted: every piece goes through ``markupsafe.escape``
(as in ``adtable.highlight``) and evidence labels only ever reach attribute values escaped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from safelight.indicators.catalog import CATEGORIES
from safelight.records import ad_text
from safelight.report.adtable import MAX_TEXT_CHARS

__all__ = [
    "CATEGORY_NOTES",
    "EvidenceLine",
    "TriageRow",
    "build_triage",
    "category_priority",
    "format_points",
    "highlight_evidence",
]

# What each indicator category covers, in an analyst's words (docs/scoring.md).
CATEGORY_NOTES = {
    "minor": "youth cues and stated ages",
    "control": "third-party control, pimp-culture vocabulary",
    "movement": "travel and touring",
    "restriction": "incall only, always available",
    "evasion": "filter dodging, obscured phones, screening",
    "emoji": "coded emojis",
    "economics": "specials, low or coded prices",
    "presentation": "stated ethnicity, professional wording",
}

FLAG_LABELS = {"stated": "stated minor", "likely": "likely minor"}


def category_priority(category: str) -> int:
    """Lower is more urgent: the catalogue order (``minor`` first); unknown categories last."""
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)


def format_points(points: float | None) -> str:
    """``12`` for whole points, ``33.3`` otherwise (scaled scores are fractional)."""
    if points is None:
        return "—"
    rounded = round(float(points), 1)
    return f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"


def _css_category(category: str) -> str:
    return category if category in CATEGORIES else "other"


def highlight_evidence(text: str, evidence: Iterable[dict[str, Any]]) -> Markup:
    """``text`` as escaped HTML, each evidence span in ``<mark class="ev ev-CATEGORY">``.

    Overlapping spans are split at their boundaries; a piece covered by several items is
    marked with the most urgent category and its tooltip (``title``) lists them all, each as
    ``indicator +points``. Spans out of range or empty are skipped.
    """
    spans = [
        (int(e["start"]), int(e["end"]), e)
        for e in evidence
        if e.get("start") is not None
        and e.get("end") is not None
        and 0 <= int(e["start"]) < int(e["end"]) <= len(text)
    ]
    if not spans:
        return Markup(escape(text))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[str] = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        piece = text[left:right]
        covering = [e for s, end, e in spans if s <= left and right <= end]
        if not covering:
            out.append(escape(piece))
            continue
        covering.sort(key=lambda e: (category_priority(e["category"]), -float(e["points"])))
        labels: list[str] = []
        for e in covering:
            label = f"{e['indicator']} +{format_points(e['points'])}"
            if label not in labels:
                labels.append(label)
        out.append(
            Markup('<mark class="ev ev-{}" title="{}">{}</mark>').format(
                _css_category(covering[0]["category"]), " · ".join(labels), piece
            )
        )
    return Markup("").join(out)


@dataclass
class EvidenceLine:
    """One indicator's evidence in an ad: its first occurrence carries the points."""

    indicator: str
    category: str
    texts: list[str]
    points: float
    occurrences: int
    from_fields: bool  # found in a structured field (e.g. the age field), not in the text

    @property
    def css_category(self) -> str:
        return _css_category(self.category)


@dataclass
class TriageRow:
    rank: int
    ad_id: str
    score: float
    minor: str  # "stated" | "likely" | "none"
    posted: str
    source: str
    place: str
    phones: str
    title: str
    text: Markup
    truncated: bool
    url: str
    stated_age: int | None
    evidence: list[EvidenceLine] = field(default_factory=list)

    @property
    def flag_label(self) -> str:
        return FLAG_LABELS.get(self.minor, "")

    @property
    def categories(self) -> list[str]:
        return sorted({e.category for e in self.evidence}, key=category_priority)

    @property
    def filter_tokens(self) -> str:
        """What the evidence filter matches: ``cat:CATEGORY`` and every indicator id."""
        return " ".join(
            [f"cat:{c}" for c in self.categories] + [e.indicator for e in self.evidence]
        )

    @property
    def points_total(self) -> float:
        return sum(e.points for e in self.evidence)


def _lines(evidence: Sequence[dict[str, Any]]) -> list[EvidenceLine]:
    by_indicator: dict[str, EvidenceLine] = {}
    for e in evidence:
        line = by_indicator.get(e["indicator"])
        written = (e.get("text") or "").strip()
        if line is None:
            line = by_indicator[e["indicator"]] = EvidenceLine(
                e["indicator"], e["category"], [], 0.0, 0, e.get("start") is None
            )
        line.points += float(e["points"])
        line.occurrences += 1
        if written and written not in line.texts:
            line.texts.append(written)
    return sorted(
        by_indicator.values(),
        key=lambda x: (-x.points, category_priority(x.category), x.indicator),
    )


def build_triage(
    ads: Sequence[dict[str, Any]], evidence: Sequence[dict[str, Any]]
) -> list[TriageRow]:
    """Queue rows from the ``triage_rows`` and ``triage_evidence`` query results (in order)."""
    by_ad: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in evidence:
        by_ad[e["ad_id"]].append(e)
    rows: list[TriageRow] = []
    for rank, ad in enumerate(ads, 1):
        full = ad_text(ad.get("title"), ad.get("body"))
        text = full[:MAX_TEXT_CHARS]
        items = by_ad.get(ad["ad_id"], [])
        place = (ad.get("location") or "").strip() or (ad.get("places") or "")
        rows.append(
            TriageRow(
                rank=rank,
                ad_id=ad["ad_id"],
                score=float(ad["score"]),
                minor=ad.get("minor") or "none",
                posted=ad.get("posted") or "",
                source=ad.get("source") or "",
                place=place,
                phones=ad.get("phones") or "",
                title=(ad.get("title") or "").strip() or (ad.get("body") or "")[:60].strip(),
                text=highlight_evidence(text, items),
                truncated=len(full) > MAX_TEXT_CHARS,
                url=ad.get("url") or "",
                stated_age=ad.get("stated_age"),
                evidence=_lines(items),
            )
        )
    return rows
