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

if TYPE_CHECKING:
    import duckdb

__all__ = ["LINK_FIELDS", "LinkTables"]

# Fields the link stage reads: identifiers and photos link, the others mask text slots.
LINK_FIELDS = ("phone", "email", "handle", "image", "name", "age", "price", "place")
_EXTRACTION_COLUMNS = ", ".join(f'"{n}"' for n in EXTRACTION_SCHEMA.names)
_FIELD_LIST = ", ".join(f"'{f}'" for f in LINK_FIELDS)
_AD_TEXT = (
    "CASE WHEN coalesce(title, '') <> '' THEN title || chr(10) || chr(10) || body ELSE body END"
)
_NOT_AREA_CODE = "coalesce(json_extract_string(detail, '$.source'), '') <> 'area code'"


class LinkTables:
    """Link-stage methods of ``Store`` (uses its connection and transaction helpers)."""

    _con: duckdb.DuckDBPyConnection

    def _scalar(self, sql: str, params: Any = None) -> int: ...  # provided by Store

    def _transaction(self) -> Any: ...  # provided by Store

    # -- reading ---------------------------------------------------------------------------

    def count_to_link(self, *, version: str) -> int:
        """Ads the stored link result does not cover (new since the last run, or linked by
        another link-stage version)."""
        return self._scalar(
            "SELECT count(*) FROM ads a ANTI JOIN linked_ads l "
            "ON a.ad_id = l.ad_id AND l.version = ?",
            [version],
        )

    def _stream(self, sql: str, batch_size: int) -> Iterator[pa.RecordBatch]:
        cursor = self._con.cursor()
        try:
            yield from cursor.sql(sql).to_arrow_reader(batch_size)
        finally:
            cursor.close()

    def link_extractions(self, batch_size: int = 200_000) -> Iterator[pa.RecordBatch]:
        """Extraction rows (``EXTRACTION_SCHEMA``) of ``LINK_FIELDS``, area-code places left out."""
        return self._stream(
            f"SELECT {_EXTRACTION_COLUMNS} FROM extractions WHERE field IN ({_FIELD_LIST}) "
            f"AND (field <> 'place' OR {_NOT_AREA_CODE})",
            batch_size,
        )

    def link_texts(self, batch_size: int = 50_000) -> Iterator[pa.RecordBatch]:
        """``ad_id, text`` of every ad, in ad_id order."""
        return self._stream(f"SELECT ad_id, {_AD_TEXT} AS text FROM ads ORDER BY ad_id", batch_size)

    def link_context(self) -> pa.Table:
        """``ad_id, place, posted_at`` of every ad (place may be null)."""
        cursor = self._con.cursor()
        try:
            return cursor.sql(
                f"""
                WITH first_place AS (
                    SELECT ad_id, arg_min(value, coalesce(start, 0)) AS place FROM extractions
                    WHERE field = 'place' AND {_NOT_AREA_CODE} GROUP BY ad_id)
                SELECT a.ad_id, coalesce(p.place, nullif(trim(a.location), '')) AS place,
                       a.posted_at
                FROM ads a LEFT JOIN first_place p USING (ad_id)
                """
            ).to_arrow_table()
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
        ).fetchone()
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
    ) -> None:
        """Replace every link table in one transaction. ``networks``: ``ad_id, network_id``
        (ads in networks of two or more); ``linked``: the ad ids this result covers."""
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
