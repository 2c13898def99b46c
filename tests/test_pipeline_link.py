"""``pipeline.run_link``: networks in the store, stable ids, reruns only when ads arrive."""

from __future__ import annotations

from pathlib import Path

from tests.link_fixtures import BASE, add

from safelight.pipeline import run_link
from safelight.store import Store


def _groups(store: Store) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for ad, net in store.network_assignment().items():
        out.setdefault(net, set()).add(ad)
    return out


def test_run_link_finds_the_network_and_skips_when_nothing_is_new(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        ads = add(store, BASE)
        first = run_link(store)
        assert not first.skipped and first.new_ads == 5
        assert first.networks == 1 and first.linked_ads == 3 and first.largest == 3
        assert list(_groups(store).values()) == [{a.ad_id for a in ads[:3]}]
        kinds = set(store.query("SELECT DISTINCT kind FROM link_edges")["kind"].to_pylist())
        assert {"phone", "image"} <= kinds
        again = run_link(store)
        assert again.skipped and again.new_ads == 0


def test_new_ads_keep_network_ids_stable(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        ads = add(store, BASE)
        run_link(store)
        (old_id,) = _groups(store)
        # a new ad with the network's phone joins it; two new ads sharing a phone make a new one
        new = add(
            store,
            [
                ("a3", "+19035550122", None, "Lubbock", 9, None),
                ("c0", "+18065550155", None, "Lubbock", 9, None),
                ("c1", "+18065550155", None, "Lubbock", 10, None),
            ],
        )
        summary = run_link(store)
        assert summary.new_ads == 3 and summary.kept_ids == 1
        groups = _groups(store)
        assert groups[old_id] == {a.ad_id for a in [*ads[:3], new[0]]}
        (other,) = set(groups) - {old_id}
        assert groups[other] == {new[1].ad_id, new[2].ad_id}
        assert other > old_id  # a fresh id, never a reused one
        # --all over unchanged ads gives the same ids
        run_link(store, all=True)
        assert _groups(store) == groups


def test_a_too_common_phone_is_flagged_not_linked(tmp_path: Path) -> None:
    from safelight.link import LinkSettings

    with Store(tmp_path / "s.duckdb") as store:
        specs = [(f"s{i}", "+18005550100", None, "Austin", 1 + i % 20, None) for i in range(6)]
        add(store, specs)
        summary = run_link(store, settings=LinkSettings(max_group_ads=4))
        assert summary.networks == 0 and summary.flagged == 1
        flagged = store.query("SELECT kind, value FROM link_flagged").to_pylist()
        assert flagged == [{"kind": "phone", "value": "+18005550100"}]
