"""The two passes of a match run, a group of posters at a time.

For each group: the SQL first pass blocks and scores every pair not yet compared and returns
each case's best ``keep + 1`` pairs and its anchor candidates; anchors are settled
(``_anchors``), ads tied to them are scored in SQL (``TwoPass.tied``); ``rescore.select_leads``
scores fully, in Python, the pairs that can reach the case's best ``keep``, and the leads are
written. The next group's first pass runs in a worker thread meanwhile (DuckDB releases the
GIL), so SQL and Python overlap on two cores. Posters per query are bounded so DuckDB's
memory stays within its limit however large the store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from safelight.missing.model import LEAD_SCHEMA, Lead
from safelight.missing.rescore import Candidate, Rescorer, select_leads

if TYPE_CHECKING:
    from safelight.store import Store
    from safelight.store.missing_evidence import MissingEvidence

__all__ = ["NAME_ANCHOR_P", "SQL_PAIRS_PER_QUERY", "TwoPass", "anchor_kind"]

NAME_ANCHOR_P = 0.5  # a name anchors the network's circuit only in a probable lead
SQL_PAIRS_PER_QUERY = 50_000_000  # posters x ads per first-pass query (bounds DuckDB memory)
MIN_POSTERS_PER_QUERY = 16
CASES_PER_BATCH = 100  # cases scored fully together (bounds the evidence and leads in memory)
_ANCHOR_SCHEMA = pa.schema([("case_id", pa.string()), ("ad_id", pa.string()),
                            ("kind", pa.string())])  # fmt: skip
_PAIR_SCHEMA = pa.schema([("case_id", pa.string()), ("ad_id", pa.string())])


def anchor_kind(lead: Lead) -> str | None:
    """``"photo"``/``"name"`` when the ad's own photo or name is strong evidence for the case
    (a poster photo reused; the poster name or a spelling of it, in a probable lead)."""
    levels = {c.feature: c.level for c in lead.contributions}
    if levels.get("photo") in ("same", "similar"):
        return "photo"
    if levels.get("name") in ("exact", "variant") and lead.match_probability >= NAME_ANCHOR_P:
        return "name"
    return None


@dataclass(slots=True)
class TwoPass:
    """One match run: its inputs to the SQL pass and its Python rescorer."""

    store: Store
    batch: int
    posters: pa.Table  # firstpass.POSTER_SCHEMA
    names: pa.Table  # firstpass.name_levels
    weights: dict[str, dict[str, float]]
    prior_weight: float
    network: dict[str, float]  # log2 Bayes factor of the network feature's levels
    rescorer: Rescorer
    keep: int
    version: str
    slack: float = 0.0  # the most the extra hook adds to a pair's weight
    n_ads: int = 1
    pairs: int = 0
    lifted: int = 0
    leads: int = 0
    _photos: pa.Table | None = field(default=None, repr=False)

    def groups(self, cases: list[str] | None = None) -> Iterator[pa.Table]:
        posters = self.posters
        if cases is not None:
            posters = posters.filter(pc.is_in(posters["case_id"], pa.array(cases)))
        size = max(MIN_POSTERS_PER_QUERY, min(1000, SQL_PAIRS_PER_QUERY // max(1, self.n_ads)))
        for start in range(0, posters.num_rows, size):
            yield posters.slice(start, size)

    def first(self, evidence: MissingEvidence, group: pa.Table, top: int) -> list[dict[str, Any]]:
        """The SQL first pass for a group of posters (safe in a worker thread with its own
        ``evidence`` cursor)."""
        if self._photos is None:
            self._photos = evidence.photo_pairs(self.batch, self.posters)
        names = self.names.filter(pc.is_in(self.names["case_id"], group["case_id"]))
        # the group's own photo pairs: a small table DuckDB then builds its hash join on
        photos = self._photos.filter(pc.is_in(self._photos["case_id"], group["case_id"]))
        return evidence.first_pass(
            self.batch, group, names, photos, self.weights, self.prior_weight, top, self.slack,
        ).to_pylist()  # fmt: skip

    def run(self, progress: Callable[[int], None] | None = None) -> None:
        """Both passes for every poster, the next group's SQL overlapping this group's Python.
        One query in flight, on DuckDB's own threads: at 1M ads x 1,000 posters on 2 cores
        that took 141 s against 240 s for two single-threaded queries side by side."""
        top = self.keep + 1
        again: list[str] = []
        worker = self.store.missing.evidence.for_thread()
        try:
            with ThreadPoolExecutor(1) as pool:
                groups = list(self.groups())
                if groups:
                    self._photos = self.store.missing.evidence.photo_pairs(self.batch, self.posters)
                future = pool.submit(self.first, worker, groups[0], top) if groups else None
                for i in range(len(groups)):
                    assert future is not None
                    rows = future.result()
                    if i + 1 < len(groups):
                        future = pool.submit(self.first, worker, groups[i + 1], top)
                    self.pairs += sum(r["pairs"] for r in rows)
                    again.extend(self._second(rows, top))
                    if progress is not None:
                        progress(self.pairs)
        finally:
            worker.close()
        while again:  # rare: more SQL candidates for the cases not yet certain
            top = min(top * 4, 999_999)
            evidence = self.store.missing.evidence
            rows = [r for g in self.groups(again) for r in self.first(evidence, g, top)]
            again = self._second(rows, top, count=False)

    def _second(self, rows: list[dict[str, Any]], top: int, count: bool = True) -> list[str]:
        """Anchors, tied ads and the Python pass for one group's first-pass rows; writes the
        leads of the settled cases and returns the others."""
        anchors, anchor_leads = self._anchors(rows)
        tied: dict[str, list[dict[str, Any]]] = defaultdict(list)
        if anchors["case_id"]:  # the network's circuit
            for t in self.tied(anchors):
                tied[t["case_id"]].append(t)
            if count:
                self.lifted += sum(len(v) for v in tied.values())
        cases = _candidates(rows, top, tied)
        ids = sorted(cases)
        unresolved: list[str] = []
        for start in range(0, len(ids), CASES_PER_BATCH):  # bounds the leads held in memory
            batch = {c: cases[c] for c in ids[start : start + CASES_PER_BATCH]}
            best, open_cases = select_leads(
                batch, self.rescorer, self.keep, slack=self.slack, scored=anchor_leads
            )
            self.rescorer.forget()
            done = [x.to_row() for c, v in best.items() if c not in open_cases for x in v]
            table = pa.Table.from_pylist(done, schema=LEAD_SCHEMA)
            self.store.missing.write_leads(table, self.version)
            self.leads += len(done)
            unresolved.extend(open_cases)
        return unresolved

    def tied(self, anchors: dict[str, list[str]]) -> list[dict[str, Any]]:
        """Ads tied to the anchors, with their own SQL score plus the network's weight."""
        tied = self.store.missing.linked_ads(pa.table(anchors, schema=_ANCHOR_SCHEMA))
        if not tied.num_rows:
            return []
        own = self.store.missing.evidence.score_pairs(
            tied.select(["case_id", "ad_id"]).cast(_PAIR_SCHEMA), self.posters, self.names,
            self.weights, self.prior_weight,
        ).to_pylist()  # fmt: skip
        scores = {(r["case_id"], r["ad_id"]): r for r in own}
        out = []
        for t in tied.to_pylist():
            s = scores.get((t["case_id"], t["ad_id"]))
            if s is None:
                continue
            if t["kind"] == "photo":
                strong = s["photo_d"] is not None and s["photo_d"] <= 10
            else:
                strong = s["rank"] <= 1
            t["bound"] = s["score"] + (0.0 if strong else self.network[t["kind"]])
            out.append(t)
        return out

    def _anchors(
        self, rows: list[dict[str, Any]]
    ) -> tuple[dict[str, list[str]], dict[str, list[Lead]]]:
        """The anchor pairs among the first pass's candidates (``anchor_kind``): a photo within
        distance 10 is one by its level alone; a name needs probability 0.5, which the SQL score
        (the full weight but for float noise) decides except near 0, where the pair is scored
        fully (those leads are returned too). With an ``extra`` hook, which may add or take
        away weight, every name candidate is scored fully."""
        hooked = self.rescorer.extra is not None
        out: dict[str, list[str]] = {"case_id": [], "ad_id": [], "kind": []}
        unsure: list[tuple[str, str, None]] = []

        def add(case_id: str, ad_id: str, kind: str) -> None:
            for key, value in zip(out, (case_id, ad_id, kind), strict=True):
                out[key].append(value)

        for row in rows:
            for a in row["anchors"]:
                if a["photo_d"] is not None and a["photo_d"] <= 10:
                    add(row["case_id"], a["ad_id"], "photo")
                elif a["score"] > 1e-6 and not hooked:
                    add(row["case_id"], a["ad_id"], "name")
                elif a["score"] >= -self.slack - 1e-6:
                    unsure.append((row["case_id"], a["ad_id"], None))
        leads: dict[str, list[Lead]] = defaultdict(list)
        for lead in self.rescorer.score(unsure):
            leads[lead.case_id].append(lead)
            if kind := anchor_kind(lead):
                add(lead.case_id, lead.ad_id, kind)
        return out, leads


def _candidates(
    rows: list[dict[str, Any]], top: int, tied: dict[str, list[dict[str, Any]]]
) -> dict[str, tuple[list[Candidate], Candidate | None]]:
    out = {}
    for row in rows:
        items = row["top"] or []
        rest = None
        if len(items) >= top:  # the last one stands for every pair not fetched
            last = items[-1]
            rest = Candidate(last["score"], last["ad_id"])
            items = items[:-1]
        cands = [Candidate(i["score"], i["ad_id"]) for i in items]
        cands += [Candidate(t["bound"], t["ad_id"], t) for t in tied.get(row["case_id"], ())]
        out[row["case_id"]] = (cands, rest)
    for case_id, ties in tied.items():
        if case_id not in out:
            out[case_id] = ([Candidate(t["bound"], t["ad_id"], t) for t in ties], None)
    return out
