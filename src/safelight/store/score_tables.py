"""The score stage's tables: ads to score streamed with their extraction rows, risk written back.

``ScoreTables`` is mixed into ``Store``; see ``migrations/002_risk.sql`` for ``risk`` and
``evidence``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from safelight.records import EXTRACTION_SCHEMA

if TYPE_CHECKING:
    import duckdb

__all__ = ["ScoreTables"]

_EXTRACTION_COLUMNS = ", ".join(f'"{n}"' for n in EXTRACTION_SCHEMA.names)


class ScoreTables:
    """Methods of ``Store`` for the score stage."""

    _con: duckdb.DuckDBPyConnection

    def ad_count(self) -> int: ...  # provided by Store

    def _scalar(self, sql: str, params: Any = None) -> int: ...  # provided by Store

    def _transaction(self) -> Any: ...  # provided by Store

    def count_to_score(self, *, version: str, all: bool = False) -> int:
        if all:
            return self.ad_count()
        return self._scalar(
            "SELECT count(*) FROM ads a ANTI JOIN risk r ON a.ad_id = r.ad_id AND r.version = ?",
            [version],
        )

    def ads_to_score(
        self, all: bool = False, batch_size: int = 20_000, *, version: str = "unversioned"
    ) -> Iterator[tuple[pa.RecordBatch, pa.Table]]:
        """Stream ``(ads, extractions)`` for the ads not yet scored by scorer ``version``
        (``all``: every ad): ads as ``ad_id, title, body, stated_age``, and the extraction rows
        of the fields the score rules read.

        Those rows are first copied to a scratch table (one scan of ``extractions``), so each
        batch probes a table a fraction of the size instead of rescanning every extraction."""
        if all:
            self._con.execute("UPDATE risk SET version = '' WHERE version <> ''")
        todo = "SELECT a.ad_id FROM ads a ANTI JOIN risk r ON a.ad_id = r.ad_id AND r.version = ?"
        self._con.execute(
            f"CREATE OR REPLACE TABLE _score_rows AS SELECT {_EXTRACTION_COLUMNS} FROM "
            f"extractions e SEMI JOIN ({todo}) t ON e.ad_id = t.ad_id "
            "WHERE e.field IN ('age', 'phone', 'name', 'price', 'place')",
            [version],
        )
        cursor = self._con.cursor()
        try:
            reader = cursor.sql(
                "SELECT a.ad_id, a.title, a.body, a.stated_age FROM ads a "
                "ANTI JOIN risk r ON a.ad_id = r.ad_id AND r.version = ?",
                params=[version],
            ).to_arrow_reader(batch_size)
            for batch in reader:
                yield batch, self._score_rows_of(batch.column("ad_id"))
        finally:
            cursor.close()
            self._con.execute("DROP TABLE IF EXISTS _score_rows")

    def _score_rows_of(self, ad_ids: pa.Array) -> pa.Table:
        cursor = self._con.cursor()
        try:
            cursor.register("_ids", pa.table({"ad_id": ad_ids}))
            return cursor.sql(
                f"SELECT {_EXTRACTION_COLUMNS} FROM _score_rows r SEMI JOIN _ids i "
                "ON r.ad_id = i.ad_id"
            ).to_arrow_table()
        finally:
            cursor.close()

    def write_scores(self, risk: pa.RecordBatch, evidence: pa.RecordBatch, *, version: str) -> None:
        """Replace the risk rows and evidence of the ads in ``risk``, in one transaction."""
        with self._transaction():
            self._con.register("_risk", risk)
            self._con.register("_evidence", evidence)
            try:
                # evidence only exists beside a risk row (both are written here, together):
                # ads never scored need no delete, which would scan the whole evidence table
                if self._scalar("SELECT count(*) FROM risk SEMI JOIN _risk USING (ad_id)"):
                    for table in ("risk", "evidence"):
                        self._con.execute(
                            f"DELETE FROM {table} WHERE ad_id IN (SELECT ad_id FROM _risk)"
                        )
                self._con.execute(
                    "INSERT INTO risk SELECT ad_id, score, minor, ?, now() FROM _risk", [version]
                )
                self._con.execute(
                    'INSERT INTO evidence SELECT ad_id, indicator, category, text, start, "end", '
                    "points FROM _evidence"
                )
            finally:
                self._con.unregister("_risk")
                self._con.unregister("_evidence")

    def median_hourly_prices(self, min_ads: int = 10) -> dict[str, float]:
        """Median one-hour USD price per place (the first place named in each ad), for places
        with at least ``min_ads`` priced ads: the local norm the low-price indicator uses."""
        rows = self._con.execute(
            """
            WITH place AS (
                SELECT ad_id, arg_min(value, start) AS place FROM extractions
                WHERE field = 'place' AND coalesce(detail, '') NOT LIKE '%area code%'
                GROUP BY ad_id),
            hourly AS (
                SELECT ad_id, min(CAST(json_extract(value, '$.amount') AS DOUBLE)) AS amount
                FROM extractions
                WHERE field = 'price' AND json_extract(value, '$.minutes') = 60
                  AND json_extract_string(value, '$.currency') = 'USD'
                GROUP BY ad_id)
            SELECT p.place, median(h.amount) FROM hourly h JOIN place p USING (ad_id)
            GROUP BY p.place HAVING count(*) >= ?
            """,
            [min_ads],
        ).fetchall()
        return {place: float(median) for place, median in rows}
