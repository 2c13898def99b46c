-- Ads as ingested, and the values extracted from them. Columns mirror records.AD_SCHEMA and
-- records.EXTRACTION_SCHEMA; the Arrow schemas are the contract, this is their storage.
--
-- `ads.ad_id` is unique but deliberately not a PRIMARY KEY: the store inserts each batch with an
-- anti-join against `ads` (Store.add_ads), which measured about twice as fast as maintaining an
-- ART index with INSERT OR IGNORE on a million ads. Only Store.add_ads writes this table.
CREATE TABLE ads (
    ad_id        VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    post_id      VARCHAR,
    url          VARCHAR,
    posted_at    TIMESTAMPTZ,
    title        VARCHAR,
    body         VARCHAR NOT NULL,
    raw_title    VARCHAR,
    raw_body     VARCHAR,
    location     VARCHAR,
    stated_age   SMALLINT,
    images       STRUCT(ref VARCHAR, sha256 VARCHAR)[],
    raw_html     VARCHAR,
    extra        VARCHAR,
    origin       VARCHAR,
    ingested_at  TIMESTAMPTZ,
    content_hash VARCHAR
);

CREATE TABLE extractions (
    ad_id   VARCHAR NOT NULL,
    field   VARCHAR NOT NULL,
    value   VARCHAR NOT NULL,
    text    VARCHAR,
    start   INTEGER,
    "end"   INTEGER,
    detail  VARCHAR
);

-- Which ads the extract stage has processed, and with which extractor version: lets
-- `safelight extract` run incrementally and `--all` redo everything. One row per ad, kept so by
-- Store.write_extractions (delete, then insert) rather than by a PRIMARY KEY, whose in-memory
-- index grew the extract stage's memory with the number of ads.
CREATE TABLE extracted_ads (
    ad_id        VARCHAR NOT NULL,
    version      VARCHAR NOT NULL,
    extracted_at TIMESTAMPTZ NOT NULL
);

-- Resumable ingest: progress per input file (identified by path + size + mtime + head hash).
-- `records_done` counts records (ads and rejects) in file order that are committed; the
-- counters let a re-run report a finished file's records without reading it again.
CREATE TABLE ingest_files (
    fingerprint  VARCHAR PRIMARY KEY,
    path         VARCHAR NOT NULL,
    records_done BIGINT NOT NULL,
    ads_read     BIGINT NOT NULL DEFAULT 0,
    ads_stored   BIGINT NOT NULL DEFAULT 0,
    rejected     BIGINT NOT NULL DEFAULT 0,
    finished     BOOLEAN NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
