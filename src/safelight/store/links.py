"""The link stage's tables: its inputs read in bounded batches, its results written at once.

``LinkTables`` is mixed into ``Store``. Reads stream Arrow batches on their own cursor:

- ``link_extractions``: extraction rows of the fields linking uses (identifiers and photos
  link; the spans of names, ages, prices and places mask the text's slots);
- ``link_texts``: ``ad_id, text`` with ``text = ad_text(title, body)`` (what spans refer to);
- ``link_context``: ``ad_id, place, posted_at`` per ad (its first extracted place that is not
  an area code, else its location field) for the places-within-days guard.

``write_links`` replaces every link table in one transaction, so a reader sees the old result
or the new one, never half of each. See ``migrations/003_links.sql`` for the tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from safelight.records import EXTRACTION_SCHEMA
from safelight.store.link_delta import LinkDeltaTables

if TYPE_CHECKING:
    import duckdb

__all__ = ["LINK_FIELDS", "LinkTables"]

# Fields the link stage reads: identifiers and photos link, the others mask text slots.
LINK_FIELDS = ("phone", "email", "handle", "image", "name", "age", "price", "place")
# The link stage reads no extraction text or detail: leaving them out saves a gigabyte at 1M.
_LINK_COLUMNS = (
    'ad_id, field, value, NULL::VARCHAR AS "text", start, "end", NULL::VARCHAR AS detail'
)
_FIELD_LIST = ", ".join(f"'{f}'" for f in LINK_FIELDS)
_AD_TEXT = (
    "CASE WHEN coalesce(title, '') <> '' THEN title || chr(10) || chr(10) || body ELSE body END"
)
_NOT_AREA_CODE = "coalesce(json_extract_string(detail, '$.source'), '') <> 'area code'"
_NEW = "ad_id IN (SELECT ad_id FROM _link_new)"
# The slot spans that mask an ad's text: the same rows in full and incremental runs.
_SPANS = (
    f"field IN ({_FIELD_LIST}) AND start IS NOT NULL AND (field <> 'place' OR {_NOT_AREA_CODE})"
)
_INDEX_TABLES = ("link_image_hashes", "link_text_bands", "link_text_pairs")


class LinkTables(LinkDeltaTables):
    """Link-stage methods of ``Store`` (uses its connection and transaction helpers)."""

    _con: duckdb.DuckDBPyConnection

    def _scalar(self, sql: str, params: Any = None) -> int: ...  # provided by Store

    def _transaction(self) -> Any: ...  # provided by Store

    # -- reading ---------------------------------------------------------------------------

    def count_to_link(self, *, version: str) -> int:
        """Ads the stored link result does not cover (new since the last run, or linked by
        another link-stage version)."""
        return self._one(
            "SELECT count(*) FROM ads a ANTI JOIN linked_ads l "
            "ON a.ad_id = l.ad_id AND l.version = ?",
            [version],
        )

    def _one(self, sql: str, params: Any = None) -> int:
        """A count, with the result fetched to the end (the connection stays usable)."""
        rows = self._con.execute(sql, params).fetchall()
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    def _stream(self, sql: str, batch_size: int) -> Iterator[pa.RecordBatch]:
        cursor = self._con.cursor()
        try:
            yield from cursor.sql(sql).to_arrow_reader(batch_size)
        finally:
            cursor.close()

    def link_extractions(
        self, batch_size: int = 200_000, fields: tuple[str, ...] = LINK_FIELDS
    ) -> Iterator[pa.RecordBatch]:
        """Extraction rows (``EXTRACTION_SCHEMA``) of ``fields`` (of ``LINK_FIELDS``),
        area-code places left out."""
        field_list = ", ".join(f"'{f}'" for f in fields if f in LINK_FIELDS)
        return self._stream(
            f"SELECT {_LINK_COLUMNS} FROM extractions WHERE field IN ({field_list}) "
            f"AND (field <> 'place' OR {_NOT_AREA_CODE})",
            batch_size,
        )

    def link_text_batches(self, batch_size: int = 100_000) -> Iterator[tuple[pa.Table, pa.Table]]:
        """(``ad_id, text``, their slot spans: link extraction rows with offsets) of every ad,
        ``batch_size`` ads at a time in ad_id order. Each batch is one range of ad ids, so
        neither the texts of a million ads nor their spans are ever held at once."""
        ids = self._arrow("SELECT ad_id FROM ads ORDER BY ad_id").column("ad_id")
        for lo in range(0, len(ids), batch_size):
            bounds = [ids[lo].as_py(), ids[min(lo + batch_size, len(ids)) - 1].as_py()]
            texts = self._con.sql(
                f"SELECT ad_id, {_AD_TEXT} AS text FROM ads WHERE ad_id BETWEEN ? AND ? "
                "ORDER BY ad_id",
                params=bounds,
            ).to_arrow_table()
            spans = self._con.sql(
                f"SELECT {_LINK_COLUMNS} FROM extractions WHERE {_SPANS} AND ad_id BETWEEN ? AND ?",
                params=bounds,
            ).to_arrow_table()
            yield texts, spans.cast(EXTRACTION_SCHEMA)

    def link_texts(
        self, batch_size: int = 50_000, *, only_new: bool = False
    ) -> Iterator[pa.RecordBatch]:
        """``ad_id, text`` of every ad (``only_new``: the new ones), in ad_id order."""
        if only_new:  # temp tables live on this connection, not on a cursor's
            sql = f"SELECT ad_id, {_AD_TEXT} AS text FROM ads WHERE {_NEW} ORDER BY ad_id"
            return iter(self._con.sql(sql).to_arrow_table().to_batches(batch_size))
        return self._stream(f"SELECT ad_id, {_AD_TEXT} AS text FROM ads ORDER BY ad_id", batch_size)

    # -- incremental runs (migrations/005_link_state.sql) ----------------------------------

    def link_state(self) -> dict[str, str]:
        return dict(self._con.sql("SELECT name, value FROM link_state").fetchall())

    def mark_new_link_ads(self, version: str) -> int:
        """Remember (temp table) the ads the stored result does not cover; returns how many."""
        self._con.execute(
            "CREATE OR REPLACE TEMP TABLE _link_new AS SELECT a.ad_id FROM ads a ANTI JOIN "
            "linked_ads l ON a.ad_id = l.ad_id AND l.version = ?",
            [version],
        )
        return int(self._con.sql("SELECT count(*) FROM _link_new").fetchall()[0][0])

    def new_link_extractions(self, batch_size: int = 200_000) -> Iterator[pa.RecordBatch]:
        """``link_extractions`` of the new ads only."""
        sql = (
            f"SELECT {_LINK_COLUMNS} FROM extractions WHERE field IN ({_FIELD_LIST}) "
            f"AND (field <> 'place' OR {_NOT_AREA_CODE}) AND {_NEW}"
        )
        return iter(self._con.sql(sql).to_arrow_table().to_batches(batch_size))

    def identifier_rows_of_new(
        self, kinds: tuple[str, ...], sizes: tuple[int, int] | None = None
    ) -> pa.Table:
        """Extraction rows of every ad holding an identifier a new ad holds, or (``sizes``:
        ``lo, hi``) held by more than ``lo`` and at most ``hi`` ads (the values a moved limit
        flags or frees); the keys are kept in a temp table for ``write_link_delta``."""
        fields = ", ".join(f"'{k}'" for k in kinds)
        within = ""
        if sizes is not None:
            within = (
                f"UNION SELECT field, value FROM extractions WHERE field IN ({fields}) "
                "AND value IS NOT NULL GROUP BY field, value "
                f"HAVING count(DISTINCT ad_id) > {int(sizes[0])} "
                f"AND count(DISTINCT ad_id) <= {int(sizes[1])}"
            )
        self._con.execute(
            "CREATE OR REPLACE TEMP TABLE _link_keys AS SELECT DISTINCT field, value "
            f"FROM extractions WHERE field IN ({fields}) AND value IS NOT NULL AND {_NEW} " + within
        )
        return self._con.sql(
            "SELECT e.ad_id, e.field, e.value FROM extractions e SEMI JOIN _link_keys k "
            "ON e.field = k.field AND e.value = k.value"
        ).to_arrow_table()

    def identifier_group_sizes(self, kinds: tuple[str, ...]) -> list[int]:
        """Ads per identifier value, for values of two or more ads (the adaptive limit)."""
        fields = ", ".join(f"'{k}'" for k in kinds)
        rows = self._con.sql(
            f"SELECT count(DISTINCT ad_id) AS n FROM extractions WHERE field IN ({fields}) "
            "AND value IS NOT NULL GROUP BY field, value HAVING n >= 2"
        ).fetchall()
        return [r[0] for r in rows]

    def count_unsketched(self, version: str) -> int:
        """Linked ads with no stored sketch (a store linked before sketches were kept)."""
        return self._one(
            "SELECT count(*) FROM linked_ads l ANTI JOIN link_text_keys k USING (ad_id) "
            "WHERE l.version = ?",
            [version],
        )

    def link_texts_of(self, ad_ids: list[str]) -> tuple[pa.Table, pa.Table]:
        """(``ad_id, text``, link extraction rows) of the given ads (templates)."""
        con = self._con
        con.register("_ids_view", pa.table({"ad_id": pa.array(ad_ids, pa.string())}))
        try:
            texts = con.sql(
                f"SELECT ad_id, {_AD_TEXT} AS text FROM ads SEMI JOIN _ids_view USING (ad_id) "
                "ORDER BY ad_id"
            ).to_arrow_table()
            rows = con.sql(
                f"SELECT {_LINK_COLUMNS} FROM extractions SEMI JOIN _ids_view USING (ad_id) "
                f"WHERE {_SPANS}"
            ).to_arrow_table()
        finally:
            con.unregister("_ids_view")
        return texts, rows.cast(EXTRACTION_SCHEMA)

    def link_context(self, ad_ids: list[str] | None = None) -> pa.Table:
        """``ad_id, place, posted_at`` of every ad, or of the given ones (place may be null)."""
        sql = f"""
            WITH first_place AS (
                SELECT ad_id, arg_min(value, coalesce(start, 0)) AS place FROM extractions
                WHERE field = 'place' AND {_NOT_AREA_CODE} {{only}} GROUP BY ad_id)
            SELECT a.ad_id, coalesce(p.place, nullif(trim(a.location), '')) AS place,
                   a.posted_at
            FROM ads a LEFT JOIN first_place p USING (ad_id) {{where}}
            """
        if ad_ids is not None:
            self._temp("_link_ctx", pa.table({"ad_id": pa.array(ad_ids, pa.string())}))
            only = "AND ad_id IN (SELECT ad_id FROM _link_ctx)"
            return self._con.sql(
                sql.format(only=only, where="WHERE a.ad_id IN (SELECT ad_id FROM _link_ctx)")
            ).to_arrow_table()
        cursor = self._con.cursor()
        try:
            return cursor.sql(sql.format(only="", where="")).to_arrow_table()
        finally:
            cursor.close()

    def network_assignment(self) -> dict[str, str]:
        """The stored ``ad_id -> network_id`` of ads in networks of two or more."""
        rows = self._con.execute("SELECT ad_id, network_id FROM networks").fetchall()
        return dict(rows)

    def network_of(self, ad_id: str) -> str:
        """The network id of an ad: its stored network, else its singleton id ``S<ad_id>``."""
        row = self._con.execute(
            "SELECT network_id FROM networks WHERE ad_id = ?", [ad_id]
        ).fetchall()
        row = row[0] if row else None
        return str(row[0]) if row else f"S{ad_id}"

    def network_rows(self, batch_size: int = 100_000) -> Iterator[pa.RecordBatch]:
        """``ad_id, source, post_id, network_id`` of every ad (singletons ``S<ad_id>``)."""
        return self._stream(
            "SELECT a.ad_id, a.source, a.post_id, coalesce(n.network_id, 'S' || a.ad_id) "
            "AS network_id FROM ads a LEFT JOIN networks n USING (ad_id) ORDER BY a.ad_id",
            batch_size,
        )

    # -- writing ---------------------------------------------------------------------------

    def write_links(
        self,
        *,
        edges: pa.Table,
        flagged: pa.Table,
        clusters: pa.Table,
        templates: pa.Table,
        networks: pa.Table,
        linked: pa.Array | pa.ChunkedArray,
        version: str,
        new_ads: int = 0,
        seconds: float | None = None,
        sketches: pa.Table | None = None,
        state: dict[str, str] | None = None,
        index: dict[str, pa.Table] | None = None,
    ) -> None:
        """Replace every link table in one transaction. ``networks``: ``ad_id, network_id``
        (ads in networks of two or more); ``linked``: the ad ids this result covers;
        ``sketches``: per-ad text sketches (``SKETCH_SCHEMA``) kept for incremental runs."""
        tables = {
            "link_edges": edges.select(["ad_a", "ad_b", "kind", "value", "weight", "detail"]),
            "link_flagged": flagged.select(["kind", "value", "n_ads", "n_places", "reason"]),
            "text_clusters": clusters.select(["ad_id", "cluster_id"]),
            "text_templates": templates.select(["cluster_id", "n_ads", "template", "slots"]),
            "networks": networks.select(["ad_id", "network_id"]),
        }
        linked_table = pa.table({"ad_id": pa.array(linked, pa.string())})
        n_networks = len(set(networks.column("network_id").to_pylist()))
        with self._transaction():
            for name, table in tables.items():
                self._con.execute(f"DELETE FROM {name}")
                if table.num_rows:
                    self._con.register("_rows", table)
                    try:
                        self._con.execute(f"INSERT INTO {name} SELECT * FROM _rows")
                    finally:
                        self._con.unregister("_rows")
            self._con.execute("DELETE FROM link_text_keys")
            self._con.execute("DELETE FROM link_text_sigs")
            self._con.execute("DELETE FROM link_state")
            if sketches is not None:
                self._insert_sketches(sketches)
            for name in _INDEX_TABLES:
                self._con.execute(f"DELETE FROM {name}")
                if index and name in index:
                    self._insert(name, index[name])
            self._put_state(state or {})
            self._con.execute("DELETE FROM linked_ads")
            self._con.register("_linked", linked_table)
            try:
                self._con.execute(
                    "INSERT INTO linked_ads SELECT DISTINCT ad_id, ? FROM _linked", [version]
                )
            finally:
                self._con.unregister("_linked")
            self._con.execute(
                "INSERT INTO link_runs VALUES (now(), ?, ?, ?, ?, ?, ?)",
                [version, linked_table.num_rows, new_ads, edges.num_rows, n_networks, seconds],
            )

    def _insert(self, table: str, rows: pa.Table) -> None:
        if rows.num_rows:
            self._con.register("_rows", rows)
            try:
                self._con.execute(f"INSERT INTO {table} SELECT * FROM _rows")
            finally:
                self._con.unregister("_rows")

    def _insert_sketches(self, sketches: pa.Table) -> None:
        """Sketches with their ``tid`` (``text.text_ids``)."""
        if not sketches.num_rows:
            return
        self._con.register(
            "_sk", sketches.select(["ad_id", "text_key", "n_shingles", "tid", "sig"])
        )
        try:
            self._con.execute(
                "INSERT INTO link_text_keys (ad_id, text_key, n_shingles, tid) "
                "SELECT ad_id, text_key, n_shingles, tid FROM _sk"
            )
            self._con.execute(
                "INSERT INTO link_text_sigs (text_key, sig, tid) SELECT text_key, any_value(sig), "
                "any_value(tid) FROM _sk WHERE text_key NOT IN (SELECT text_key FROM "
                "link_text_sigs) GROUP BY text_key"
            )
        finally:
            self._con.unregister("_sk")

    def _put_state(self, state: dict[str, str]) -> None:
        for name, value in state.items():
            self._con.execute("DELETE FROM link_state WHERE name = ?", [name])
            self._con.execute("INSERT INTO link_state VALUES (?, ?)", [name, value])

    def count_link_flagged(self) -> int:
        return self._one("SELECT count(*) FROM link_flagged")

    def count_networked_ads(self) -> int:
        return self._one("SELECT count(*) FROM networks")

    def largest_network(self) -> int:
        return self._one(
            "SELECT coalesce(max(n), 0) FROM (SELECT count(*) n FROM networks GROUP BY network_id)"
        )

    def count_linked(self, version: str) -> int:
        """Ads the stored result (of this link-stage version) covers."""
        return self._one("SELECT count(*) FROM linked_ads WHERE version = ?", [version])
