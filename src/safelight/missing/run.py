"""The missing-person stage over a store: import posters, match them with ads, review leads.

- ``import_posters(store, paths)``: ``iter_missing`` rows into ``store.missing`` in batches,
  with each local photo's pHash and the poster's blocking keys; rejects appended to a JSONL
  file exactly as ingest does for ads (``--strict`` stops at the first).
- ``run_match(store)``: incremental. The ads no run of this model version has seen become a new
  batch; new posters are compared with every ad and old posters with the new ads only. Blocking
  is one SQL join on key strings in the store; only the pairs it keeps are read back and scored
  (``MatchModel``, u estimated on a random sample of the corpus, prior ``expected_ads / n_ads``).
  The best ``LEADS_KEPT`` leads per case are kept, ranked.
- ``case_leads`` / ``review``: the leads of one case as plain data, and the append-only review.

Nothing here logs a personal field: counts only.
"""

from __future__ import annotations

import heapq
import itertools
import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyarrow as pa

from safelight.errors import StrictRejectError, UserError
from safelight.extract.base import Match
from safelight.extract.images import phash_file
from safelight.missing import features as ft
from safelight.missing.evidence import AdEvidence, Poster
from safelight.missing.model import LEAD_SCHEMA, Lead, MatchModel, ad_keys, compare, poster_keys
from safelight.missing.records import MISSING_SCHEMA, MissingPerson, iter_missing
from safelight.records import Reject, ad_text
from safelight.versioning import package_version

if TYPE_CHECKING:
    from safelight.store import Store

__all__ = [
    "DECISIONS",
    "ImportSummary",
    "MatchSummary",
    "case_leads",
    "import_posters",
    "missing_version",
    "person_from_row",
    "review",
    "run_match",
]

log = logging.getLogger(__name__)
ProgressFn = Callable[[str, int, "int | None"], None]
DECISIONS = ("confirm", "dismiss")
IMPORT_BATCH = 1_000
AD_CHUNK = 5_000  # ads whose evidence is built at once while scoring
LEADS_PER_CASE = 200
U_SAMPLE_ADS = 2_000
NAME_ANCHOR_P = 0.5  # a name anchors the network's circuit only in a probable lead


@dataclass(slots=True)
class ImportSummary:
    read: int = 0
    stored: int = 0
    rejected: int = 0
    photos: int = 0
    unreadable_photos: int = 0
    rejects_path: Path | None = None


@dataclass(slots=True)
class MatchSummary:
    posters: int = 0
    posters_compared: int = 0  # new posters (compared with every ad) plus old ones
    new_ads: int = 0
    ads: int = 0
    pairs: int = 0
    leads: int = 0
    lifted: int = 0  # pairs scored again because the ad is tied to an anchor ad of the case
    prior: float = 0.0
    version: str = ""
    seconds: float = 0.0


@cache
def missing_version() -> str:
    """A hash of the match code and data: a change makes the next run compare everything."""
    return package_version("safelight.missing")


# -- import ------------------------------------------------------------------------------------


