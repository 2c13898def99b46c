-- What an incremental link run needs from the previous runs (issue 4: "adding 10k new ads to a
-- linked 1M store must not redo all the work").
--
-- `link_text_keys`: per ad, the digest of its slot-masked token sequence and its shingle count;
-- `link_text_sigs`: the MinHash signature of each distinct masked text. Tokenising and MinHash
-- are most of the link stage's time, and a sketch depends on its ad alone, so each ad is
-- sketched once. `link_state` keeps the link-stage version and the identifier frequency limit
-- the stored result was computed with (a change of either means a full relink).
CREATE TABLE link_text_keys (
    ad_id      VARCHAR NOT NULL,
    text_key   BLOB NOT NULL,
    n_shingles INTEGER NOT NULL
);

CREATE TABLE link_text_sigs (
    text_key BLOB NOT NULL,
    sig      BLOB NOT NULL
);

CREATE TABLE link_state (
    name  VARCHAR NOT NULL,
    value VARCHAR
);
