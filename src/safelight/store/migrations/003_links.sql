-- The link stage's output (issue 4): the evidence that ads belong together, the values too
-- common to link, near-duplicate text clusters with their templates, and the networks.
--
-- `networks` holds only ads in a network of two or more linked ads. An ad with no link is its
-- own network: readers give it the singleton id 'S' || ad_id (see Store.network_assignment and
-- `safelight export networks`), so the table stays as small as the linked part of the corpus
-- and a network id in it always means "several ads".
--
-- Every table is replaced as a whole by Store.write_links in one transaction; `linked_ads`
-- records which ads (and with which link-stage version) the stored result covers, so
-- `safelight link` knows when new ads arrived and `link_runs` keeps a line per run.
CREATE TABLE link_edges (
    ad_a   VARCHAR NOT NULL,
    ad_b   VARCHAR NOT NULL,
    kind   VARCHAR NOT NULL,   -- phone, email, handle, image, text
    value  VARCHAR NOT NULL,   -- the shared identifier, pHash or text cluster id
    weight FLOAT NOT NULL,
    detail VARCHAR             -- JSON: group size, Hamming distance, estimated Jaccard...
);

CREATE TABLE link_flagged (
    kind     VARCHAR NOT NULL,
    value    VARCHAR NOT NULL,
    n_ads    BIGINT,
    n_places BIGINT,
    reason   VARCHAR
);

CREATE TABLE text_clusters (
    ad_id      VARCHAR NOT NULL,
    cluster_id VARCHAR NOT NULL
);

CREATE TABLE text_templates (
    cluster_id VARCHAR NOT NULL,
    n_ads      BIGINT NOT NULL,
    template   VARCHAR,
    slots      VARCHAR         -- JSON [{"label", "fillers": [{"text", "n"}]}]
);

CREATE TABLE networks (
    ad_id      VARCHAR NOT NULL,
    network_id VARCHAR NOT NULL
);

CREATE TABLE linked_ads (
    ad_id   VARCHAR NOT NULL,
    version VARCHAR NOT NULL
);

CREATE TABLE link_runs (
    run_at   TIMESTAMPTZ NOT NULL,
    version  VARCHAR NOT NULL,
    ads      BIGINT NOT NULL,
    new_ads  BIGINT NOT NULL,
    edges    BIGINT NOT NULL,
    networks BIGINT NOT NULL,
    seconds  DOUBLE
);
