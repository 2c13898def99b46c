"""The named SQL queries behind the report, each returning plain Python data.

Every aggregate runs inside the store (``store.query(sql, params) -> pyarrow.Table``); only
small results come back: counts, top-N lists, one row per chart point, and the capped set of
ads the report's table shows. Times are converted to UTC text in SQL so the report does not
depend on the session time zone.

Conventions shared by the queries:

- a *place* of an ad is an extracted ``place`` value that is not derived from a phone's area
  code; ads with no such value fall back to their ``location`` column;
- a *possible minor* is an ad the score stage flagged as a ``stated`` or ``likely`` minor;
  an ad not scored yet counts when its stated age, or any age found in its text, is under 18
  (so a store nobody has scored still shows its possible minors).

The ``risk`` and ``evidence`` tables (the score stage) may be empty: every query here still
runs, and the risk columns come back null.
"""

from __future__ import annotations

from typing import Any, Protocol

import pyarrow as pa

__all__ = [
    "ADULT_AGE",
    "MINOR_FLAGS",
    "QUERIES",
    "QueryStore",
    "ad_table_extractions",
    "ad_table_rows",
    "run",
    "triage_evidence",
    "triage_rows",
]

ADULT_AGE = 18

# The minor flags of the risk table, most urgent first ("none" is not a flag).
MINOR_FLAGS = ("stated", "likely")
_FLAG_RANK = "CASE {col} WHEN 'stated' THEN 0 WHEN 'likely' THEN 1 ELSE 2 END"


class QueryStore(Protocol):
    def query(self, sql: str, params: Any = None) -> pa.Table: ...


# Not an area-code place (detail is JSON text or null).
_NOT_AREA_CODE = (
    "(detail IS NULL OR coalesce(json_extract_string(detail, '$.source'), '') <> 'area code')"
)

_AD_PLACES = f"""
ad_places AS (
    SELECT DISTINCT ad_id, value AS place
    FROM extractions
    WHERE field = 'place' AND {_NOT_AREA_CODE}
    UNION
    SELECT ad_id, trim(location) AS place
    FROM ads
    WHERE location IS NOT NULL AND trim(location) <> ''
      AND ad_id NOT IN (
          SELECT ad_id FROM extractions WHERE field = 'place' AND {_NOT_AREA_CODE}
      )
)"""

_AGE_MINOR_ADS = f"""
age_minor_ads AS (
    SELECT ad_id FROM ads WHERE stated_age < {ADULT_AGE}
    UNION
    SELECT ad_id FROM extractions
    WHERE field = 'age' AND TRY_CAST(value AS INTEGER) < {ADULT_AGE}
)"""

# ad_id -> flag ('stated' | 'likely'): the score's flag, else (ad not scored) an age under 18,
# which is what the score would call 'stated'.
_MINOR_ADS = f"""
{_AGE_MINOR_ADS},
minor_ads AS (
    SELECT ad_id, minor FROM risk WHERE minor IN ('stated', 'likely')
    UNION ALL
    SELECT m.ad_id, 'stated' AS minor FROM age_minor_ads m ANTI JOIN risk r ON r.ad_id = m.ad_id
)"""

_UTC_DAY = "strftime(posted_at AT TIME ZONE 'UTC', '%Y-%m-%d')"
_UTC_MINUTE = "strftime(posted_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M')"

