-- Face embeddings of missing-person poster photos (issue 5), stored with the posters: these are
-- people to protect, reported missing by an agency. Ad faces are never stored: they are computed
-- in memory, only for an ad already among a poster's best candidates, and compared with that
-- poster alone.
--
-- Written only through Store.poster_faces (store/face_tables.py). A re-import of a case replaces
-- its rows; `model` names the embedding model so a new model can re-embed.
CREATE TABLE poster_faces (
    case_id   VARCHAR NOT NULL,
    ref       VARCHAR NOT NULL,
    face      SMALLINT NOT NULL,
    model     VARCHAR NOT NULL,
    embedding FLOAT[128] NOT NULL
);
