"""The missing-person stage over a store: import posters, match them with ads, review leads.

- ``import_posters(store, paths)`` (``importing.py``): posters into ``store.missing``.
- ``run_match(store)``: incremental. Ads get their match evidence stored once
  (``adstore.fill_evidence``). The ads no run of this model version has seen become a new
  batch; new posters are compared with every ad and old posters with the new ads only. Two
  passes: SQL blocks every pair and sums the log2 Bayes factors of the levels it can compute
  (``Store.missing.evidence.first_pass``; never below the full weight), keeping each case's
  best pairs and its anchor pairs; Python then scores fully, with the explanation, only the
  pairs that can reach the case's best ``leads_per_case`` (``rescore.select_leads``: exact, a
  threshold algorithm). Ads tied to an anchor ad (the network's circuit) are candidates too.
  u is estimated on a random sample of stored evidence, the prior is ``expected_ads / n_ads``.
- ``case_leads`` / ``review``: the leads of one case as plain data, and the append-only review.

Nothing here logs a personal field: counts only.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from safelight.errors import UserError
from safelight.missing import firstpass
from safelight.missing.adstore import ad_evidence, evidence_from_row, fill_evidence
from safelight.missing.evidence import Poster
from safelight.missing.face_match import FACES_MISSING, FaceHook
from safelight.missing.faces import available as face_model_available
from safelight.missing.importing import ImportSummary, import_posters
from safelight.missing.matching import TwoPass
from safelight.missing.model import MatchModel
from safelight.missing.records import MISSING_SCHEMA, MissingPerson
from safelight.missing.rescore import ExtraComparisons, Rescorer
from safelight.versioning import package_version

if TYPE_CHECKING:
    from safelight.store import Store

__all__ = [
    "DECISIONS",
    "EXPECTED_ADS",
    "ImportSummary",
    "MatchSummary",
    "ad_evidence",
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
LEADS_PER_CASE = 200
U_SAMPLE_ADS = 2_000
NETWORK = ("photo", "name")


@dataclass(slots=True)
class MatchSummary:
    posters: int = 0
    posters_compared: int = 0  # new posters (compared with every ad) plus old ones
    new_ads: int = 0
    ads: int = 0
    evidence_filled: int = 0  # ads whose match evidence was read this run
    pairs: int = 0  # pairs blocked and scored in SQL
    rescored: int = 0  # pairs scored fully (Python, with explanations)
    faces_compared: int = 0  # pairs whose ad pictures were compared with the poster's face
    leads: int = 0
    lifted: int = 0  # ads tied to an anchor ad of a case (the network's circuit)
    prior: float = 0.0
    version: str = ""
    seconds: float = 0.0


@cache
def missing_version() -> str:
    """A hash of the match code and data: a change makes the next run compare everything."""
    return package_version("safelight.missing")


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
    out = []
    for r in rows:  # the SQL pass compares 64-bit pHashes: so does Python
        hashes = [h for h in r["photo_hashes"] if len(h) == 16]
        out.append(Poster.from_person(person_from_row(r), hashes))
    return out


# Ads a person found in the corpus is expected to appear in (the prior is this over the ads).
EXPECTED_ADS = 3.0


def _model(store: Store, posters: list[Poster], expected_ads: float) -> MatchModel:
    n_ads = max(1, store.missing.ads_seen())
    sample = store.missing.evidence.sample(U_SAMPLE_ADS).to_pylist()
    ads = [evidence_from_row(r) for r in sample]
    model = MatchModel.from_priors().estimate_u(posters, ads)
    return model.with_prior(min(0.5, max(1e-9, expected_ads / n_ads)))


def _face_hook(store: Store, faces: bool | None) -> FaceHook | None:
    if faces and not face_model_available():
        raise UserError(FACES_MISSING)
    if faces is False or not face_model_available():
        return None
    return FaceHook(store)


def run_match(
    store: Store,
    *,
    all: bool = False,
    expected_ads: float = EXPECTED_ADS,
    progress: ProgressFn | None = None,
    leads_per_case: int = LEADS_PER_CASE,
    extra: ExtraComparisons | None = None,
    extra_bound: float = 0.0,
    faces: bool | None = None,
) -> MatchSummary:
    """Compare the posters and ads not yet compared (``all``: everything again) and store the
    best leads per case; see the module docstring. ``expected_ads``: ads a person found in the
    corpus is expected to appear in (the prior is ``expected_ads / ads``). ``extra``: a hook
    giving more comparisons (e.g. faces) for the pairs scored fully; ``extra_bound``: the most
    log2 weight they can add to a pair (keeps the best ``leads_per_case`` exact). ``faces``:
    compare poster faces with the pictures of each case's best pairs (``face_match.FaceHook``;
    None: when the optional models are installed and a poster has a face; used when no other
    ``extra`` hook is given)."""
    started = time.perf_counter()
    tables = store.missing
    if all:
        tables.reset()
    filled = fill_evidence(
        store, progress=(lambda n: progress("evidence", n, None)) if progress else None
    )
    version = missing_version()
    batch, added = tables.begin_run(version)
    summary = MatchSummary(version=version, new_ads=added, ads=tables.ads_seen(),
                           evidence_filled=filled)  # fmt: skip
    posters = _load_posters(store)
    summary.posters = len(posters)
    summary.posters_compared = tables.pending_posters(batch)
    if posters and summary.posters_compared:
        model = _model(store, posters, expected_ads)
        summary.prior = model.prior
        by_case = {p.person.case_id: p for p in posters}
        weights, prior_weight = firstpass.sql_weights(model)
        hook = _face_hook(store, faces) if extra is None else None
        if hook:
            extra = hook
        run = TwoPass(
            store, batch, firstpass.poster_table(posters),
            firstpass.name_levels(posters, tables.evidence.distinct_names()), weights,
            prior_weight, {k: math.log2(model.bayes_factor("network", k)) for k in NETWORK},
            Rescorer(store, model, by_case, extra), leads_per_case, version, extra_bound,
            summary.ads,
        )  # fmt: skip
        run.run((lambda n: progress("match", n, None)) if progress else None)
        summary.pairs, summary.lifted, summary.leads = run.pairs, run.lifted, run.leads
        summary.rescored = run.rescorer.scored
        summary.faces_compared = hook.compared if hook else 0
    tables.finish_run(batch, version, leads_per_case)
    summary.seconds = time.perf_counter() - started
    log.info(
        "missing match: %d posters compared, %d pairs blocked, %d scored fully, %d leads in %.1fs",
        summary.posters_compared,
        summary.pairs,
        summary.rescored,
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
