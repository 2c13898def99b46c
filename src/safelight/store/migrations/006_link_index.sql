-- The link index (issue 4: "adding 10k new ads to a linked 1M store must not redo all the
-- work"). With it an incremental run finds the new ads' links by joining their keys against
-- the stored ones and recomputes only the buckets, photos and clusters they touch.
--
-- `tid`: a distinct masked text's 64-bit id (first 8 bytes of its digest `text_key`).
-- `link_text_bands`: the LSH band keys of every distinct text long enough to compare;
-- `link_text_pairs`: verified near-duplicate text pairs (tid_a < tid_b) with their estimated
-- Jaccard and how many LSH buckets produce them (a pair leaves when no bucket does);
-- `link_image_hashes`: per distinct pHash, its ads, first ad, neighbourhood (ads of every
-- hash within the radius) and whether it is flagged too common.
-- Rows written by an older link stage carry no `tid`: any code change relinks every ad.
ALTER TABLE link_text_keys ADD COLUMN tid BIGINT;
ALTER TABLE link_text_sigs ADD COLUMN tid BIGINT;

CREATE TABLE link_text_bands (
    band UTINYINT NOT NULL,
    bkey UBIGINT NOT NULL,
    tid  BIGINT NOT NULL
);

CREATE TABLE link_text_pairs (
    tid_a     BIGINT NOT NULL,
    tid_b     BIGINT NOT NULL,
    jaccard   FLOAT NOT NULL,
    n_buckets INTEGER NOT NULL
);

CREATE TABLE link_image_hashes (
    hash     UBIGINT NOT NULL,
    n_ads    BIGINT NOT NULL,
    first_ad VARCHAR NOT NULL,
    hood     BIGINT NOT NULL,
    flagged  BOOLEAN NOT NULL
);
