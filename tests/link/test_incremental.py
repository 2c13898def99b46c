"""Incremental linking equals a full recompute; untouched networks keep their ids and rows."""

from __future__ import annotations

import random
from pathlib import Path

from tests.link_fixtures import add

from safelight.link import LinkSettings
from safelight.pipeline import run_link
from safelight.store import Store

CITIES = ["Dallas", "Tyler", "Waco", "Austin", "Lubbock"]


def _specs(n: int, seed: int) -> list[tuple[str, str, str | None, str, int, str | None]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        phone = f"+1903555{rng.randrange(40):04d}"
        photo = f"{rng.randrange(30):016x}" if rng.random() < 0.4 else None
        name = rng.choice(["Mia", "Kandi", None, None])
        out.append((f"p{seed}-{i}", phone, photo, rng.choice(CITIES), 1 + i % 27, name))
    return out


def _partition(store: Store) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for ad, net in store.network_assignment().items():
        groups.setdefault(net, set()).add(ad)
    return {frozenset(g) for g in groups.values()}


def test_incremental_run_equals_full_recompute(tmp_path: Path) -> None:
    settings = LinkSettings(max_group_ads=6)  # low: new ads push values over the limit
    first, more = _specs(60, 1), _specs(30, 2)
    with Store(tmp_path / "inc.duckdb") as inc:
        add(inc, first)
        run_link(inc, settings=settings)
        before = inc.network_assignment()
        add(inc, more)
        summary = run_link(inc, settings=settings)
        assert summary.incremental and summary.new_ads == 30
        assert summary.region_ads < 90
        inc_part = _partition(inc)
        inc_flags = set(map(tuple, inc.query("SELECT kind, value FROM link_flagged").to_pylist()))
        after = inc.network_assignment()
    with Store(tmp_path / "full.duckdb") as full:
        add(full, first + more)
        run_link(full, settings=settings)
        assert _partition(full) == inc_part
        flags = set(map(tuple, full.query("SELECT kind, value FROM link_flagged").to_pylist()))
        assert flags == inc_flags
    # networks whose membership did not change keep their ids
    by_id: dict[str, set[str]] = {}
    for ad, net in before.items():
        by_id.setdefault(net, set()).add(ad)
    for net, members in by_id.items():
        if frozenset(members) in inc_part:
            assert all(after[a] == net for a in members)


def test_a_value_newly_too_common_is_flagged_and_unlinks(tmp_path: Path) -> None:
    settings = LinkSettings(max_group_ads=3)
    with Store(tmp_path / "s.duckdb") as store:
        add(store, [(f"s{i}", "+18005550100", None, "Austin", 1 + i, None) for i in range(3)])
        run_link(store, settings=settings)
        assert store.network_assignment() and not store.query("SELECT * FROM link_flagged")
        add(store, [("s9", "+18005550100", None, "Austin", 9, None)])
        summary = run_link(store, settings=settings)
        assert summary.incremental
        assert store.network_assignment() == {}
        assert store.query("SELECT value FROM link_flagged")["value"].to_pylist() == [
            "+18005550100"
        ]
        assert store.query("SELECT * FROM link_edges WHERE kind = 'phone'").num_rows == 0


def test_a_reextracted_ad_relinks_every_ad(tmp_path: Path) -> None:
    """An ad extracted again may have lost values its stored links rest on: a full relink."""
    with Store(tmp_path / "s.duckdb") as store:
        add(store, _specs(20, 1))
        run_link(store)
        post_id, _, photo, place, day, name = _specs(20, 1)[0]
        add(store, [(post_id, "+15125550199", photo, place, day, name)])  # a new phone
        summary = run_link(store)
        assert summary.new_ads == 1 and not summary.incremental
        after = _partition(store)
        run_link(store, all=True)
        assert _partition(store) == after


def test_a_photo_only_link_outside_the_runs_scope_keeps_its_ad_in_the_network(
    tmp_path: Path,
) -> None:
    """a0 is linked to a1 by nothing but a shared photo (a star edge: no second hash in its
    detail); a new ad joins by phone with a photo of its own. The stored photo edge is outside
    the run's scope and must stay in the recomputed network with a0."""
    photo, other = "8f3a5c7e9b1d2f40", "0123456789abcdef"
    first = [
        ("q0", "+15125550100", photo, "Austin", 1, None),
        ("q1", "+15125550111", photo, "Austin", 2, None),
        ("q2", "+15125550111", None, "Austin", 3, None),
    ]
    more = [("q3", "+15125550111", other, "Austin", 4, None)]
    with Store(tmp_path / "inc.duckdb") as inc:
        add(inc, first)
        run_link(inc)
        add(inc, more)
        assert run_link(inc).incremental
        got = _partition(inc)
    with Store(tmp_path / "full.duckdb") as full:
        add(full, first + more)
        run_link(full)
        assert _partition(full) == got
    assert len(got) == 1 and len(next(iter(got))) == 4