class _RejectsFile:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._fh: IO[str] | None = None

    def write(self, reject: Reject) -> None:
        if self.path is None:
            return
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = self.path.open("a", encoding="utf-8")
        self._fh.write(json.dumps(reject.to_dict(), ensure_ascii=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


def _photo_hashes(person: MissingPerson, summary: ImportSummary) -> list[tuple[str, str | None]]:
    out = []
    for ref in person.photos:
        local = "://" not in ref and not ref.startswith("data:")
        value = phash_file(ref) if local else None
        summary.photos += 1
        summary.unreadable_photos += value is None
        out.append((ref, value))
    return out


def _store_batch(store: Store, persons: list[MissingPerson], summary: ImportSummary) -> None:
    if not persons:
        return
    unique = {p.case_id: p for p in persons}  # a case repeated in one batch: the last wins
    photos: dict[str, list[Any]] = {"case_id": [], "ref": [], "phash": []}
    keys: dict[str, list[str]] = {"case_id": [], "key": []}
    for person in unique.values():
        hashed = _photo_hashes(person, summary)
        for ref, value in hashed:
            photos["case_id"].append(person.case_id)
            photos["ref"].append(ref)
            photos["phash"].append(value)
        poster = Poster.from_person(person, [h for _, h in hashed if h])
        for key in sorted(poster_keys(poster)):
            keys["case_id"].append(person.case_id)
            keys["key"].append(key)
    table = pa.Table.from_pylist([p.to_row() for p in unique.values()], schema=MISSING_SCHEMA)
    summary.stored += store.missing.add_posters(
        table,
        pa.table(photos, schema=pa.schema([(n, pa.string()) for n in photos])),
        pa.table(keys, schema=pa.schema([(n, pa.string()) for n in keys])),
    )


def import_posters(
    store: Store,
    paths: Sequence[Path],
    *,
    rejects_path: Path | None = None,
    strict: bool = False,
) -> ImportSummary:
    """Read poster files into the store; a case imported again replaces the stored one."""
    summary = ImportSummary(rejects_path=rejects_path)
    rejects = _RejectsFile(rejects_path)
    batch: list[MissingPerson] = []
    try:
        for item in iter_missing(paths):
            summary.read += 1
            if isinstance(item, Reject):
                summary.rejected += 1
                rejects.write(item)
                if strict:
                    _store_batch(store, batch, summary)
                    raise StrictRejectError(
                        f"{item.message()} (--strict: stopped there; the {summary.stored:,} "
                        "posters before it are stored)"
                    )
                continue
            batch.append(item)
            if len(batch) >= IMPORT_BATCH:
                _store_batch(store, batch, summary)
                batch = []
        _store_batch(store, batch, summary)
    finally:
        rejects.close()
    log.info("posters: %d read, %d stored, %d rejected", summary.read, summary.stored,
             summary.rejected)  # fmt: skip
    return summary


# -- match -------------------------------------------------------------------------------------


def person_from_row(row: dict[str, Any]) -> MissingPerson:
    """A ``MissingPerson`` from a stored ``missing_persons`` row."""
    values = {k: row[k] for k in MISSING_SCHEMA.names if k in row}
    values["aliases"] = tuple(values.get("aliases") or ())
    values["photos"] = tuple(values.get("photos") or ())
    values["extra"] = json.loads(values["extra"]) if values.get("extra") else {}
    for key in ("height_cm", "weight_lb"):
        if values.get(key) is not None:
            values[key] = float(values[key])
    return MissingPerson(**values)


def _load_posters(store: Store) -> list[Poster]:
    rows = store.missing.posters().to_pylist()
    return [Poster.from_person(person_from_row(r), r["photo_hashes"]) for r in rows]


def _value(field: str, text: str) -> Any:
    if field == "age":
        try:
            return int(text)
        except ValueError:
            return None
    return text


def ad_evidence(ads: pa.Table, rows: pa.Table) -> list[AdEvidence]:
    """``AdEvidence`` for stored ads (``ad_id, posted_at, title, body``) from their extraction
    rows (``ad_id, field, value, text, start, end, detail``)."""
    found: dict[str, dict[str, list[Match]]] = defaultdict(lambda: defaultdict(list))
    for r in rows.to_pylist():
        value = _value(r["field"], r["value"])
        if value is None:
            continue
        detail = json.loads(r["detail"]) if r["detail"] else {}
        found[r["ad_id"]][r["field"]].append(
            Match(r["field"], value, r["text"] or "", r["start"], r["end"], detail)
        )
    out = []
    for ad in ads.to_pylist():
        posted: datetime | date | None = ad["posted_at"]
        text = ad_text(ad["title"], ad["body"])
        out.append(AdEvidence.from_matches(ad["ad_id"], posted, text, found.get(ad["ad_id"], {})))
    return out


def _key_table(values: Iterable[str], field: str) -> pa.Table:
    pairs: dict[str, list[str]] = {"value": [], "key": []}
    for value in values:
        probe = (
            AdEvidence("", None, names=(value,))
            if field == "name"
            else AdEvidence("", None, places=(value,))
        )
        for key in sorted(ad_keys(probe)):
            pairs["value"].append(value)
            pairs["key"].append(key)
    return pa.table(pairs, schema=pa.schema([("value", pa.string()), ("key", pa.string())]))


def _model(store: Store, posters: list[Poster], expected_ads: float) -> MatchModel:
    n_ads = max(1, store.missing.ads_seen())
    sample = store.missing.sample_ad_ids(U_SAMPLE_ADS)
    ads = ad_evidence(*store.missing.ad_inputs(sample)) if sample else []
    model = MatchModel.from_priors().estimate_u(posters, ads)
    return model.with_prior(min(0.5, max(1e-9, expected_ads / n_ads)))


_ANCHOR_SCHEMA = pa.schema([("case_id", pa.string()), ("ad_id", pa.string()),
                            ("kind", pa.string())])  # fmt: skip


def _anchor_kind(lead: Lead) -> str | None:
    """``"photo"``/``"name"`` when the ad's own photo or name is strong evidence for the case
    (a poster photo reused; the poster name or a spelling of it)."""
    levels = {c.feature: c.level for c in lead.contributions}
    if levels.get("photo") in ("same", "similar"):
        return "photo"
    if levels.get("name") in ("exact", "variant") and lead.match_probability >= NAME_ANCHOR_P:
        return "name"
    return None


def _best_per_ad(best: dict[str, list[tuple[float, str, Lead]]], keep: int) -> Iterator[Lead]:
    """Each case's best ``keep`` leads, one per ad (an ad scored again with the network
    feature keeps its better lead)."""
    for heap in best.values():
        by_ad: dict[str, Lead] = {}
        for _, ad_id, _, lead in heap:
            if ad_id not in by_ad or lead.match_weight > by_ad[ad_id].match_weight:
                by_ad[ad_id] = lead
        ranked = sorted(by_ad.values(), key=lambda x: (-x.match_weight, x.ad_id))
        yield from ranked[:keep]


def run_match(
    store: Store,
    *,
    all: bool = False,
    expected_ads: float = 3.0,
    progress: ProgressFn | None = None,
    leads_per_case: int = LEADS_PER_CASE,
) -> MatchSummary:
    """Compare the posters and ads not yet compared (``all``: everything again) and store the
    best leads per case; see the module docstring. ``expected_ads``: ads a person found in the
    corpus is expected to appear in (the prior is ``expected_ads / ads``)."""
    started = time.perf_counter()
    tables = store.missing
    if all:
        tables.reset()
    version = missing_version()
    batch, added = tables.begin_run(version)
    summary = MatchSummary(version=version, new_ads=added, ads=tables.ads_seen())
    posters = _load_posters(store)
    summary.posters = len(posters)
    summary.posters_compared = tables.pending_posters(batch)
    if posters and summary.posters_compared:
        model = _model(store, posters, expected_ads)
        summary.prior = model.prior
        by_case = {p.person.case_id: p for p in posters}
        names = _key_table(tables.distinct_values("name"), "name")
        places = _key_table(tables.distinct_values("place"), "place")
        best: dict[str, list[tuple[float, str, int, Lead]]] = defaultdict(list)
        seq = itertools.count()
        pending: list[tuple[str, str]] = []
        anchors: dict[str, list[str]] = {"case_id": [], "ad_id": [], "kind": []}
        ties: dict[tuple[str, str], dict[str, Any]] = {}

        def keep(lead: Lead) -> None:
            heap = best[lead.case_id]
            item = (lead.match_weight, lead.ad_id, next(seq), lead)
            if len(heap) < leads_per_case:
                heapq.heappush(heap, item)
            elif item[:2] > heap[0][:2]:
                heapq.heapreplace(heap, item)

        def score(pairs: list[tuple[str, str]]) -> None:
            ad_ids = list(dict.fromkeys(ad for _, ad in pairs))
            evidence = {e.ad_id: e for e in ad_evidence(*tables.ad_inputs(ad_ids))}
            for case_id, ad_id in pairs:
                if ad_id not in evidence:
                    continue
                tie = ties.get((case_id, ad_id))
                if tie is None:
                    lead = model.score(by_case[case_id], evidence[ad_id])
                    kind = _anchor_kind(lead)
                    if kind:
                        anchors["case_id"].append(case_id)
                        anchors["ad_id"].append(ad_id)
                        anchors["kind"].append(kind)
                else:
                    own = compare(by_case[case_id], evidence[ad_id])
                    extra = ft.compare_network(
                        own, tie["kind"], tie["via"], tie["value"], tie["anchor_post"],
                        tie["network_id"],
                    )  # fmt: skip
                    lead = model.score(by_case[case_id], evidence[ad_id], (extra,))
                keep(lead)
            summary.pairs += len(pairs)
            if progress is not None:
                progress("match", summary.pairs, None)

        last_ad = None
        for record in tables.candidate_pairs(batch, names, places):
            cols = record.to_pydict()
            for case_id, ad_id in zip(cols["case_id"], cols["ad_id"], strict=True):
                if ad_id != last_ad and len({a for _, a in pending}) >= AD_CHUNK:
                    score(pending)
                    pending = []
                pending.append((case_id, ad_id))
                last_ad = ad_id
        if pending:
            score(pending)
            pending = []
        if anchors["case_id"]:  # the network's circuit: ads tied to an anchor, scored again
            tied = tables.linked_ads(pa.table(anchors, schema=_ANCHOR_SCHEMA)).to_pylist()
            ties.update({(t["case_id"], t["ad_id"]): t for t in tied})
            for row in tied:
                pending.append((row["case_id"], row["ad_id"]))
                if len(pending) >= AD_CHUNK:
                    score(pending)
                    pending = []
            if pending:
                score(pending)
            summary.lifted = len(tied)
        leads = [lead.to_row() for lead in _best_per_ad(best, leads_per_case)]
        summary.leads = len(leads)
        tables.write_leads(pa.Table.from_pylist(leads, schema=LEAD_SCHEMA), version)
    tables.finish_run(batch, version, leads_per_case)
    summary.seconds = time.perf_counter() - started
    log.info(
        "missing match: %d posters compared, %d pairs scored, %d leads in %.1fs",
        summary.posters_compared,
        summary.pairs,
        summary.leads,
        summary.seconds,
    )
    return summary


# -- leads and reviews -------------------------------------------------------------------------


def case_leads(store: Store, case_id: str, limit: int = 50) -> list[dict[str, Any]]:
    """The ranked leads of one case as plain data: probability, each contribution with its
    words, the ad (source, post id, date, text) and its network id when links exist."""
    if not store.missing.has_case(case_id):
        raise UserError(f"no missing-person case {case_id!r} in this database")
    rows = store.missing.leads(case_id, limit).to_pylist()
    for row in rows:
        row["contributions"] = json.loads(row["contributions"])
    return rows


def review(store: Store, case_id: str, ad_id: str, decision: str, note: str, reviewer: str) -> None:
    """Record a reviewer's decision on a lead (appended; earlier decisions stay)."""
    if decision not in DECISIONS:
        raise UserError(f"decision must be one of {', '.join(DECISIONS)}")
    if not note.strip():
        raise UserError("--note must say why (it is kept with the decision)")
    if not reviewer.strip():
        raise UserError("--reviewer must name who decided")
    if not store.missing.has_case(case_id):
        raise UserError(f"no missing-person case {case_id!r} in this database")
    found = store.query("SELECT count(*) AS n FROM ads WHERE ad_id = ?", [ad_id])
    if not found.column("n")[0].as_py():
        raise UserError(f"no ad {ad_id!r} in this database")
    store.missing.add_review(case_id, ad_id, decision, note.strip(), reviewer.strip())
