"""The template of a near-duplicate text cluster: shared text with the slots that vary.

In the spirit of InfoShield (Lee et al., ICDE 2021): members are aligned token by token to a
pivot (the member most similar to the others), tokens of the pivot that at least ``support``
of the members share, in order, make the template, and every stretch between two template
tokens where members differ becomes a slot ``⟨…⟩`` listing its distinct fillers. Masked slot
tokens (``⟨NAME⟩``, ``⟨PHONE⟩``...) that are part of the template keep their label and list
the actual names, numbers... each member gave there.

``build_template(members, support=0.8, sample=60)`` takes members as ``(norm, orig)`` token
lists from ``text.tokenize`` and returns a ``Template``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "TEMPLATE_SCHEMA",
    "Slot",
    "Template",
    "build_template",
    "cluster_templates",
    "member_templates",
    "template_members",
]

TEMPLATE_SCHEMA = pa.schema(
    [
        ("cluster_id", pa.string()),
        ("n_ads", pa.int64()),
        ("template", pa.string()),
        ("slots", pa.string()),  # JSON [{"label", "fillers": [{"text", "n"}]}]
    ]
)

GAP = "⟨…⟩"
Doc = tuple[list[str], list[str]]


@dataclass(frozen=True, slots=True)
class Slot:
    label: str  # "⟨…⟩" for varying text, or the mask label, e.g. "⟨NAME⟩"
    fillers: tuple[tuple[str, int], ...]  # distinct filler text and how many members gave it


@dataclass(frozen=True, slots=True)
class Template:
    parts: tuple[str | Slot, ...]  # template words and slots, in order
    n_members: int  # members aligned (at most ``sample``)

    @property
    def slots(self) -> list[Slot]:
        return [p for p in self.parts if isinstance(p, Slot)]

    def render(self) -> str:
        return " ".join(p.label if isinstance(p, Slot) else p for p in self.parts)

    def to_dict(self) -> dict[str, object]:
        return {
            "template": self.render(),
            "n_members": self.n_members,
            "slots": [
                {"label": s.label, "fillers": [{"text": t, "n": n} for t, n in s.fillers]}
                for s in self.slots
            ],
        }


def _align(pivot: list[str], other: list[str]) -> dict[int, int]:
    """Pivot position -> matching position in ``other``."""
    sm = SequenceMatcher(None, pivot, other, autojunk=False)
    out: dict[int, int] = {}
    for blk in sm.get_matching_blocks():
        for t in range(blk.size):
            out[blk.a + t] = blk.b + t
    return out


def _pick_pivot(members: Sequence[Doc]) -> int:
    """The member sharing the most tokens with the others (a cheap medoid)."""
    bags = [Counter(norm) for norm, _ in members]
    total: Counter[str] = Counter()
    for bag in bags:
        total.update(set(bag))
    scores = [sum(total[t] for t in bag) / (1 + len(bag)) for bag in bags]
    return max(range(len(members)), key=lambda i: (scores[i], -i))


def build_template(members: Sequence[Doc], support: float = 0.8, sample: int = 60) -> Template:
    """The template of a cluster of tokenised texts (see the module docstring)."""
    members = list(members[:sample])
    if not members:
        return Template((), 0)
    pivot_norm, _ = members[_pick_pivot(members)]
    # members of one template usually mask to the same tokens: align each distinct one once
    aligned: dict[tuple[str, ...], dict[int, int]] = {}
    maps = []
    for norm, _ in members:
        key = tuple(norm)
        if key not in aligned:
            aligned[key] = _align(pivot_norm, norm)
        maps.append(aligned[key])
    need = support * len(members)
    keep = [p for p in range(len(pivot_norm)) if sum(p in m for m in maps) >= need]
    # keep only anchors that preserve order in every member (drop crossing matches)
    anchors: list[int] = []
    for p in keep:
        if all(
            p not in m or not anchors or anchors[-1] not in m or m[p] > m[anchors[-1]] for m in maps
        ):
            anchors.append(p)
    parts: list[str | Slot] = []
    bounds = [-1, *anchors, len(pivot_norm)]
    for k in range(len(bounds) - 1):
        left, right = bounds[k], bounds[k + 1]
        fillers: Counter[str] = Counter()
        varies = False
        for (norm, orig), m in zip(members, maps, strict=True):
            lo = m.get(left, -1) + 1 if left >= 0 else 0
            hi = m.get(right, len(norm)) if right < len(pivot_norm) else len(norm)
            if left >= 0 and left not in m or right < len(pivot_norm) and right not in m:
                continue  # this member lacks an anchor here: no reliable filler
            text = " ".join(orig[lo:hi])
            if text:
                varies = True
            fillers[text] += 1
        if varies:
            ranked = tuple(sorted(fillers.items(), key=lambda kv: (-kv[1], kv[0])))
            parts.append(Slot(GAP, ranked))
        if right < len(pivot_norm):
            parts.append(_anchor_part(right, members, maps, pivot_norm))
    return Template(tuple(parts), len(members))


def _anchor_part(
    p: int, members: Sequence[Doc], maps: list[dict[int, int]], pivot_norm: list[str]
) -> str | Slot:
    token = pivot_norm[p]
    if not (token.startswith("⟨") and token.endswith("⟩")):
        origs = Counter(orig[m[p]] for (_, orig), m in zip(members, maps, strict=True) if p in m)
        return origs.most_common(1)[0][0]
    fillers = Counter(orig[m[p]] for (_, orig), m in zip(members, maps, strict=True) if p in m)
    return Slot(token, tuple(sorted(fillers.items(), key=lambda kv: (-kv[1], kv[0]))))


def cluster_templates(
    texts: pa.Table,
    spans: pa.Table | None,
    clusters: pa.Table,
    support: float = 0.8,
    sample: int = 60,
) -> pa.Table:
    """One row per text cluster: ``cluster_id``, ``n_ads``, ``template`` (rendered) and
    ``slots`` (JSON list of ``{label, fillers: [{text, n}]}``). ``clusters`` is
    ``TextLinks.clusters``; members are sampled in ad_id order (first ``sample``)."""
    chosen, sizes = template_members(clusters, sample)
    return member_templates(chosen, sizes, texts, spans, support, sample)


def template_members(
    clusters: pa.Table, sample: int = 60
) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Per cluster (``ad_id, cluster_id`` rows): the members a template aligns (the first
    ``sample`` in ad_id order) and the cluster's size. Only those members' texts are needed."""
    members: dict[str, list[str]] = {}
    for ad, cid in zip(
        clusters.column("ad_id").to_pylist(),
        clusters.column("cluster_id").to_pylist(),
        strict=True,
    ):
        members.setdefault(cid, []).append(ad)
    chosen = {cid: sorted(ads)[:sample] for cid, ads in members.items()}
    return chosen, {cid: len(ads) for cid, ads in members.items()}


