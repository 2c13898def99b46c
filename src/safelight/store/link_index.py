"""The link index (``migrations/006_link_index.sql``): what incremental linking reads.

``LinkIndexTables`` is mixed into ``LinkTables``. An incremental run puts the new ads' text
sketches in the temp table ``_link_new_keys`` (``put_new_sketches``) and then asks, with SQL
over the stored index only, for what the new ads touch:

- texts: group sizes (the text limit), old and new size and first ad of the new ads' texts,
  the stored members of the LSH buckets they fall into, stored verified pairs, signatures,
  and the text clusters to recompute (``text_region``);
- photos: every stored hash (one 8-byte column: the multi-index search runs in numpy), the
  stored state of given hashes, the ads showing them, every stored neighbourhood size (the
  image limit).

Nothing here scans the ads' texts or recomputes a signature.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

if TYPE_CHECKING:
    import duckdb

__all__ = ["LinkIndexTables"]

# Every stored text key plus the new ads' (temp table ``_link_new_keys``).
_ALL_KEYS = (
    "(SELECT ad_id, text_key, n_shingles, tid FROM link_text_keys UNION ALL "
    "SELECT ad_id, text_key, n_shingles, tid FROM _link_new_keys)"
)


class LinkIndexTables:
    """Reads of the stored link index (uses ``Store``'s connection)."""

    _con: duckdb.DuckDBPyConnection

    @contextmanager
    def _view(self, name: str, table: pa.Table) -> Iterator[None]:
        self._con.register(name, table)
        try:
            yield
        finally:
            self._con.unregister(name)

    def _temp(self, name: str, table: pa.Table) -> None:
        """Copy an Arrow table into a temp table (lives on this connection until replaced)."""
        with self._view("_arrow_in", table):
            self._con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM _arrow_in")

    def _arrow(self, sql: str) -> pa.Table:
        return self._con.sql(sql).to_arrow_table()

    # -- text ------------------------------------------------------------------------------

    def put_new_sketches(self, keys: pa.Table) -> None:
        """The new ads' ``ad_id, text_key, n_shingles, tid`` (temp table ``_link_new_keys``)."""
        self._temp("_link_new_keys", keys.select(["ad_id", "text_key", "n_shingles", "tid"]))

    def relinked_sketches(self) -> int:
        """New ads that already have a stored sketch (re-extracted: their old links must go,
        which only a full relink does)."""
        rows = self._con.sql(
            "SELECT count(*) FROM link_text_keys SEMI JOIN _link_new USING (ad_id)"
        ).fetchall()
        return int(rows[0][0])

    def text_group_sizes(self) -> np.ndarray:
        """Ads per distinct text, texts of two or more ads, new ads included (the limit)."""
        t = self._arrow(f"SELECT count(*) AS n FROM {_ALL_KEYS} GROUP BY text_key HAVING n >= 2")
        return t.column("n").to_numpy().astype(np.int64)

    def new_text_stats(self, sizes: tuple[int, int] | None = None) -> pa.Table:
        """Per text of a new ad: ``tid, text_key, n_shingles, n_old, first_old, n_new,
        first_new`` (size and first ad id before and after the new ads). ``sizes``
        (``lo, hi``): also every other text of more than ``lo`` and at most ``hi`` ads (the
        texts a moved limit flags or frees; their size and first ad stay)."""
        within = ""
        if sizes is not None:
            within = f"""
            UNION ALL
            SELECT tid, any_value(text_key), any_value(n_shingles), count(*), min(ad_id),
                   count(*), min(ad_id) FROM link_text_keys ANTI JOIN nw USING (tid)
            GROUP BY tid HAVING count(*) > {int(sizes[0])} AND count(*) <= {int(sizes[1])}
            """
        return self._arrow(
            f"""
            WITH nw AS (SELECT tid, any_value(text_key) AS text_key,
                               any_value(n_shingles) AS n_shingles, count(*) AS n,
                               min(ad_id) AS f FROM _link_new_keys GROUP BY tid),
                 old AS (SELECT tid, count(*) AS n, min(ad_id) AS f FROM link_text_keys
                         SEMI JOIN nw USING (tid) GROUP BY tid)
            SELECT * FROM (
            SELECT nw.tid, nw.text_key, nw.n_shingles, coalesce(old.n, 0) AS n_old,
                   old.f AS first_old, coalesce(old.n, 0) + nw.n AS n_new,
                   CASE WHEN old.f IS NULL OR nw.f < old.f THEN nw.f ELSE old.f END AS first_new
            FROM nw LEFT JOIN old USING (tid) {within}) ORDER BY tid
            """
        )

    def big_buckets(self, more_than: int) -> pa.Table:
        """``band, bkey`` of the stored LSH buckets with more than ``more_than`` texts (those
        a moved text limit may start or stop skipping)."""
        return self._arrow(
            "SELECT band, bkey FROM link_text_bands GROUP BY band, bkey "
            f"HAVING count(*) > {int(more_than)}"
        )

    def text_bands_of(self, tids: np.ndarray) -> pa.Table:
        """Stored ``band, bkey, tid`` of the given texts."""
        with self._view("_tids", pa.table({"tid": pa.array(tids, pa.int64())})):
            return self._arrow(
                "SELECT band, bkey, tid FROM link_text_bands SEMI JOIN _tids USING (tid)"
            )

    def bucket_members(self, buckets: pa.Table) -> pa.Table:
        """Stored members of the given LSH buckets (``band, bkey``) with each member text's
        stored size and first ad: ``band, bkey, tid, n, first``."""
        self._temp("_link_buckets", buckets.select(["band", "bkey"]))
        return self._arrow(
            """
            WITH m AS (SELECT b.band, b.bkey, b.tid FROM link_text_bands b
                       SEMI JOIN _link_buckets k USING (band, bkey)),
                 s AS (SELECT tid, count(*) AS n, min(ad_id) AS first FROM link_text_keys
                       WHERE tid IN (SELECT tid FROM m) GROUP BY tid)
            SELECT m.band, m.bkey, m.tid, s.n, s.first FROM m JOIN s USING (tid)
            """
        )

    def text_pairs_of(self, pairs: pa.Table) -> pa.Table:
        """The stored pairs among the given ``tid_a, tid_b``."""
        with self._view("_pairs", pairs.select(["tid_a", "tid_b"])):
            return self._arrow(
                "SELECT p.* FROM link_text_pairs p SEMI JOIN _pairs USING (tid_a, tid_b)"
            )

    def text_sigs_of(self, tids: np.ndarray) -> pa.Table:
        """Stored ``tid, sig`` of the given texts."""
        with self._view("_tids", pa.table({"tid": pa.array(tids, pa.int64())})):
            return self._arrow(
                "SELECT tid, any_value(sig) AS sig FROM link_text_sigs "
                "SEMI JOIN _tids USING (tid) GROUP BY tid"
            )

    def text_region(self, tids: np.ndarray) -> tuple[pa.Table, pa.Table, pa.Table]:
        """The text clusters to recompute around the given texts: (every ad of those texts
        and of the stored clusters holding any of them: ``ad_id, text_key, n_shingles, tid``;
        the stored pairs among those texts; the stored cluster ids, temp ``_link_tclusters``)."""
        self._temp("_link_s", pa.table({"tid": pa.array(tids, pa.int64())}))
        con = self._con
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE _link_tclusters AS
            SELECT DISTINCT c.cluster_id FROM text_clusters c
            JOIN link_text_keys k USING (ad_id) SEMI JOIN _link_s s ON k.tid = s.tid
            """
        )
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE _link_rtids AS
            SELECT tid FROM _link_s UNION
            SELECT k.tid FROM text_clusters c JOIN link_text_keys k USING (ad_id)
            WHERE c.cluster_id IN (SELECT cluster_id FROM _link_tclusters)
            """
        )
        rows = self._arrow(
            f"SELECT * FROM {_ALL_KEYS} WHERE tid IN (SELECT tid FROM _link_rtids) ORDER BY ad_id"
        )
        pairs = self._arrow(
            "SELECT * FROM link_text_pairs WHERE tid_a IN (SELECT tid FROM _link_rtids) "
            "AND tid_b IN (SELECT tid FROM _link_rtids)"
        )
        clusters = self._arrow("SELECT cluster_id FROM _link_tclusters")
        return rows, pairs, clusters

    # -- images ----------------------------------------------------------------------------

    def image_hashes(self) -> np.ndarray:
        """Every stored distinct pHash (uint64), sorted."""
        t = self._arrow("SELECT hash FROM link_image_hashes ORDER BY hash")
        return t.column("hash").to_numpy().astype(np.uint64)

    def image_state_of(self, hashes: np.ndarray) -> pa.Table:
        """Stored ``IMAGE_STATE_SCHEMA`` rows of the given hashes."""
        with self._view("_h", pa.table({"hash": pa.array(hashes, pa.uint64())})):
            return self._arrow("SELECT * FROM link_image_hashes SEMI JOIN _h USING (hash)")

    def image_rows_of(self, hexes: list[str]) -> pa.Table:
        """``ad_id, field, value`` of the image extractions showing the given hashes (any
        spelling case), new ads included."""
        with self._view("_hex", pa.table({"hex": pa.array(hexes, pa.string())})):
            return self._arrow(
                "SELECT ad_id, field, value FROM extractions WHERE field = 'image' "
                "AND lower(value) IN (SELECT hex FROM _hex)"
            )

    def image_hashes_by_hood(self, lo: int, hi: int) -> np.ndarray:
        """Stored hashes whose neighbourhood has more than ``lo`` and at most ``hi`` ads."""
        t = self._arrow(
            f"SELECT hash FROM link_image_hashes WHERE hood > {int(lo)} AND hood <= {int(hi)}"
        )
        return t.column("hash").to_numpy().astype(np.uint64)

    def image_hoods(self, hashes: np.ndarray) -> np.ndarray:
        """Stored neighbourhood sizes of two or more, the given hashes left out."""
        with self._view("_h", pa.table({"hash": pa.array(hashes, pa.uint64())})):
            t = self._arrow(
                "SELECT hood FROM link_image_hashes ANTI JOIN _h USING (hash) WHERE hood >= 2"
            )
        return t.column("hood").to_numpy().astype(np.int64)
