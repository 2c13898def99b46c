-- Missing-person posters and their leads (issue 5), stored apart from the ads: these are people
-- to protect. Columns of `missing_persons` mirror safelight.missing.MISSING_SCHEMA, those of
-- `missing_leads` safelight.missing.LEAD_SCHEMA plus the lead's rank within its case.
--
-- Written only through Store.missing (store/missing_tables.py):
-- - `missing_persons`: one row per case_id; a re-import of a case replaces its row, its photos
--   and its blocking keys, and makes it "new" for the next match run.
-- - `missing_photos`: the pHash of each local poster photo (null when unreadable).
-- - `missing_keys`: the poster's blocking keys (safelight.missing.model.poster_keys).
-- - `missing_ads_seen`: which ads a match run has taken in (by model version), numbered by run
--   (`batch`); `missing_matched`: for each poster, the last batch it was compared against.
--   Together they say which posters x which ads were compared, so `safelight missing match`
--   only compares new posters with every ad and old posters with new ads.
-- - `lead_reviews` is append-only: a decision is never updated or deleted; the latest per
--   (case_id, ad_id) is the current one.
CREATE TABLE missing_persons (
    case_id        VARCHAR NOT NULL,
    name           VARCHAR NOT NULL,
    aliases        VARCHAR[],
    sex            VARCHAR,
    dob            DATE,
    age_at_missing SMALLINT,
    date_missing   DATE NOT NULL,
    missing_city   VARCHAR,
    missing_state  VARCHAR,
    height_cm      FLOAT,
    weight_lb      FLOAT,
    hair           VARCHAR,
    eyes           VARCHAR,
    race           VARCHAR,
    marks          VARCHAR,
    photos         VARCHAR[],
    foster_care    BOOLEAN,
    agency         VARCHAR,
    extra          VARCHAR,
    origin         VARCHAR,
    imported_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE missing_photos (
    case_id VARCHAR NOT NULL,
    ref     VARCHAR NOT NULL,
    phash   VARCHAR
);

CREATE TABLE missing_keys (
    case_id VARCHAR NOT NULL,
    key     VARCHAR NOT NULL
);

CREATE TABLE missing_ads_seen (
    ad_id   VARCHAR NOT NULL,
    batch   INTEGER NOT NULL,
    version VARCHAR NOT NULL
);

CREATE TABLE missing_matched (
    case_id    VARCHAR NOT NULL,
    batch      INTEGER NOT NULL,
    version    VARCHAR NOT NULL,
    matched_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE missing_leads (
    case_id           VARCHAR NOT NULL,
    ad_id             VARCHAR NOT NULL,
    match_probability DOUBLE NOT NULL,
    match_weight      DOUBLE NOT NULL,
    contributions     VARCHAR NOT NULL,
    rank              INTEGER,
    version           VARCHAR NOT NULL,
    matched_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE lead_reviews (
    case_id     VARCHAR NOT NULL,
    ad_id       VARCHAR NOT NULL,
    decision    VARCHAR NOT NULL CHECK (decision IN ('confirm', 'dismiss')),
    note        VARCHAR NOT NULL,
    reviewer    VARCHAR NOT NULL,
    reviewed_at TIMESTAMPTZ NOT NULL
);
