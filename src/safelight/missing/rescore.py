"""The second pass: the full Python comparison, with its explanation, for each case's best pairs.

The SQL first pass gives every blocked pair a score that is never below its full model weight
(``bound``): the same levels and weights for the SQL-computed features, level boundaries read
with a little slack, and ``extra_bound`` added for comparisons only Python makes (the ``extra``
hook, e.g. faces). ``select_leads`` then runs the threshold algorithm per case: it scores pairs
fully in the order of their bounds and stops once the ``keep``-th best full weight ranks before
the next pair's bound (weight, then ad id, as the leads are ranked); every pair left unscored
has a bound below it, so the leads kept are exactly the full model's best ``keep``. A case whose
fetched candidates run out first is returned as ``unresolved`` (the caller asks SQL for more).

Ads tied to an anchor ad (the network's circuit) are candidates too, bounded by their own score
plus the network feature's weight, and scored fully with ``compare_network``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from safelight.missing import features as ft
from safelight.missing.adstore import evidence_from_row
from safelight.missing.evidence import AdEvidence, Poster
from safelight.missing.model import Lead, MatchModel, compare

if TYPE_CHECKING:
    from safelight.store import Store

__all__ = ["TOLERANCE", "Candidate", "ExtraComparisons", "Rescorer", "select_leads"]

# Comparisons made outside ``compare`` for a list of (case_id, ad_id) pairs, e.g. faces:
# ``extra(pairs) -> {(case_id, ad_id): Comparison or [Comparison, ...]}`` (pairs missing from the
# map: none). A comparison of a feature ``compare`` also makes (``face``) replaces that one.
ExtraComparisons = Callable[
    [Sequence[tuple[str, str]]],
    Mapping[tuple[str, str], ft.Comparison | Sequence[ft.Comparison]],
]
TOLERANCE = 1e-9  # float noise between the SQL and Python sums


@dataclass(frozen=True, slots=True)
class Candidate:
    bound: float  # never below the pair's full weight
    ad_id: str
    tie: dict[str, Any] | None = None  # linked_ads row when the ad is tied to an anchor


@dataclass(slots=True)
class Rescorer:
    """Full Python scoring of (case, ad, tie) pairs, evidence read from the store in bulk."""

    store: Store
    model: MatchModel
    posters: Mapping[str, Poster]
    extra: ExtraComparisons | None = None
    scored: int = 0
    _evidence: dict[str, AdEvidence] = field(default_factory=dict)

    def forget(self) -> None:
        self._evidence.clear()

    def score(self, pairs: Sequence[tuple[str, str, dict[str, Any] | None]]) -> list[Lead]:
        missing = list(dict.fromkeys(ad for _, ad, _ in pairs if ad not in self._evidence))
        if missing:
            for row in self.store.missing.evidence.rows(missing).to_pylist():
                self._evidence[row["ad_id"]] = evidence_from_row(row)
        extras = self.extra([(c, a) for c, a, _ in pairs]) if self.extra and pairs else {}
        out = []
        for case_id, ad_id, tie in pairs:
            ad = self._evidence.get(ad_id)
            if ad is None:
                continue
            poster = self.posters[case_id]
            own = compare(poster, ad)
            found = extras.get((case_id, ad_id), ())
            given = (found,) if isinstance(found, ft.Comparison) else tuple(found)
            if given:  # the hook's comparison of a feature replaces compare()'s (e.g. face)
                hooked = {c.feature for c in given}
                own = (*(c for c in own if c.feature not in hooked), *given)
            network = ()
            if tie is not None:
                network = (
                    ft.compare_network(own, tie["kind"], tie["via"], tie["value"],
                                       tie["anchor_post"], tie["network_id"]),
                )  # fmt: skip
            out.append(self.model.score(poster, ad, network, comparisons=own))
        self.scored += len(out)
        return out


def _before(lead: Lead, bound: float, ad_id: str, slack: float) -> bool:
    """Does ``lead`` rank before every pair whose weight is at most ``bound`` (+ ``slack``)?"""
    if lead.match_weight > bound + slack + TOLERANCE:
        return True
    return slack == 0 and abs(lead.match_weight - bound) <= TOLERANCE and lead.ad_id < ad_id


@dataclass(slots=True)
class _Case:
    candidates: list[Candidate]
    rest: Candidate | None  # the best pair not fetched (None: all fetched)
    at: int = 0
    leads: dict[str, Lead] = field(default_factory=dict)
    done: set[tuple[str, bool]] = field(default_factory=set)  # (ad_id, scored with its tie)

    def add(self, lead: Lead) -> None:
        old = self.leads.get(lead.ad_id)
        if old is None or lead.match_weight > old.match_weight:
            self.leads[lead.ad_id] = lead

    def best(self, keep: int) -> list[Lead]:
        return sorted(self.leads.values(), key=lambda x: (-x.match_weight, x.ad_id))[:keep]

    def settled(self, keep: int, slack: float) -> bool:
        """True when no unscored pair can enter the best ``keep``."""
        while self.at < len(self.candidates) and self._scored(self.candidates[self.at]):
            self.at += 1  # scored already (an anchor), or listed twice
        nxt = self.candidates[self.at] if self.at < len(self.candidates) else self.rest
        if nxt is None:
            return True
        best = self.best(keep)
        return len(best) == keep and _before(best[-1], nxt.bound, nxt.ad_id, slack)

    def _scored(self, c: Candidate) -> bool:
        return (c.ad_id, c.tie is not None) in self.done

    def exhausted(self) -> bool:
        return self.at >= len(self.candidates)


def select_leads(
    cases: Mapping[str, tuple[list[Candidate], Candidate | None]],
    rescorer: Rescorer,
    keep: int,
    *,
    slack: float = 0.0,
    scored: Mapping[str, Iterable[Lead]] | None = None,
    chunk: int | None = None,
) -> tuple[dict[str, list[Lead]], list[str]]:
    """Each case's exact best ``keep`` leads, and the cases whose fetched candidates ran out
    before that was certain. ``cases``: case -> (candidates, best unfetched pair or None);
    ``scored``: leads already computed (anchors); ``slack``: the most the ``extra`` hook adds."""
    state: dict[str, _Case] = {}
    for case_id, (cands, rest) in cases.items():
        ordered = sorted(cands, key=lambda c: (-c.bound, c.ad_id))
        state[case_id] = _Case(ordered, rest)
        for lead in (scored or {}).get(case_id, ()):
            state[case_id].add(lead)
            state[case_id].done.add((lead.ad_id, False))
    step = chunk or keep
    open_cases = [c for c, s in state.items() if not s.settled(keep, slack)]
    unresolved: list[str] = []
    while open_cases:
        pairs: list[tuple[str, str, dict[str, Any] | None]] = []
        for case_id in open_cases:
            s = state[case_id]
            want = step if len(s.leads) >= keep else max(step, keep - len(s.leads))
            taken = 0
            while s.at < len(s.candidates) and taken < want:
                c = s.candidates[s.at]
                s.at += 1
                if not s._scored(c):
                    s.done.add((c.ad_id, c.tie is not None))
                    pairs.append((case_id, c.ad_id, c.tie))
                    taken += 1
        for lead in rescorer.score(pairs):
            state[lead.case_id].add(lead)
        still = []
        for case_id in open_cases:
            s = state[case_id]
            if s.settled(keep, slack):
                continue
            if s.exhausted():
                unresolved.append(case_id)
            else:
                still.append(case_id)
        open_cases = still
    return {c: s.best(keep) for c, s in state.items()}, unresolved
