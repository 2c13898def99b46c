-- What missing-person matching reads from each ad, stored once (issue 5, speed): the names,
-- stated ages, places (with their located points and census divisions), photo pHashes and the
-- physical descriptors (height, weight, hair, eyes, marks) read from the ad's text. Reading the
-- descriptors is most of the cost of comparing an ad, and it depends on the ad alone, so each ad
-- is read once; matching then blocks and scores every candidate pair in SQL over this table.
--
-- Written only through Store.missing.evidence (store/missing_evidence.py), filled
-- incrementally: an ad gets a row when it is extracted, and a new row when it is extracted
-- again (`extracted_at` differs) or when the code that reads the evidence changes (`version`,
-- safelight.missing.adstore.evidence_version). Lists keep the order the ad gives.
CREATE TABLE missing_ad_evidence (
    ad_id         VARCHAR NOT NULL,
    version       VARCHAR NOT NULL,
    extracted_at  TIMESTAMPTZ,
    posted        DATE,         -- the UTC day of posted_at
    names         VARCHAR[],
    ages          INTEGER[],
    places        VARCHAR[],    -- place values, area-code regions last
    -- the places located, as unit vectors and vagueness in km; ppoints: those that are cities
    points        STRUCT(x DOUBLE, y DOUBLE, z DOUBLE, radius DOUBLE)[],
    ppoints       STRUCT(x DOUBLE, y DOUBLE, z DOUBLE, radius DOUBLE)[],
    regions       VARCHAR[],    -- distinct census divisions of the places
    photos        VARCHAR[],    -- 64-bit pHashes as 16 hex digits
    photo_bits    UBIGINT[],    -- the same, as integers
    heights       DOUBLE[],     -- cm
    weights       DOUBLE[],     -- lb
    hair          VARCHAR[],
    hair_families VARCHAR[],
    eyes          VARCHAR[],
    marks         STRUCT(kind VARCHAR, motif VARCHAR, location VARCHAR, side VARCHAR)[],
    -- Derived from the lists above when a row is written (MissingEvidence.write), never given:
    -- most ads state one age, height, place..., and the first pass reads these scalars for
    -- them; an ad with two values of something (or any mark) takes the list path (`multi`).
    posted_key    INTEGER,      -- posted as yyyymmdd: ages are (posted_key - birth) // 10000
    n_names       INTEGER,
    name1         VARCHAR,      -- the name when there is exactly one, else NULL
    n_ages        INTEGER,
    age_min       INTEGER,
    age_max       INTEGER,
    n_photos      INTEGER,
    n_heights     INTEGER,
    height1       DOUBLE,
    n_weights     INTEGER,
    weight1       DOUBLE,
    n_hair        INTEGER,
    hair1         VARCHAR,
    hair_family1  VARCHAR,
    n_eyes        INTEGER,
    eyes1         VARCHAR,
    n_marks       INTEGER,
    n_pts         INTEGER,      -- points compared: ppoints when any, else points
    has_ppoint    BOOLEAN,
    pt_x          DOUBLE,       -- that one point when there is exactly one, else NULL
    pt_y          DOUBLE,
    pt_z          DOUBLE,
    pt_r          DOUBLE,
    multi         BOOLEAN       -- some value is not single (two ages, heights, ...; any mark)
);
