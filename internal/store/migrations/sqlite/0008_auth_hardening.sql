-- A disabled user cannot sign in, and their sessions and tokens are gone.
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;

-- API tokens expire: one made to last forever (expires = 0) or longer than
-- the longest lifetime now lasts the default 90 days from the upgrade.
UPDATE api_tokens SET expires = CAST(strftime('%s', 'now') AS INTEGER) + 90 * 86400
WHERE expires = 0 OR expires > CAST(strftime('%s', 'now') AS INTEGER) + 365 * 86400;

-- /healthz writes this one row to learn whether the database still takes
-- writes (a full disk, a read-only file).
CREATE TABLE health_probe (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL
);
INSERT INTO health_probe (id, at) VALUES (1, 0);
