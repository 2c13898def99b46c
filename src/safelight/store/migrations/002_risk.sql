-- The score stage's output: one risk row per ad (score 0-100, minor flag) and the evidence it
-- is made of. `version` is the scorer version (catalogue + code): a change rescores the ads.
CREATE TABLE risk (
    ad_id     VARCHAR NOT NULL,
    score     DOUBLE NOT NULL,
    minor     VARCHAR NOT NULL,
    version   VARCHAR NOT NULL,
    scored_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE evidence (
    ad_id     VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    category  VARCHAR NOT NULL,
    text      VARCHAR,
    start     INTEGER,
    "end"     INTEGER,
    points    DOUBLE NOT NULL
);
