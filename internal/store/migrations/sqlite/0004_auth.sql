-- Users of the server, their API tokens and browser sessions. Secrets are
-- kept only as hashes: argon2id for passwords, SHA-256 for tokens and
-- sessions (random 256-bit secrets need no slow hash).
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    mission       TEXT REFERENCES missions(code),
    password_hash TEXT NOT NULL,
    created       BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    label   TEXT NOT NULL DEFAULT '',
    hash    TEXT NOT NULL UNIQUE,
    created BIGINT NOT NULL,
    expires BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    hash    TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created BIGINT NOT NULL,
    expires BIGINT NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires);
CREATE INDEX sessions_user ON sessions (user_id);
