"""Per-ad match evidence (migration 007) and the SQL first pass of missing-person matching.

Reached as ``store.missing.evidence``. ``write`` stores ``safelight.missing.adstore`` rows;
``stale_ad_ids`` says which extracted ads lack a current row. ``photo_pairs`` finds, once per
run, every pair whose photos are within pHash distance 10 (exactly, through 16-bit bands with
their 0-2 bit variants). ``first_pass`` blocks and scores, for a few posters at a time, the
pairs not yet compared (incremental batches, as ``MissingTables``) that have a name level
(``name_levels``: case_id, value, rank 0 exact / 1 variant / 2 nickname, computed by the
caller), a photo pair, a census division with a stated age the poster's age allows (a shifted
age only near the poster's origin), or height and weight both close to the poster's anywhere
(``store/missing_blocks.py``); never an ad before the disappearance. Each pair's comparison
levels are computed in SQL and their weights summed (``missing_scalar.scored``, weights given by
the model); per case only the best ``top`` pairs (score, then ad id) come back, with every
possible "anchor" pair (photo within distance 10, or an exact/variant name with a score near or
above 0). ``score_pairs`` scores given pairs the same way (ads tied to an anchor). Nothing is
logged.

Cost: the region block yields most pairs. It is joined from the scalar columns only, and a
region pair's name level and photo distance are looked up in the poster's few name values and
photo pairs (small hash tables); only ads with several names look theirs up among the strong
pairs. Strong pairs (a name level or a photo) the region block does not take are fetched on
their own: the two sets are disjoint by construction (``IN_REGION``), with no anti-join. The
descriptor block's pairs are the only ones anti-joined, against the strong pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from safelight.store.missing_blocks import (
    ALLOWED,
    DESC_HEIGHT_KEY,
    DESC_JOIN,
    DESC_KEYS,
    DESC_OK,
    DESC_ONCE,
    IN_REGION,
    NEAR_PRE,
    POSTER_DESC_KEYS,
    POSTER_HEIGHT_KEYS,
    REGION_AGE,
    REGION_OK,
)
from safelight.store.missing_scalar import AD_SCALARS, DERIVED, LISTS, carried, scored
from safelight.store.missing_sql import (
    EPS,
    EXACT_PHOTO,
    OVER_10,
    POSTERS_AND_ADS,
    POSTERS_AND_ALL_ADS,
    PP,
)

if TYPE_CHECKING:
    import duckdb

__all__ = ["MissingEvidence"]

_COLUMNS = (
    "ad_id, version, extracted_at, posted, names, ages, places, points, ppoints, regions, photos, "
    "photo_bits, heights, weights, hair, hair_families, eyes, marks"
)
_INSERTED = _COLUMNS.replace(
    "extracted_at",
    "(SELECT max(x.extracted_at) FROM extracted_ads x WHERE x.ad_id = _ev.ad_id)",
)

_DERIVED = ", ".join(DERIVED.values())  # the scalar columns, from the lists (missing_sql)
_LISTS = ", ".join("e." + c for c in LISTS.split(", "))

# the region block (pno, photo_d over 10, the ad's scalars and carried lists) for the ads whose
# names satisfy ``{names}``, read from the scalar columns: an ad stating one age joins the keys
# its poster's age rule takes (``ALLOWED``), the others the poster's division with the rule
# (REGION_AGE) in the join
_REGION = f"""
    SELECT p.pno, {OVER_10} AS photo_d, {AD_SCALARS}, {_LISTS}
    FROM (SELECT {AD_SCALARS}, {carried()}, e.batch, e.n_photos, unnest(e.regions) AS region
          FROM ev e WHERE e.posted IS NOT NULL AND e.n_ages = 1 AND {{names}}) e
    JOIN allowed p ON p.region = e.region AND p.age = e.age_min
         AND p.posted_key = e.posted_key AND e.batch > p.done
         AND (NOT p.near_only OR {NEAR_PRE})
    UNION ALL
    SELECT p.pno, {OVER_10} AS photo_d, {AD_SCALARS}, {_LISTS}
    FROM (SELECT {AD_SCALARS}, {carried()}, e.batch, e.n_photos, unnest(e.regions) AS region
          FROM ev e WHERE e.posted IS NOT NULL AND e.n_ages > 1 AND {{names}}) e
    JOIN pp p ON p.region = e.region AND e.batch > p.done AND e.posted >= p.date_missing
         AND {REGION_AGE}"""


# the descriptor block (height and weight close, age not inconsistent; joined on 10 lb weight
# and 5 cm height buckets) less the pairs of the name, photo and region blocks
_DESC = f"""
    SELECT p.pno, 9 AS rank, {OVER_10} AS photo_d, {AD_SCALARS}, {_LISTS}
    FROM (SELECT *, {DESC_KEYS} AS wb, {DESC_HEIGHT_KEY} AS hb
          FROM (SELECT {AD_SCALARS}, {carried()}, e.batch, e.n_photos, e.regions FROM ev e
                WHERE e.posted IS NOT NULL AND e.n_heights > 0 AND e.n_weights > 0)) e
    JOIN (SELECT *, {POSTER_HEIGHT_KEYS} AS hb
          FROM (SELECT *, {POSTER_DESC_KEYS} AS wb FROM pp
                WHERE p_weight IS NOT NULL AND p_height IS NOT NULL)) p
      ON p.wb = e.wb AND p.hb = e.hb AND e.batch > p.done AND e.posted >= p.date_missing
         AND {DESC_ONCE} AND {DESC_JOIN}
    LEFT JOIN strong s ON s.pno = p.pno AND s.ad_id = e.ad_id
    WHERE s.pno IS NULL AND NOT {IN_REGION}"""


class MissingEvidence:
    """The ``missing_ad_evidence`` table and the SQL first pass over it."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, transaction: Any, *, own: bool = False
    ) -> None:
        self._con = con
        self._transaction = transaction
        self._own = own  # con is this object's own cursor (for a worker thread)

    def for_thread(self) -> MissingEvidence:
        """A copy on a cursor of its own, for read queries from one other thread; ``close`` it
        when done."""
        return MissingEvidence(self._con.cursor(), self._transaction, own=True)

    def close(self) -> None:
        if self._own:
            self._con.close()

    def stale_ad_ids(self, version: str) -> list[str]:
        """Extracted ads without evidence of ``version`` read from their latest extraction."""
        rows = self._con.execute(
            "SELECT x.ad_id FROM extracted_ads x LEFT JOIN missing_ad_evidence e "
            "ON e.ad_id = x.ad_id AND e.version = ? "
            "AND e.extracted_at IS NOT DISTINCT FROM x.extracted_at "
            "WHERE e.ad_id IS NULL ORDER BY x.ad_id",
            [version],
        ).fetchall()
        return [r[0] for r in rows]

    def write(self, rows: pa.Table) -> None:
        """Store evidence rows (``adstore.EVIDENCE_SCHEMA``), replacing those of the same ads,
        each stamped with the time of the extraction it was read from."""
        if not rows.num_rows:
            return
        with self._transaction():
            self._con.register("_ev", rows)
            try:
                self._con.execute(
                    "DELETE FROM missing_ad_evidence WHERE ad_id IN (SELECT ad_id FROM _ev)"
                )
                self._con.execute(
                    f"INSERT INTO missing_ad_evidence ({_COLUMNS}, {', '.join(DERIVED)}) "
                    f"SELECT {_INSERTED}, {_DERIVED} FROM _ev"
                )
            finally:
                self._con.unregister("_ev")

    def count(self) -> int:
        row = self._con.execute("SELECT count(*) FROM missing_ad_evidence").fetchone()
        return int(row[0]) if row else 0

    def rows(self, ad_ids: Iterable[str]) -> pa.Table:
        """The evidence rows of these ads."""
        cursor = self._con.cursor()
        try:
            cursor.register("_ids", pa.table({"ad_id": pa.array(list(ad_ids), pa.string())}))
            return cursor.sql(
                f"SELECT {_COLUMNS} FROM missing_ad_evidence SEMI JOIN _ids USING (ad_id)"
            ).to_arrow_table()
        finally:
            cursor.close()

    def sample(self, n: int, seed: int = 0) -> pa.Table:
        """About ``n`` evidence rows drawn at random (repeatable per seed)."""
        return self._run(
            f"SELECT {_COLUMNS} FROM missing_ad_evidence "
            f"USING SAMPLE reservoir({int(n)} ROWS) REPEATABLE ({int(seed)}) ORDER BY ad_id",
            {},
            {},
        )

    def distinct_names(self) -> list[str]:
        rows = self._con.execute(
            "SELECT DISTINCT unnest(names) AS n FROM missing_ad_evidence ORDER BY n"
        ).fetchall()
        return [r[0] for r in rows if r[0] is not None]

    def photo_pairs(self, batch: int, posters: pa.Table) -> pa.Table:
        """``case_id, ad_id, d`` for every pair not yet compared whose photos are within pHash
        distance ``d`` <= 10, found exactly: split into 4 bands of 16 bits, two photos within
        10 bits differ by at most 2 bits in some band, so each poster band is keyed with its
        137 variants of 0-2 flipped bits and joined on equality (one query for every poster;
        the output is small)."""
        sql = f"""
        WITH {POSTERS_AND_ADS},
        masks AS (
            SELECT CAST(0 AS UBIGINT) AS m
            UNION ALL SELECT CAST(1 AS UBIGINT) << j FROM range(16) a(j)
            UNION ALL SELECT (CAST(1 AS UBIGINT) << j) | (CAST(1 AS UBIGINT) << k)
            FROM range(16) a(j), range(16) b(k) WHERE j < k
        ),
        keys AS (
            SELECT b.case_id, b.done, b.bits, t.i,
                   xor((b.bits >> (16 * t.i)) & 65535, m.m) AS band
            FROM (SELECT case_id, done, unnest(p_photo_bits) AS bits FROM pp) b,
                 range(4) t(i), masks m
        )
        SELECT h.case_id, x.ad_id, min(bit_count(xor(x.bits, h.bits))) AS d
        FROM (
            SELECT y.ad_id, y.batch, y.bits, t.i, (y.bits >> (16 * t.i)) & 65535 AS band
            FROM (SELECT ad_id, batch, unnest(photo_bits) AS bits FROM ev) y, range(4) t(i)
        ) x JOIN keys h ON h.i = x.i AND h.band = x.band
        WHERE x.batch > h.done AND bit_count(xor(x.bits, h.bits)) <= 10
        GROUP BY ALL
        """
        return self._run(sql, {"_posters": posters}, {"batch": batch})

    def first_pass(
        self,
        batch: int,
        posters: pa.Table,
        name_levels: pa.Table,
        photo_pairs: pa.Table,
        weights: Mapping[str, Mapping[str, float]],
        prior_weight: float,
        top: int,
        slack: float = 0.0,
    ) -> pa.Table:
        """Per case: ``pairs`` (blocked), ``top`` (the best ``top`` of {ad_id, score} by score
        then ad id) and ``anchors`` (list of {ad_id, score, photo_d, rank}); see the module
        docstring. ``posters``: ``safelight.missing.firstpass.POSTER_SCHEMA`` (the caller sends
        a few at a time: the name pairs of common names are many); ``photo_pairs``: from
        ``photo_pairs``; ``slack``: the most that comparisons made outside SQL can add (a name
        anchor needs probability 0.5: a score of at least -slack)."""
        floor = -(EPS + float(slack))
        all_new = self._all_new(posters)
        sql = f"""
        WITH {POSTERS_AND_ALL_ADS if all_new else POSTERS_AND_ADS},
        {ALLOWED.strip()},
        name_pairs AS (
            SELECT p.pno, x.ad_id, min(n.rank) AS rank
            FROM (SELECT ad_id, batch, unnest(names) AS name FROM ev) x
            JOIN _name_levels n ON n.value = x.name
            JOIN pp p ON p.case_id = n.case_id AND x.batch > p.done
            GROUP BY ALL
        ),
        strong AS (  -- a name level or a photo within distance 10
            SELECT pno, ad_id, min(rank) AS rank, min(d) AS d FROM (
                SELECT pno, ad_id, rank, CAST(NULL AS BIGINT) AS d FROM name_pairs
                UNION ALL
                SELECT p.pno, f.ad_id, 9, f.d FROM _photo_pairs f JOIN pp p USING (case_id)
            ) GROUP BY ALL
        ),
        nl AS (SELECT p.pno, n.value, n.rank FROM _name_levels n JOIN pp p USING (case_id)),
        _blocked AS (
            -- an ad with one name or none: its name level and photo distance looked up in
            -- the poster's few names and photo pairs (small joins)
            SELECT r.* EXCLUDE (photo_d), coalesce(n.rank, 9) AS rank,
                   coalesce(f.d, r.photo_d) AS photo_d
            FROM ({_REGION.format(names="e.n_names <= 1")}) r
            LEFT JOIN nl n ON n.pno = r.pno AND n.value = r.name1
            LEFT JOIN (SELECT p.pno, f.ad_id, f.d FROM _photo_pairs f JOIN pp p USING (case_id)) f
                   ON f.pno = r.pno AND f.ad_id = r.ad_id
            UNION ALL BY NAME  -- several names (rare): from the strong pairs
            SELECT r.* EXCLUDE (photo_d), coalesce(s.rank, 9) AS rank,
                   coalesce(s.d, r.photo_d) AS photo_d
            FROM ({_REGION.format(names="e.n_names > 1")}) r
            LEFT JOIN strong s ON s.pno = r.pno AND s.ad_id = r.ad_id
            UNION ALL BY NAME  -- strong pairs the region block does not take
            SELECT s.pno, s.rank, coalesce(s.d, {OVER_10}) AS photo_d, {AD_SCALARS},
                   {carried()}
            FROM strong s JOIN ev e ON e.ad_id = s.ad_id JOIN pp p ON p.pno = s.pno
            LEFT JOIN (SELECT pno AS a_pno, age AS a_age, posted_key AS a_key, near_only
                       FROM allowed) a  -- the region rule of a single-age ad, looked up
                   ON e.n_ages = 1 AND a.a_pno = s.pno AND a.a_age = e.age_min
                   AND a.a_key = e.posted_key
            WHERE (e.posted IS NULL OR e.posted >= p.date_missing) AND NOT CASE
                WHEN e.n_ages = 1 THEN coalesce(a.a_pno IS NOT NULL
                     AND list_contains(e.regions, p.region)
                     AND e.batch > p.done AND (NOT a.near_only OR {NEAR_PRE}), false)
                ELSE {IN_REGION} END
            UNION ALL BY NAME  -- descriptor pairs no other block takes
            {_DESC}
        ),
        {scored(weights, prior_weight, f"({REGION_OK} OR {DESC_OK})").strip()}
        SELECT case_id, count(*) AS pairs,
               min_by({{'ad_id': ad_id, 'score': score}}, {{'s': -score, 'a': ad_id}},
                      {int(top)}) AS top,
               coalesce(list({{'ad_id': ad_id, 'score': score, 'photo_d': photo_d,
                               'rank': rank}}) FILTER (WHERE photo_d <= 10
                               OR (rank <= 1 AND score >= {floor!r})), []) AS anchors
        FROM scored GROUP BY case_id ORDER BY case_id
        """
        tables = {"_posters": posters, "_name_levels": name_levels, "_photo_pairs": photo_pairs}
        return self._run(sql, tables, {} if all_new else {"batch": batch})

    def _all_new(self, posters: pa.Table) -> bool:
        """Was no poster of ``posters`` ever matched (no ``missing_matched`` row)?"""
        matched = self._run(
            "SELECT count(*) AS n FROM missing_matched SEMI JOIN _cases USING (case_id)",
            {"_cases": posters.select(["case_id"])},
            {},
        )
        return not matched["n"][0].as_py()

    def score_pairs(
        self,
        pairs: pa.Table,
        posters: pa.Table,
        name_levels: pa.Table,
        weights: Mapping[str, Mapping[str, float]],
        prior_weight: float,
        *,
        lists: bool = False,
    ) -> pa.Table:
        """``case_id, ad_id, score, photo_d, rank`` for given ``(case_id, ad_id)`` pairs (no
        blocking, any batch); ``lists``: score every pair on the list path (for tests)."""
        sql = f"""
        WITH {PP.format(done="-1", join="").strip()},
        ranks AS (
            SELECT q.case_id, q.ad_id, min(n.rank) AS rank
            FROM _pairs q JOIN (SELECT ad_id, unnest(names) AS name FROM missing_ad_evidence
                                SEMI JOIN _pairs USING (ad_id)) x ON x.ad_id = q.ad_id
            JOIN _name_levels n ON n.value = x.name AND n.case_id = q.case_id
            GROUP BY ALL
        ),
        _blocked AS (
            SELECT p.pno, coalesce(r.rank, 9) AS rank, {EXACT_PHOTO} AS photo_d, {AD_SCALARS},
                   {carried(lists)}
            FROM _pairs q JOIN missing_ad_evidence e ON e.ad_id = q.ad_id
            JOIN pp p ON p.case_id = q.case_id
            LEFT JOIN ranks r ON r.case_id = q.case_id AND r.ad_id = q.ad_id
        ),
        {scored(weights, prior_weight, "true", lists).strip()}
        SELECT case_id, ad_id, score, photo_d, rank FROM scored
        ORDER BY case_id, ad_id
        """
        return self._run(
            sql, {"_pairs": pairs, "_posters": posters, "_name_levels": name_levels}, {}
        )

    def _run(self, sql: str, tables: Mapping[str, pa.Table], params: Mapping[str, Any]) -> pa.Table:
        cursor = self._con if self._own else self._con.cursor()
        try:
            for name, table in tables.items():
                cursor.register(name, table)
            return cursor.sql(sql, params=dict(params) or None).to_arrow_table()
        finally:
            if self._own:
                for name in tables:
                    cursor.unregister(name)
            else:
                cursor.close()