QUERIES: dict[str, str] = {
    "summary": f"""
        WITH {_MINOR_ADS}
        SELECT
            (SELECT count(*) FROM ads) AS ads,
            (SELECT count(DISTINCT source) FROM ads) AS sources,
            (SELECT strftime(min(posted_at) AT TIME ZONE 'UTC', '%Y-%m-%d') FROM ads) AS first_day,
            (SELECT strftime(max(posted_at) AT TIME ZONE 'UTC', '%Y-%m-%d') FROM ads) AS last_day,
            (SELECT count(*) FROM ads WHERE posted_at IS NULL) AS ads_without_date,
            (SELECT count(DISTINCT ad_id) FROM extractions WHERE field = 'phone')
                AS ads_with_phone,
            (SELECT count(DISTINCT value) FROM extractions WHERE field = 'phone') AS phones,
            (SELECT count(DISTINCT value) FROM extractions WHERE field = 'email') AS emails,
            (SELECT count(DISTINCT value) FROM extractions WHERE field = 'handle') AS handles,
            (SELECT count(*) FROM minor_ads) AS possible_minor_ads,
            (SELECT count(*) FROM age_minor_ads) AS age_minor_ads,
            (SELECT count(*) FROM ads WHERE stated_age < {ADULT_AGE}) AS stated_age_minor_ads,
            (SELECT count(*) FROM risk) AS scored_ads,
            (SELECT count(*) FROM risk WHERE minor = 'stated') AS stated_minors,
            (SELECT count(*) FROM risk WHERE minor = 'likely') AS likely_minors,
            (SELECT count(*) FROM extracted_ads) AS extracted_ads,
            (SELECT count(*) FROM extractions) AS extractions
    """,
    "ads_per_day": f"""
        SELECT {_UTC_DAY} AS day, count(*) AS ads
        FROM ads WHERE posted_at IS NOT NULL
        GROUP BY 1 ORDER BY 1
    """,
    "ads_per_place": f"""
        WITH {_AD_PLACES}
        SELECT place, count(DISTINCT ad_id) AS ads
        FROM ad_places
        GROUP BY place ORDER BY ads DESC, place LIMIT ?
    """,
    # Phones or emails (param 1: field) in the most ads (param 2: limit).
    "top_values": f"""
        WITH {_AD_PLACES}, {_MINOR_ADS},
        hits AS (SELECT DISTINCT ad_id, value FROM extractions WHERE field = ?),
        top AS (
            SELECT value, count(*) AS ads FROM hits
            GROUP BY value ORDER BY ads DESC, value LIMIT ?
        )
        SELECT
            t.value,
            t.ads,
            count(DISTINCT m.ad_id) AS minor_ads,
            count(DISTINCT p.place) AS places,
            count(DISTINCT a.source) AS sources,
            strftime(min(a.posted_at) AT TIME ZONE 'UTC', '%Y-%m-%d') AS first_seen,
            strftime(max(a.posted_at) AT TIME ZONE 'UTC', '%Y-%m-%d') AS last_seen
        FROM top t
        JOIN hits h ON h.value = t.value
        JOIN ads a ON a.ad_id = h.ad_id
        LEFT JOIN minor_ads m ON m.ad_id = h.ad_id
        LEFT JOIN ad_places p ON p.ad_id = h.ad_id
        GROUP BY t.value, t.ads
        ORDER BY t.ads DESC, t.value
    """,
    "field_counts": """
        SELECT field, count(*) AS found, count(DISTINCT ad_id) AS ads,
               count(DISTINCT value) AS distinct_values
        FROM extractions
        GROUP BY field ORDER BY found DESC
    """,
    # One row per (ad, age): the stated age field and every age found in the text.
    "age_histogram": """
        WITH ad_ages AS (
            SELECT ad_id, CAST(stated_age AS INTEGER) AS age FROM ads
            WHERE stated_age IS NOT NULL
            UNION
            SELECT ad_id, TRY_CAST(value AS INTEGER) AS age FROM extractions
            WHERE field = 'age' AND TRY_CAST(value AS INTEGER) IS NOT NULL
        )
        SELECT age, count(DISTINCT ad_id) AS ads FROM ad_ages GROUP BY age ORDER BY age
    """,
}

# The ads shown in the table: the most recent (param 1) plus possible minors (param 2).
_CHOSEN = f"""
    {_MINOR_ADS},
    recent AS (
        SELECT ad_id FROM ads ORDER BY posted_at DESC NULLS LAST, ad_id LIMIT ?
    ),
    minors_capped AS (
        SELECT m.ad_id FROM minor_ads m JOIN ads a USING (ad_id)
        ORDER BY a.posted_at DESC NULLS LAST, m.ad_id LIMIT ?
    ),
    chosen AS (SELECT ad_id FROM recent UNION SELECT ad_id FROM minors_capped)
"""

_AD_TABLE_ROWS = f"""
    WITH {_CHOSEN},
    indicators AS (
        SELECT e.ad_id, string_agg(DISTINCT e.indicator, ' ' ORDER BY e.indicator) AS indicators,
               string_agg(DISTINCT e.category, ' ' ORDER BY e.category) AS categories
        FROM evidence e JOIN chosen c ON c.ad_id = e.ad_id
        GROUP BY e.ad_id
    )
    SELECT a.ad_id, {_UTC_MINUTE} AS posted, a.source, a.location, a.title, a.body,
           a.stated_age, a.url, (m.ad_id IS NOT NULL) AS possible_minor,
           m.minor AS minor_flag, r.score AS score, i.indicators, i.categories
    FROM ads a
    JOIN chosen c ON c.ad_id = a.ad_id
    LEFT JOIN minor_ads m ON m.ad_id = a.ad_id
    LEFT JOIN risk r ON r.ad_id = a.ad_id
    LEFT JOIN indicators i ON i.ad_id = a.ad_id
    ORDER BY {_FLAG_RANK.format(col="m.minor")}, r.score DESC NULLS LAST,
             a.posted_at DESC NULLS LAST, a.ad_id
"""

