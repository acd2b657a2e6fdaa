-- Several servers on one database: what one server ends or counts, the
-- others must see.

-- auth_generation grows whenever an API token stops being valid before
-- it expires (revoked, its user disabled or their password changed) or a
-- session is ended: servers that cache tokens read it to learn that they
-- must look them up again.
CREATE TABLE auth_generation (
    id  INTEGER PRIMARY KEY,
    gen BIGINT NOT NULL
);
INSERT INTO auth_generation (id, gen) VALUES (1, 0);

-- signin_attempts counts sign-in attempts per key (the SHA-256 of a
-- client address, or of an account at an address), shared by every
-- server so that more servers do not mean more guesses. last is in Unix
-- milliseconds; rows unused for a day, and the least recently used
-- beyond a bound, are removed.
CREATE TABLE signin_attempts (
    hash TEXT PRIMARY KEY,
    n    INTEGER NOT NULL,
    last BIGINT NOT NULL
);
CREATE INDEX signin_attempts_last ON signin_attempts (last);

-- A server sending a roll call's escalation claims it until this time
-- (Unix seconds), so that another server does not send it too; one that
-- dies while sending leaves it to the next after the claim runs out.
ALTER TABLE rollcalls ADD COLUMN escalation_claimed BIGINT;
