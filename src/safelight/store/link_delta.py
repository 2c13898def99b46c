"""Applying an incremental link run: its scope, region, templates and the write.

``LinkDeltaTables`` is mixed into ``LinkTables``. ``begin_link_delta`` creates the temp tables
naming what the run replaces (identifier values, photos, text clusters and flags), which the
pipeline fills as it goes; ``link_region`` finds the ads whose network must be recomputed;
``template_plan`` which templates to rebuild so the stored ones are those of the largest text
clusters, as a full run has them; ``write_link_delta`` applies everything in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from safelight.store.link_index import LinkIndexTables

__all__ = ["LinkDeltaTables"]

# Stored edges an incremental run replaces: those of the identifier values new ads hold (temp
# table _link_keys), of the photos they touch (_link_img: a near edge names both hashes) and of
# the text clusters it recomputes (_link_tclusters). Never NULL (a star edge's detail has no
# hash_b): NOT of a NULL scope would leave an edge out of both the kept and the replaced ones.
_IDS = "EXISTS (SELECT 1 FROM _link_keys k WHERE k.field = e.kind AND k.value = e.value)"
_SCOPE = (
    f"({_IDS} OR (e.kind = 'image' AND (e.value IN (SELECT hex FROM _link_img) OR "
    "coalesce(json_extract_string(e.detail, '$.hash_b'), '') IN (SELECT hex FROM _link_img))) "
    "OR (e.kind = 'text' AND e.value IN (SELECT cluster_id FROM _link_tclusters)))"
)
# Stored flags it replaces (_link_tflags: the text flags of touched texts and buckets).
_FLAG_SCOPE = (
    f"({_IDS} OR (e.kind = 'image' AND e.value IN (SELECT hex FROM _link_img)) "
    "OR (e.kind = 'text' AND e.value IN (SELECT value FROM _link_tflags)))"
)


class LinkDeltaTables(LinkIndexTables):
    """Incremental-run writes of ``Store`` (uses its connection and transaction helpers)."""

    def _one(self, sql: str, params: Any = None) -> int: ...  # provided by LinkTables

    def _transaction(self) -> Any: ...  # provided by Store

    def _insert(self, table: str, rows: pa.Table) -> None: ...  # provided by LinkTables

    def _insert_sketches(self, sketches: pa.Table) -> None: ...  # provided by LinkTables

    def _put_state(self, state: dict[str, str]) -> None: ...  # provided by LinkTables

    def begin_link_delta(self) -> None:
        """Empty scope tables: nothing replaced until a step says so."""
        con = self._con
        con.execute("CREATE OR REPLACE TEMP TABLE _link_keys (field VARCHAR, value VARCHAR)")
        con.execute("CREATE OR REPLACE TEMP TABLE _link_img (hex VARCHAR)")
        con.execute("CREATE OR REPLACE TEMP TABLE _link_tclusters (cluster_id VARCHAR)")
        con.execute("CREATE OR REPLACE TEMP TABLE _link_tflags (value VARCHAR)")

    def set_link_scope(self, image_hexes: list[str], text_flags: list[str]) -> None:
        """The photos whose edges and flags, and the text flags, the run replaces."""
        self._temp("_link_img", pa.table({"hex": pa.array(image_hexes, pa.string())}))
        self._temp("_link_tflags", pa.table({"value": pa.array(text_flags, pa.string())}))

    def template_plan(self, clusters: pa.Table, keep: int) -> pa.Table:
        """After the recomputed ``clusters`` (``ad_id, cluster_id``) replace the stored ones
        in ``_link_tclusters``: the ``keep`` largest clusters (temp ``_link_top``, with
        ``build`` true for those recomputed or without a stored template) and the
        ``ad_id, cluster_id`` rows of those to build."""
        self._temp("_link_rc", clusters.select(["ad_id", "cluster_id"]))
        self._con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _link_top AS
            WITH c AS (SELECT ad_id, cluster_id FROM text_clusters
                       WHERE cluster_id NOT IN (SELECT cluster_id FROM _link_tclusters)
                       UNION ALL SELECT ad_id, cluster_id FROM _link_rc),
                 sizes AS (SELECT cluster_id, count(*) AS n FROM c GROUP BY cluster_id
                           ORDER BY n DESC, cluster_id LIMIT {int(keep)})
            SELECT cluster_id, cluster_id IN (SELECT cluster_id FROM _link_rc)
                   OR cluster_id NOT IN (SELECT cluster_id FROM text_templates) AS build
            FROM sizes
            """
        )
        return self._arrow(
            """
            SELECT ad_id, cluster_id FROM (
                SELECT ad_id, cluster_id FROM text_clusters
                WHERE cluster_id NOT IN (SELECT cluster_id FROM _link_tclusters)
                UNION ALL SELECT ad_id, cluster_id FROM _link_rc)
            WHERE cluster_id IN (SELECT cluster_id FROM _link_top WHERE build)
            ORDER BY cluster_id, ad_id
            """
        )

    def stored_templates(
        self, cluster_ids: list[str], sample: int
    ) -> dict[str, tuple[list[str], str, str]]:
        """Per given cluster with a stored template: its first ``sample`` stored members (ad
        id order), template and slots (before ``write_link_delta`` replaces them)."""
        with self._view("_tc", pa.table({"cluster_id": pa.array(cluster_ids, pa.string())})):
            rows = self._con.sql(
                f"""
                WITH m AS (SELECT cluster_id, ad_id, row_number() OVER
                               (PARTITION BY cluster_id ORDER BY ad_id) AS r
                           FROM text_clusters SEMI JOIN _tc USING (cluster_id))
                SELECT t.cluster_id, list(m.ad_id ORDER BY m.ad_id), any_value(t.template),
                       any_value(t.slots)
                FROM m JOIN text_templates t USING (cluster_id) WHERE m.r <= {int(sample)}
                GROUP BY t.cluster_id
                """
            ).fetchall()
        return {cid: (list(members), tpl, slots) for cid, members, tpl, slots in rows}

    def link_region(
        self, new_edges: pa.Table
    ) -> tuple[int, pa.Table, pa.Table, dict[str, str], int]:
        """Where this run's edges change the stored ones: (how many ads the region holds, the
        ends ``ad_a, ad_b`` of the kept stored edges touching the region and of the new edges
        touching it, the region's stored network ids, the next free network sequence number). See
        ``safelight.link.incremental``."""
        con = self._con
        con.register("_new_edges_view", new_edges)
        try:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE _link_new_edges AS SELECT * FROM _new_edges_view"
            )
        finally:
            con.unregister("_new_edges_view")
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _link_region AS
            WITH old AS (SELECT ad_a, ad_b, kind FROM link_edges e WHERE {_SCOPE}),
                 new AS (SELECT ad_a, ad_b, kind FROM _link_new_edges),
                 changed AS ((SELECT * FROM old EXCEPT SELECT * FROM new)
                             UNION ALL (SELECT * FROM new EXCEPT SELECT * FROM old)),
                 touched AS (SELECT ad_a AS ad_id FROM changed UNION SELECT ad_b FROM changed
                             UNION SELECT ad_id FROM _link_new)
            SELECT ad_id FROM touched
            UNION SELECT n.ad_id FROM networks n SEMI JOIN
                (SELECT network_id FROM networks SEMI JOIN touched USING (ad_id)) USING (network_id)
            """
        )
        region_ads = self._one("SELECT count(*) FROM _link_region")
        touching = (
            "(ad_a IN (SELECT ad_id FROM _link_region) OR ad_b IN (SELECT ad_id FROM _link_region))"
        )
        # the ends are all networks need (evidence strings of millions of edges are not)
        kept = con.sql(
            f"SELECT ad_a, ad_b FROM link_edges e WHERE NOT {_SCOPE} AND {touching}"
        ).to_arrow_table()
        new = con.sql(f"SELECT ad_a, ad_b FROM _link_new_edges WHERE {touching}").to_arrow_table()
        previous = dict(
            con.sql(
                "SELECT ad_id, network_id FROM networks SEMI JOIN _link_region USING (ad_id)"
            ).fetchall()
        )
        top = self._one(
            "SELECT max(TRY_CAST(substr(network_id, 2) AS BIGINT)) FROM networks "
            "WHERE network_id LIKE 'N%'"
        )
        return region_ads, kept, new, previous, top + 1

    def write_link_delta(
        self,
        *,
        flagged: pa.Table,
        clusters: pa.Table,
        templates: pa.Table,
        networks: pa.Table,
        sketches: pa.Table,
        index: dict[str, pa.Table],
        drop_pairs: pa.Table,
        version: str,
        state: dict[str, str],
        new_ads: int,
        seconds: float | None = None,
        rewrites: Sequence[tuple[tuple[str, ...], str, str, int | None]] = (),
    ) -> tuple[int, int]:
        """Apply an incremental run in one transaction (after ``link_region`` and
        ``template_plan``): its edges (``_link_new_edges``) and ``flagged`` replace the stored
        ones in scope, ``clusters`` replace the recomputed text clusters, ``networks`` the
        region's rows, ``templates`` those it rebuilt (templates of clusters no longer among
        the largest go); the new ads' sketches and the index rows are added (``index``:
        ``link_text_bands`` appended, ``link_text_pairs`` and ``link_image_hashes`` replace
        the rows of the same keys, ``drop_pairs`` removed) and the new ads count as linked.
        ``rewrites``: (kinds, old reason, new reason, new n_ads or None) of the stored flags
        out of scope whose reason names a frequency limit that moved.
        Returns (edges, networks) now stored."""
        con = self._con
        with self._transaction():
            for kinds, old, new, n_ads in rewrites:
                con.execute(
                    "UPDATE link_flagged SET reason = ?, n_ads = coalesce(?, n_ads) "
                    "WHERE kind IN (SELECT unnest(?)) AND reason = ?",
                    [new, n_ads, list(kinds), old],
                )
            con.execute(f"DELETE FROM link_edges e WHERE {_SCOPE}")
            con.execute(
                "INSERT INTO link_edges SELECT ad_a, ad_b, kind, value, weight, detail "
                "FROM _link_new_edges"
            )
            con.execute(f"DELETE FROM link_flagged e WHERE {_FLAG_SCOPE}")
            self._insert(
                "link_flagged", flagged.select(["kind", "value", "n_ads", "n_places", "reason"])
            )
            con.execute(
                "DELETE FROM text_templates WHERE cluster_id NOT IN (SELECT cluster_id FROM "
                "_link_top) OR cluster_id IN (SELECT cluster_id FROM _link_top WHERE build)"
            )
            self._insert(
                "text_templates", templates.select(["cluster_id", "n_ads", "template", "slots"])
            )
            con.execute(
                "DELETE FROM text_clusters WHERE cluster_id IN "
                "(SELECT cluster_id FROM _link_tclusters)"
            )
            self._insert("text_clusters", clusters.select(["ad_id", "cluster_id"]))
            con.execute("DELETE FROM networks WHERE ad_id IN (SELECT ad_id FROM _link_region)")
            self._insert("networks", networks.select(["ad_id", "network_id"]))
            self._insert_sketches(sketches)
            self._insert("link_text_bands", index["link_text_bands"])
            with self._view("_keys", drop_pairs.select(["tid_a", "tid_b"])):
                con.execute(
                    "DELETE FROM link_text_pairs p WHERE EXISTS (SELECT 1 FROM _keys k "
                    "WHERE k.tid_a = p.tid_a AND k.tid_b = p.tid_b)"
                )
            self._insert("link_text_pairs", index["link_text_pairs"])
            hashes = index["link_image_hashes"]
            with self._view("_h", hashes.select(["hash"])):
                con.execute("DELETE FROM link_image_hashes WHERE hash IN (SELECT hash FROM _h)")
            self._insert("link_image_hashes", hashes)
            self._put_state(state)
            con.execute("INSERT INTO linked_ads SELECT ad_id, ? FROM _link_new", [version])
            n_edges = self._one("SELECT count(*) FROM link_edges")
            n_networks = self._one("SELECT count(DISTINCT network_id) FROM networks")
            n_ads = self._one("SELECT count(*) FROM linked_ads WHERE version = ?", [version])
            con.execute(
                "INSERT INTO link_runs VALUES (now(), ?, ?, ?, ?, ?, ?)",
                [version, n_ads, new_ads, n_edges, n_networks, seconds],
            )
        return n_edges, n_networks