_AD_TABLE_EXTRACTIONS = f"""
    WITH {_CHOSEN}
    SELECT e.ad_id, e.field, e.value, e.start, e."end", e.detail
    FROM extractions e JOIN chosen c ON c.ad_id = e.ad_id
    ORDER BY e.ad_id, e.start NULLS FIRST, e.field
"""

# The triage queue: scored ads, minor flags first (stated, likely), then score; param: limit.
_TRIAGE_ROWS = f"""
    WITH queue AS (
        SELECT r.ad_id, r.score, r.minor
        FROM risk r
        ORDER BY {_FLAG_RANK.format(col="r.minor")}, r.score DESC, r.ad_id
        LIMIT ?
    ),
    phones AS (
        SELECT e.ad_id, string_agg(DISTINCT e.value, ', ' ORDER BY e.value) AS phones
        FROM extractions e SEMI JOIN queue q ON q.ad_id = e.ad_id
        WHERE e.field = 'phone'
        GROUP BY e.ad_id
    ),
    places AS (
        SELECT e.ad_id, string_agg(DISTINCT e.value, '; ' ORDER BY e.value) AS places
        FROM extractions e SEMI JOIN queue q ON q.ad_id = e.ad_id
        WHERE e.field = 'place' AND {_NOT_AREA_CODE}
        GROUP BY e.ad_id
    )
    SELECT q.ad_id, q.score, q.minor, {_UTC_MINUTE} AS posted, a.source, a.location,
           a.title, a.body, a.stated_age, a.url, p.phones, pl.places
    FROM queue q
    JOIN ads a ON a.ad_id = q.ad_id
    LEFT JOIN phones p ON p.ad_id = q.ad_id
    LEFT JOIN places pl ON pl.ad_id = q.ad_id
    ORDER BY {_FLAG_RANK.format(col="q.minor")}, q.score DESC, q.ad_id
"""

_TRIAGE_EVIDENCE = """
    SELECT ad_id, indicator, category, text, start, "end", points
    FROM evidence
    WHERE ad_id IN (SELECT unnest(?::VARCHAR[]))
    ORDER BY ad_id, points DESC, start NULLS FIRST, indicator
"""

# Per category (and per indicator): scored ads with at least one evidence item of it.
# Evidence of an ad whose risk row is gone (re-extracted, not rescored yet) is left out.
QUERIES["category_counts"] = """
    SELECT e.category, count(DISTINCT e.ad_id) AS ads, count(*) AS items
    FROM evidence e SEMI JOIN risk r ON r.ad_id = e.ad_id
    GROUP BY e.category ORDER BY ads DESC, e.category
"""
QUERIES["top_indicators"] = """
    SELECT e.indicator, any_value(e.category) AS category, count(DISTINCT e.ad_id) AS ads
    FROM evidence e SEMI JOIN risk r ON r.ad_id = e.ad_id
    GROUP BY e.indicator ORDER BY ads DESC, e.indicator LIMIT ?
"""


def _rows(table: pa.Table) -> list[dict[str, Any]]:
    return table.to_pylist()


def run(store: QueryStore, name: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    """Run the named query and return its rows as dicts."""
    return _rows(store.query(QUERIES[name], params))


def ad_table_rows(store: QueryStore, recent: int, minors: int) -> list[dict[str, Any]]:
    """The ads for the table: ``recent`` most recent plus up to ``minors`` possible minors."""
    return _rows(store.query(_AD_TABLE_ROWS, [recent, minors]))


def ad_table_extractions(store: QueryStore, recent: int, minors: int) -> list[dict[str, Any]]:
    """Every extraction of the ads ``ad_table_rows`` returns (same parameters)."""
    return _rows(store.query(_AD_TABLE_EXTRACTIONS, [recent, minors]))


def triage_rows(store: QueryStore, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` scored ads of the triage queue, with their phones and places."""
    return _rows(store.query(_TRIAGE_ROWS, [limit]))


def triage_evidence(store: QueryStore, ad_ids: list[str]) -> list[dict[str, Any]]:
    """The evidence rows of ``ad_ids``, per ad the most points first."""
    if not ad_ids:
        return []
    return _rows(store.query(_TRIAGE_EVIDENCE, [ad_ids]))
