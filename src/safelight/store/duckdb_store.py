"""The embedded store: one DuckDB file holding ads, extractions and ingest bookkeeping.

Everything outside ``safelight.store`` talks to the database through ``Store`` methods and gets
Arrow back; nothing else imports ``duckdb``. Writes that belong together (a batch of ads and the
file progress it completes; an ad's new extractions and its "extracted" mark) are one
transaction, so an interrupted run can always be resumed by running it again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from safelight.errors import UserError
from safelight.records import AD_SCHEMA, EXTRACTION_SCHEMA
from safelight.store.face_tables import PosterFaceTables
from safelight.store.links import LinkTables
from safelight.store.migrations import apply_migrations, schema_version
from safelight.store.missing_tables import MissingTables
from safelight.store.score_tables import ScoreTables
from safelight.store.search import SearchQuery, search_sql

__all__ = ["FileProgress", "Store"]

_AD_COLUMNS = ", ".join(AD_SCHEMA.names)
_EXTRACTION_COLUMNS = ", ".join(f'"{n}"' for n in EXTRACTION_SCHEMA.names)
# DuckDB's own cap (its cache of table blocks otherwise grows with what a run writes); work
# beyond it spills to a temporary folder next to the database.
MEMORY_LIMIT = "512MB"
# The columns the extract stage needs (``extract_batch``'s input).
_EXTRACT_INPUT = "a.ad_id, a.title, a.body, a.stated_age, a.images"


@dataclass(frozen=True, slots=True)
class FileProgress:
    """How far ingest got in one input file. ``records_done`` counts records (ads and rejects,
    numbered from 0 in file order) whose outcome is committed."""

    fingerprint: str
    path: str
    records_done: int = 0
    ads_read: int = 0
    ads_stored: int = 0
    rejected: int = 0
    finished: bool = False


class Store(LinkTables, ScoreTables):
    """A Safelight database file, created and migrated on open. Use as a context manager.

    ``memory_limit`` caps DuckDB's memory (DuckDB syntax, e.g. ``"2GB"``; None: its default,
    80% of RAM)."""

    def __init__(self, path: str | Path, *, memory_limit: str | None = MEMORY_LIMIT) -> None:
        self.path = Path(path)
        if self.path.exists() and self.path.is_dir():
            raise UserError(f"--db {self.path} is a folder, not a database file")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(self.path))
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise UserError(f"cannot open {self.path} as a Safelight database: {first}") from None
        try:
            if memory_limit:
                self._con.execute(f"SET memory_limit = '{memory_limit}'")
            apply_migrations(self._con)
        except BaseException:
            self._con.close()
            raise

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return schema_version(self._con)

    @property
    def missing(self) -> MissingTables:
        """The missing-person posters, leads and reviews (``store/missing_tables.py``)."""
        return MissingTables(self._con, self._transaction)

    @property
    def poster_faces(self) -> PosterFaceTables:
        """Poster photos' face embeddings (``store/face_tables.py``); ad faces are never stored."""
        return PosterFaceTables(self._con, self._transaction)

    # -- ads -------------------------------------------------------------------------------

    def add_ads(
        self, table: pa.Table | pa.RecordBatch, *, progress: FileProgress | None = None
    ) -> int:
        """Insert ads (``AD_SCHEMA`` columns), skipping ad_ids already stored and repeats
        within the batch (the first one wins). Returns how many were inserted.

        ``progress``, when given, is saved in the same transaction, with the inserted count
        added to its ``ads_stored`` (pass the count from before this batch)."""
        if isinstance(table, pa.RecordBatch):
            table = pa.Table.from_batches([table])
        if table.schema != AD_SCHEMA:
            table = table.select(AD_SCHEMA.names).cast(AD_SCHEMA)
        rows = table.num_rows
        if rows and pc.count_distinct(table["ad_id"]).as_py() < rows:
            table = table.append_column("_row", pa.array(range(rows), pa.int64()))
            source = (
                f"(SELECT {_AD_COLUMNS} FROM _new_ads QUALIFY "
                "row_number() OVER (PARTITION BY ad_id ORDER BY _row) = 1 ORDER BY _row)"
            )
        else:
            source = "_new_ads"
        with self._transaction():
            inserted = 0
            if rows:
                self._con.register("_new_ads", table)
                try:
                    inserted = self._count(
                        f"INSERT INTO ads ({_AD_COLUMNS}) SELECT {_AD_COLUMNS} FROM {source} n "
                        "WHERE NOT EXISTS (SELECT 1 FROM ads a WHERE a.ad_id = n.ad_id)"
                    )
                finally:
                    self._con.unregister("_new_ads")
            if progress is not None:
                self._save_progress(replace(progress, ads_stored=progress.ads_stored + inserted))
        return inserted

    def ad_count(self) -> int:
        return self._scalar("SELECT count(*) FROM ads")

    # -- reading ---------------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pa.Table:
        """Run read-only SQL (reports, ad-hoc analysis) and return the result as Arrow."""
        cursor = self._con.cursor()
        try:
            return cursor.sql(sql, params=params).to_arrow_table()
        finally:
            cursor.close()

    def search(
        self,
        phone: str | None = None,
        email: str | None = None,
        text: str | None = None,
        handle: str | None = None,
        limit: int = 50,
        *,
        min_risk: float | None = None,
        minor: bool = False,
        network: str | None = None,
    ) -> pa.Table:
        """Ads matching every criterion given, newest first (highest risk first when a risk
        criterion is given). ``phone`` takes any spelling (normalised to E.164), ``email`` any
        case, ``handle`` ``name``, ``@name`` or ``platform:name``, ``text`` a case-insensitive
        substring of title or body, ``min_risk`` a least score, ``minor`` a stated or likely
        minor flag, ``network`` a network id (``S<ad_id>``: an ad with no link). Columns: ad_id,
        source, post_id, posted_at, location, title, body, matched (what matched), risk, minor,
        network (its network id)."""
        q = SearchQuery.build(
            phone=phone,
            email=email,
            text=text,
            handle=handle,
            min_risk=min_risk,
            minor=minor,
            network=network,
        )
        sql, params = search_sql(q, limit)
        return self.query(sql, params)

    def stats(self) -> dict[str, Any]:
        """Counts describing what the store holds (plain data, JSON-ready)."""
        s = self._scalar
        first, last = self._con.execute(
            "SELECT strftime(min(posted_at) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ'), "
            "strftime(max(posted_at) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') FROM ads"
        ).fetchone() or (None, None)
        sources = self._con.execute(
            "SELECT source, count(*) FROM ads GROUP BY source ORDER BY count(*) DESC, source"
        ).fetchall()
        fields = self._con.execute(
            "SELECT field, count(*), count(DISTINCT value) FROM extractions "
            "GROUP BY field ORDER BY field"
        ).fetchall()
        return {
            "database": str(self.path),
            "schema_version": self.schema_version,
            "ads": s("SELECT count(*) FROM ads"),
            "sources": {name: n for name, n in sources},
            "first_posted": first,
            "last_posted": last,
            "ads_without_date": s("SELECT count(*) FROM ads WHERE posted_at IS NULL"),
            "reposts": s("SELECT count(*) - count(DISTINCT content_hash) FROM ads"),
            "extracted_ads": s("SELECT count(*) FROM extracted_ads"),
            "ads_without_extraction": s(
                "SELECT count(*) FROM ads a ANTI JOIN extracted_ads e ON a.ad_id = e.ad_id"
            ),
            "ads_with_no_values": s(
                "SELECT count(*) FROM extracted_ads e ANTI JOIN "
                "(SELECT DISTINCT ad_id FROM extractions) x ON e.ad_id = x.ad_id"
            ),
            "extractions": {f: n for f, n, _ in fields},
            "distinct_values": {f: d for f, _, d in fields},
            "distinct_phones": next((d for f, _, d in fields if f == "phone"), 0),
            "distinct_emails": next((d for f, _, d in fields if f == "email"), 0),
            "files": s("SELECT count(*) FROM ingest_files"),
            "files_unfinished": s("SELECT count(*) FROM ingest_files WHERE NOT finished"),
        }

    # -- extraction ------------------------------------------------------------------------

    def count_to_extract(self, *, version: str, all: bool = False) -> int:
        if all:
            return self.ad_count()
        return self._scalar(
            "SELECT count(*) FROM ads a ANTI JOIN extracted_ads e "
            "ON a.ad_id = e.ad_id AND e.version = ?",
            [version],
        )

    def ads_to_extract(
        self, all: bool = False, batch_size: int = 20_000, *, version: str = "unversioned"
    ) -> Iterator[pa.RecordBatch]:
        """Stream the ads not yet extracted by extractor ``version`` (``all``: every ad) as
        Arrow batches of ``ad_id, title, body, stated_age, images``.

        ``all`` first marks every ad stale, so an interrupted ``--all`` run is finished by a
        plain re-run. Reads run on their own cursor, so ``write_extractions`` may be called
        between batches."""
        if all:
            self._con.execute("UPDATE extracted_ads SET version = '' WHERE version <> ''")
        cursor = self._con.cursor()
        try:
            reader = cursor.sql(
                f"SELECT {_EXTRACT_INPUT} FROM ads a ANTI JOIN extracted_ads e "
                "ON a.ad_id = e.ad_id AND e.version = ?",
                params=[version],
            ).to_arrow_reader(batch_size)
            yield from reader
        finally:
            cursor.close()

    def write_extractions(
        self,
        ad_ids: Sequence[str] | pa.Array | pa.ChunkedArray,
        batch: pa.RecordBatch | pa.Table,
        *,
        version: str = "unversioned",
    ) -> None:
        """Replace the extractions of ``ad_ids`` by ``batch`` (``EXTRACTION_SCHEMA``) and mark
        those ads extracted by ``version``, all in one transaction."""
        ids = pa.table({"ad_id": pa.array(ad_ids, pa.string())})
        if not ids.num_rows:
            return
        if isinstance(batch, pa.RecordBatch):
            batch = pa.Table.from_batches([batch])
        if batch.schema != EXTRACTION_SCHEMA:
            batch = batch.select(EXTRACTION_SCHEMA.names).cast(EXTRACTION_SCHEMA)
        with self._transaction():
            self._con.register("_ids", ids)
            self._con.register("_rows", batch)
            try:
                seen = self._scalar(
                    "SELECT count(*) FROM extracted_ads e SEMI JOIN _ids i ON e.ad_id = i.ad_id"
                )
                if seen:
                    self._con.execute(
                        "DELETE FROM extractions WHERE ad_id IN (SELECT ad_id FROM _ids)"
                    )
                    self._con.execute(
                        "DELETE FROM extracted_ads WHERE ad_id IN (SELECT ad_id FROM _ids)"
                    )
                    # a score and links read the old extractions: they must be redone
                    for table in ("risk", "evidence", "linked_ads"):
                        self._con.execute(
                            f"DELETE FROM {table} WHERE ad_id IN (SELECT ad_id FROM _ids)"
                        )
                if batch.num_rows:
                    self._con.execute(
                        f"INSERT INTO extractions ({_EXTRACTION_COLUMNS}) "
                        f"SELECT {_EXTRACTION_COLUMNS} FROM _rows"
                    )
                self._con.execute(
                    "INSERT INTO extracted_ads (ad_id, version, extracted_at) "
                    "SELECT DISTINCT ad_id, ?, now() FROM _ids",
                    [version],
                )
            finally:
                self._con.unregister("_ids")
                self._con.unregister("_rows")

    # -- ingest bookkeeping ----------------------------------------------------------------

    def file_progress(self, fingerprint: str) -> FileProgress | None:
        row = self._con.execute(
            "SELECT fingerprint, path, records_done, ads_read, ads_stored, rejected, finished "
            "FROM ingest_files WHERE fingerprint = ?",
            [fingerprint],
        ).fetchone()
        return FileProgress(*row) if row else None

    def save_progress(self, progress: FileProgress) -> None:
        with self._transaction():
            self._save_progress(progress)

    # -- internals -------------------------------------------------------------------------

    def _save_progress(self, p: FileProgress) -> None:
        self._con.execute(
            "INSERT OR REPLACE INTO ingest_files (fingerprint, path, records_done, ads_read, "
            "ads_stored, rejected, finished, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, now())",
            [
                p.fingerprint,
                p.path,
                p.records_done,
                p.ads_read,
                p.ads_stored,
                p.rejected,
                p.finished,
            ],
        )

    def _scalar(self, sql: str, params: Sequence[Any] | None = None) -> int:
        row = self._con.execute(sql, params).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def _count(self, sql: str) -> int:
        return self._scalar(sql)

    def _transaction(self) -> _Transaction:
        return _Transaction(self._con)


class _Transaction:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def __enter__(self) -> None:
        self._con.execute("BEGIN TRANSACTION")

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self._con.execute("ROLLBACK" if exc_type else "COMMIT")
