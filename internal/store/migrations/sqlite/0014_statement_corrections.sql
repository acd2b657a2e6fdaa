-- A published statement can be corrected (a new text with a note; the
-- text it replaced is kept in statement_versions, readable by anyone
-- who could read it) or withdrawn (with a reason; it stays listed,
-- shown as withdrawn without its text). It stays 'published': its feed
-- entry keeps its id and its address.
ALTER TABLE statements ADD COLUMN corrected BIGINT;
ALTER TABLE statements ADD COLUMN correction_note TEXT NOT NULL DEFAULT '';
ALTER TABLE statements ADD COLUMN withdrawn BIGINT;
ALTER TABLE statements ADD COLUMN withdrawn_by TEXT NOT NULL DEFAULT '';
ALTER TABLE statements ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';

-- One row per text a correction replaced: version 1 is the text as first
-- published, and so on; replaced is when the next version took its place.
CREATE TABLE statement_versions (
    statement_id BIGINT NOT NULL REFERENCES statements(id),
    version      INTEGER NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    since        BIGINT NOT NULL,
    replaced     BIGINT NOT NULL,
    replaced_by  TEXT NOT NULL,
    PRIMARY KEY (statement_id, version)
);
