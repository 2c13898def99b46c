from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from tests.link_fixtures import BASE, add

from safelight.link import EDGE_SCHEMA, FLAGGED_SCHEMA, TEMPLATE_SCHEMA
from safelight.store import Store


def test_migration_003_creates_the_link_tables(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        assert store.schema_version >= 3
        for table in (
            "link_edges",
            "link_flagged",
            "text_clusters",
            "text_templates",
            "networks",
            "linked_ads",
            "link_runs",
        ):
            assert store.query(f"SELECT count(*) AS n FROM {table}")["n"][0].as_py() == 0


def _write(store: Store, ads: list, network_id: str) -> None:
    edges = pa.Table.from_pylist(
        [
            {
                "ad_a": ads[0].ad_id,
                "ad_b": ads[1].ad_id,
                "kind": "phone",
                "value": "+1",
                "weight": 1.0,
                "detail": None,
            }
        ],
        schema=EDGE_SCHEMA,
    )
    store.write_links(
        edges=edges,
        flagged=FLAGGED_SCHEMA.empty_table(),
        clusters=pa.table(
            {"ad_id": pa.array([], pa.string()), "cluster_id": pa.array([], pa.string())}
        ),
        templates=TEMPLATE_SCHEMA.empty_table(),
        networks=pa.table(
            {"ad_id": [ads[0].ad_id, ads[1].ad_id], "network_id": [network_id, network_id]}
        ),
        linked=[a.ad_id for a in ads],
        version="v1",
    )


def test_write_links_replaces_everything_and_records_coverage(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        ads = add(store, BASE)
        assert store.count_to_link(version="v1") == 5
        _write(store, ads, "N00000001")
        _write(store, ads, "N00000002")  # a second write replaces, never appends
        assert store.network_assignment() == {ads[0].ad_id: "N00000002", ads[1].ad_id: "N00000002"}
        assert store.query("SELECT count(*) AS n FROM link_edges")["n"][0].as_py() == 1
        assert store.count_to_link(version="v1") == 0
        assert store.count_to_link(version="v2") == 5
        assert store.network_of(ads[4].ad_id) == f"S{ads[4].ad_id}"
        runs = store.query("SELECT count(*) AS n FROM link_runs")["n"][0].as_py()
        assert runs == 2
        # every ad appears in the export rows, singletons with their own id
        rows = pa.Table.from_batches(list(store.network_rows())).to_pylist()
        assert len(rows) == 5
        assert {r["network_id"] for r in rows} >= {"N00000002", f"S{ads[4].ad_id}"}


def test_reextracting_an_ad_makes_it_due_for_linking(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        ads = add(store, BASE)
        _write(store, ads, "N00000001")
        add(store, BASE[:1])  # same ad, extracted again
        assert store.count_to_link(version="v1") == 1


def test_link_inputs_are_read_in_batches(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        add(store, BASE)
        batches = list(store.link_extractions(batch_size=2))
        assert len(batches) > 1
        assert (
            sum(b.num_rows for b in batches)
            == store.query("SELECT count(*) AS n FROM extractions")["n"][0].as_py()
        )
        texts = pa.Table.from_batches(list(store.link_texts(batch_size=2)))
        assert texts.num_rows == 5 and all(
            t.startswith("title ") for t in texts["text"].to_pylist()
        )
        context = store.link_context().to_pylist()
        assert {c["place"] for c in context} == {
            "Dallas, TX",
            "Tyler, TX",
            "Waco, TX",
            "Austin, TX",
        }


def test_migration_006_creates_the_link_index(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        assert store.schema_version >= 6
        for table in ("link_text_bands", "link_text_pairs", "link_image_hashes"):
            assert store.query(f"SELECT count(*) AS n FROM {table}")["n"][0].as_py() == 0
        for table in ("link_text_keys", "link_text_sigs"):
            cols = store.query(f"DESCRIBE {table}")["column_name"].to_pylist()
            assert "tid" in cols


def test_a_full_link_stores_the_index_an_incremental_run_reads(tmp_path: Path) -> None:
    from safelight.pipeline import run_link

    with Store(tmp_path / "s.duckdb") as store:
        add(store, BASE)
        run_link(store)
        hashes = store.query("SELECT * FROM link_image_hashes").to_pylist()
        assert [(h["n_ads"], h["flagged"]) for h in hashes] == [(2, False)]  # H1 on a1, a2
        assert store.image_hashes().tolist() == [int("8f3a5c7e9b1d2f40", 16)]
        # every long-enough distinct text has one band key per band
        n_texts = store.query("SELECT count(DISTINCT tid) AS n FROM link_text_bands")
        assert n_texts["n"][0].as_py() == 4  # a0 and a1 share the masked template
        assert set(store.link_state()) >= {"version", "id_limit", "image_limit", "text_limit"}
