-- Public statements: draft → approved → published. mission is NULL for a
-- statement of the whole corps. Times are Unix seconds; approved and
-- published stay NULL until the step is taken.
CREATE TABLE statements (
    id           INTEGER PRIMARY KEY,
    mission      TEXT REFERENCES missions(code),
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'published')),
    created      BIGINT NOT NULL,
    created_by   TEXT NOT NULL,
    updated      BIGINT NOT NULL,
    approved     BIGINT,
    approved_by  TEXT NOT NULL DEFAULT '',
    published    BIGINT,
    published_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX statements_published ON statements (status, published);
CREATE INDEX statements_mission ON statements (mission, id);

-- Photos live in the database with their statement, so that a backup of
-- the database holds them.
CREATE TABLE statement_photos (
    id           INTEGER PRIMARY KEY,
    statement_id BIGINT NOT NULL REFERENCES statements(id),
    name         TEXT NOT NULL,
    caption      TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    added        BIGINT NOT NULL,
    data         BLOB NOT NULL
);
CREATE INDEX statement_photos_statement ON statement_photos (statement_id, id);
