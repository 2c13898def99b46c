"""The missing-person tables of the store (migration 004): posters, leads, reviews, bookkeeping.

Reached as ``store.missing`` (a ``MissingTables``); nothing outside ``safelight.store`` sees
SQL connections. Blocking runs here, as one SQL join of the posters' key strings
(``missing_keys``) with the ads' keys built from the ``extractions`` table: name sounds (a small
value -> key table the caller computes for the distinct names), photo hash bands (sliced in
SQL) and census divisions (value -> key for the distinct places). Candidate pairs stream back
in Arrow batches, so memory stays bounded whatever the corpus size.

Incremental runs: ``begin_run`` numbers the ads not yet taken in by a run of this model
version as a new batch; a poster whose ``missing_matched.batch`` is below an ad's batch has not
been compared with it. ``finish_run`` moves every poster to the new batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from safelight.store.missing_evidence import MissingEvidence

if TYPE_CHECKING:
    import duckdb

__all__ = ["LEADS_KEPT", "MissingTables"]

LEADS_KEPT = 200  # leads kept per case after ranking (the export shows 50)
_PERSON_COLUMNS = (
    "case_id, name, aliases, sex, dob, age_at_missing, date_missing, missing_city, "
    "missing_state, height_cm, weight_lb, hair, eyes, race, marks, photos, foster_care, agency, "
    "extra, origin"
)
_AD_FIELDS = "('name', 'age', 'place', 'image', 'phone')"


class MissingTables:
    """Methods over the missing-person tables of one open store."""

    def __init__(self, con: duckdb.DuckDBPyConnection, transaction: Any) -> None:
        self._con = con
        self._transaction = transaction

    @property
    def evidence(self) -> MissingEvidence:
        """Per-ad match evidence and the SQL first pass (``store/missing_evidence.py``)."""
        return MissingEvidence(self._con, self._transaction)

    # -- posters ---------------------------------------------------------------------------

    def add_posters(self, persons: pa.Table, photos: pa.Table, keys: pa.Table) -> int:
        """Store posters (``MISSING_SCHEMA``) with their photo hashes (case_id, ref, phash) and
        blocking keys (case_id, key). A case already stored is replaced, its old leads are
        dropped and it is matched again by the next run; reviews are kept."""
        with self._transaction():
            for name, table in (("_p", persons), ("_ph", photos), ("_k", keys)):
                self._con.register(name, table)
            try:
                for table in ("missing_persons", "missing_photos", "missing_keys"):
                    self._con.execute(
                        f"DELETE FROM {table} WHERE case_id IN (SELECT case_id FROM _p)"
                    )
                for table in ("missing_matched", "missing_leads"):
                    self._con.execute(
                        f"DELETE FROM {table} WHERE case_id IN (SELECT case_id FROM _p)"
                    )
                self._con.execute(
                    f"INSERT INTO missing_persons ({_PERSON_COLUMNS}, imported_at) "
                    f"SELECT {_PERSON_COLUMNS}, now() FROM _p"
                )
                self._con.execute("INSERT INTO missing_photos SELECT case_id, ref, phash FROM _ph")
                self._con.execute("INSERT INTO missing_keys SELECT DISTINCT case_id, key FROM _k")
            finally:
                for name in ("_p", "_ph", "_k"):
                    self._con.unregister(name)
        return persons.num_rows

    def poster_count(self) -> int:
        return self._scalar("SELECT count(*) FROM missing_persons")

    def posters(self) -> pa.Table:
        """Every poster (``MISSING_SCHEMA`` columns) plus ``photo_hashes`` (list)."""
        return self._query(
            f"SELECT {', '.join('p.' + c.strip() for c in _PERSON_COLUMNS.split(','))}, "
            "coalesce((SELECT list(h.phash ORDER BY h.ref) FROM missing_photos h "
            "WHERE h.case_id = p.case_id AND h.phash IS NOT NULL), []) AS photo_hashes "
            "FROM missing_persons p ORDER BY p.case_id"
        )

    def has_case(self, case_id: str) -> bool:
        return bool(
            self._scalar("SELECT count(*) FROM missing_persons WHERE case_id = ?", [case_id])
        )

    # -- match runs ------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget every comparison and lead (``match --all``); reviews are kept."""
        with self._transaction():
            for table in ("missing_ads_seen", "missing_matched", "missing_leads"):
                self._con.execute(f"DELETE FROM {table}")

    def begin_run(self, version: str) -> tuple[int, int]:
        """Take in the extracted ads no run of ``version`` has seen as a new batch; returns
        ``(batch, ads taken in)``. Posters of another version's state count as new."""
        with self._transaction():
            for table in ("missing_ads_seen", "missing_leads", "missing_matched"):
                self._con.execute(f"DELETE FROM {table} WHERE version <> ?", [version])
            last = self._scalar("SELECT coalesce(max(batch), 0) FROM missing_ads_seen")
            batch = last + 1
            added = self._scalar(
                "INSERT INTO missing_ads_seen SELECT e.ad_id, ?, ? FROM extracted_ads e "
                "ANTI JOIN missing_ads_seen s ON s.ad_id = e.ad_id",
                [batch, version],
            )
            # leads of an interrupted run of these pairs are redone, never doubled
            self._con.execute(
                "DELETE FROM missing_leads l USING missing_ads_seen s WHERE s.ad_id = l.ad_id "
                "AND s.batch > coalesce((SELECT m.batch FROM missing_matched m "
                "WHERE m.case_id = l.case_id), -1)"
            )
        return (batch if added else last), added

    def pending_posters(self, batch: int) -> int:
        """Posters that have not been compared with every ad up to ``batch``."""
        return self._scalar(
            "SELECT count(*) FROM missing_persons p LEFT JOIN missing_matched m USING (case_id) "
            "WHERE coalesce(m.batch, -1) < ?",
            [batch],
        )

    def distinct_values(self, field: str) -> list[str]:
        rows = self._con.execute(
            "SELECT DISTINCT value FROM extractions WHERE field = ? ORDER BY value", [field]
        ).fetchall()
        return [r[0] for r in rows]

    def ads_seen(self) -> int:
        return self._scalar("SELECT count(*) FROM missing_ads_seen")

    def ad_inputs(self, ad_ids: Sequence[str]) -> tuple[pa.Table, pa.Table]:
        """``(ads, extractions)`` for these ads: ads as ``ad_id, posted_at, title, body,
        location``;
        extraction rows of the fields the match reads."""
        cursor = self._con.cursor()
        try:
            cursor.register("_ids", pa.table({"ad_id": pa.array(ad_ids, pa.string())}))
            ads = cursor.sql(
                "SELECT a.ad_id, a.posted_at, a.title, a.body, a.location FROM ads a "
                "SEMI JOIN _ids i ON a.ad_id = i.ad_id"
            ).to_arrow_table()
            rows = cursor.sql(
                'SELECT e.ad_id, e.field, e.value, e.text, e.start, e."end", e.detail '
                f"FROM extractions e SEMI JOIN _ids i ON e.ad_id = i.ad_id "
                f"WHERE e.field IN {_AD_FIELDS}"
            ).to_arrow_table()
            return ads, rows
        finally:
            cursor.close()

    def linked_ads(self, anchors: pa.Table, *, max_group: int = 200) -> pa.Table:
        """Ads tied to an anchor ad (``case_id, ad_id, kind``: an ad with strong evidence for a
        case) by a signal of the person advertised: the same phone, the same photo (pHash) or,
        within one network of the ``networks`` table (when it holds rows), the same name.
        Values shared by more than ``max_group`` ads (switchboards, stock photos) tie nothing.
        Returns ``case_id, ad_id, anchor, kind, via, value, network_id``, one row per
        (case, ad), photo anchors first."""
        networks = self.has_table("networks") and bool(
            self._scalar("SELECT count(*) FROM (SELECT 1 FROM networks LIMIT 1)")
        )
        net = (
            "(SELECT min(n.network_id) FROM networks n WHERE n.ad_id = {})"
            if networks
            else "CAST(NULL AS VARCHAR)"
        )
        fields = "('phone', 'image', 'name')" if networks else "('phone', 'image')"
        cursor = self._con.cursor()
        try:
            cursor.register("_anchors", anchors)
            return cursor.sql(
                f"""
                WITH av AS (
                    SELECT DISTINCT a.case_id, a.ad_id AS anchor, a.kind, e.field, e.value,
                           {net.format("a.ad_id")} AS network_id
                    FROM _anchors a JOIN extractions e ON e.ad_id = a.ad_id
                    WHERE e.field IN {fields}
                      AND coalesce(e.detail, '') NOT LIKE '%area code%'
                ),
                groups AS (
                    SELECT e.field, e.value, count(DISTINCT e.ad_id) AS n
                    FROM extractions e SEMI JOIN av ON e.field = av.field AND e.value = av.value
                    GROUP BY ALL
                ),
                tied AS (
                    SELECT av.case_id, e.ad_id, av.anchor, av.kind, av.field AS via, av.value,
                           av.network_id, {net.format("e.ad_id")} AS ad_network
                    FROM av JOIN groups g ON g.field = av.field AND g.value = av.value
                    JOIN extractions e ON e.field = av.field AND e.value = av.value
                    WHERE g.n <= ? AND e.ad_id <> av.anchor
                ),
                best AS (
                    SELECT case_id, ad_id, arg_min(
                        {{'anchor': anchor, 'kind': kind, 'via': via, 'value': value,
                          'network_id': network_id}},
                        (kind <> 'photo', via <> 'phone', anchor)) AS b
                    FROM tied
                    WHERE via <> 'name' OR (network_id IS NOT NULL AND ad_network = network_id)
                    GROUP BY case_id, ad_id
                )
                SELECT b.case_id, b.ad_id, b.b.anchor AS anchor, b.b.kind AS kind,
                       b.b.via AS via, b.b.value AS value, b.b.network_id AS network_id,
                       a.source || ' ' || a.post_id AS anchor_post
                FROM best b LEFT JOIN ads a ON a.ad_id = b.b.anchor
                ORDER BY b.ad_id, b.case_id
                """,
                params=[max_group],
            ).to_arrow_table()
        finally:
            cursor.close()

    def sample_ad_ids(self, n: int, seed: int = 0) -> list[str]:
        """About ``n`` extracted ads drawn at random (repeatable per seed)."""
        rows = self._con.execute(
            f"SELECT ad_id FROM extracted_ads USING SAMPLE reservoir({int(n)} ROWS) "
            f"REPEATABLE ({int(seed)})"
        ).fetchall()
        return [r[0] for r in rows]

    def write_leads(self, leads: pa.Table, version: str) -> None:
        """Insert leads (``LEAD_SCHEMA``) of ``version``, replacing those of the same pairs."""
        if not leads.num_rows:
            return
        with self._transaction():
            self._con.register("_leads", leads)
            try:
                self._con.execute(
                    "DELETE FROM missing_leads l USING _leads n "
                    "WHERE l.case_id = n.case_id AND l.ad_id = n.ad_id"
                )
                self._con.execute(
                    "INSERT INTO missing_leads SELECT case_id, ad_id, match_probability, "
                    "match_weight, contributions, NULL, ?, now() FROM _leads",
                    [version],
                )
            finally:
                self._con.unregister("_leads")

    def finish_run(self, batch: int, version: str, keep: int = LEADS_KEPT) -> None:
        """Every poster has been compared with the ads up to ``batch``; rank leads per case and
        keep the best ``keep`` of each."""
        with self._transaction():
            self._con.execute("DELETE FROM missing_matched")
            self._con.execute(
                "INSERT INTO missing_matched SELECT case_id, ?, ?, now() FROM missing_persons",
                [batch, version],
            )
            self._con.execute(
                "UPDATE missing_leads l SET rank = r.rank FROM (SELECT case_id, ad_id, "
                "row_number() OVER (PARTITION BY case_id ORDER BY match_weight DESC, ad_id) "
                "AS rank FROM missing_leads) r WHERE l.case_id = r.case_id AND l.ad_id = r.ad_id"
            )
            self._con.execute("DELETE FROM missing_leads WHERE rank > ?", [keep])

    # -- reading leads ---------------------------------------------------------------------

    def has_table(self, name: str) -> bool:
        return bool(
            self._scalar(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
            )
        )

    def leads(self, case_id: str | None = None, limit: int = 50) -> pa.Table:
        """Ranked leads (of one case, or of every case) with the ad, its network id when a
        ``networks`` table exists, and the latest review."""
        network = (
            "(SELECT min(n.network_id) FROM networks n WHERE n.ad_id = l.ad_id)"
            if self.has_table("networks")
            else "CAST(NULL AS VARCHAR)"
        )
        where = "WHERE l.rank <= ?" + (" AND l.case_id = ?" if case_id is not None else "")
        params: list[Any] = [limit] + ([case_id] if case_id is not None else [])
        return self._query(
            f"""
            SELECT l.case_id, l.rank, l.ad_id, a.source, a.post_id, a.url,
                   strftime(a.posted_at AT TIME ZONE 'UTC', '%Y-%m-%d') AS posted,
                   a.title, a.body, [i.ref FOR i IN coalesce(a.images, [])] AS ad_photos,
                   l.match_probability AS probability, l.match_weight, l.contributions,
                   {network} AS network_id,
                   (SELECT arg_max(r.decision, r.reviewed_at) FROM lead_reviews r
                    WHERE r.case_id = l.case_id AND r.ad_id = l.ad_id) AS review
            FROM missing_leads l LEFT JOIN ads a ON a.ad_id = l.ad_id
            {where} ORDER BY l.case_id, l.rank
            """,
            params,
        )

    def export_leads(self, path: Path, top: int = 50) -> int:
        """Write ``case_id, rank, ad_id, source, post_id, probability`` (top ``top`` per case)
        as CSV, streamed by DuckDB; returns the number of rows."""
        n = self._scalar("SELECT count(*) FROM missing_leads WHERE rank <= ?", [top])
        target = str(path).replace("'", "''")
        self._con.execute(
            "COPY (SELECT l.case_id, l.rank, l.ad_id, a.source, a.post_id, "
            "round(l.match_probability, 6) AS probability FROM missing_leads l "
            f"LEFT JOIN ads a ON a.ad_id = l.ad_id WHERE l.rank <= {int(top)} "
            f"ORDER BY l.case_id, l.rank) TO '{target}' (HEADER, DELIMITER ',')"
        )
        return n

    # -- reviews ---------------------------------------------------------------------------

    def add_review(self, case_id: str, ad_id: str, decision: str, note: str, reviewer: str) -> None:
        """Append one review decision (never updated or deleted)."""
        self._con.execute(
            "INSERT INTO lead_reviews VALUES (?, ?, ?, ?, ?, now())",
            [case_id, ad_id, decision, note, reviewer],
        )

    def reviews(self, case_id: str) -> pa.Table:
        return self._query(
            "SELECT case_id, ad_id, decision, note, reviewer, "
            "strftime(reviewed_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS reviewed_at "
            "FROM lead_reviews WHERE case_id = ? ORDER BY reviewed_at, ad_id",
            [case_id],
        )

    # -- internals -------------------------------------------------------------------------

    def _query(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        cursor = self._con.cursor()
        try:
            return cursor.sql(sql, params=params).to_arrow_table()
        finally:
            cursor.close()

    def _scalar(self, sql: str, params: Sequence[Any] | None = None) -> int:
        row = self._con.execute(sql, params).fetchone()
        return int(row[0]) if row and row[0] is not None else 0
