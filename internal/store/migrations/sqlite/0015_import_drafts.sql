-- An import file uploaded in the browser waits here between its preview
-- and its commit, so that whichever server of a database takes the
-- commit applies exactly the file that was previewed. A draft belongs to
-- the user who uploaded it; drafts expire after an hour and each user
-- keeps a few at most (the store removes the rest as it saves one).
CREATE TABLE import_drafts (
    id      INTEGER PRIMARY KEY,
    owner   TEXT NOT NULL,
    kind    TEXT NOT NULL,
    name    TEXT NOT NULL,
    created BIGINT NOT NULL,
    data    BLOB NOT NULL
);
CREATE INDEX import_drafts_owner ON import_drafts (owner, created);
CREATE INDEX import_drafts_created ON import_drafts (created);