def member_templates(
    chosen: dict[str, list[str]],
    sizes: dict[str, int],
    texts: pa.Table,
    spans: pa.Table | None,
    support: float = 0.8,
    sample: int = 60,
) -> pa.Table:
    """``cluster_templates`` from ``template_members``' choice; ``texts`` (``ad_id, text``)
    and ``spans`` (extraction rows) need only cover the chosen members."""
    from safelight.link.text import span_lists, tokenize

    wanted = pa.array(sorted({a for ads in chosen.values() for a in ads}), pa.string())
    texts = texts.filter(pc.is_in(texts.column("ad_id"), value_set=wanted))
    ad_ids = texts.column("ad_id").combine_chunks()
    # each cluster's members are tokenised only while its template is built: the token lists
    # of 120k texts at once would take a gigabyte
    found = dict(
        zip(
            ad_ids.to_pylist(),
            zip(texts.column("text").to_pylist(), span_lists(ad_ids, spans), strict=True),
            strict=True,
        )
    )
    rows: dict[str, list[object]] = {"cluster_id": [], "n_ads": [], "template": [], "slots": []}
    for cid in sorted(chosen):
        docs = [tokenize(*found[a]) for a in chosen[cid] if a in found]
        tpl = build_template(docs, support, sample)
        d = tpl.to_dict()
        rows["cluster_id"].append(cid)
        rows["n_ads"].append(sizes[cid])
        rows["template"].append(d["template"])
        rows["slots"].append(json.dumps(d["slots"], ensure_ascii=False))
    return pa.table(rows, schema=TEMPLATE_SCHEMA)
