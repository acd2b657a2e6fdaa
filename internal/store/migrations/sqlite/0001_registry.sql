CREATE TABLE config (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE missions (
    code      TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    country   TEXT NOT NULL DEFAULT '',
    kind      TEXT NOT NULL,
    status    TEXT NOT NULL,
    min_staff INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE people (
    id          TEXT PRIMARY KEY,
    household   TEXT NOT NULL,
    given_name  TEXT NOT NULL,
    family_name TEXT NOT NULL,
    nationality TEXT NOT NULL,
    mission     TEXT NOT NULL REFERENCES missions(code),
    category    TEXT NOT NULL,
    birth_date  TEXT NOT NULL DEFAULT '',
    essential   BOOLEAN NOT NULL DEFAULT FALSE,
    medical     INTEGER NOT NULL DEFAULT 0,
    ready       TEXT NOT NULL DEFAULT '',
    passport    TEXT NOT NULL DEFAULT '',
    -- The person's current status (that of their latest event), kept
    -- here so that listings filter on it cheaply.
    status      TEXT NOT NULL,
    since       BIGINT NOT NULL,
    -- The registration: the status the first import asserted, the first
    -- event of the person's history. Later events are in status_events.
    reg_status  TEXT NOT NULL,
    reg_since   BIGINT NOT NULL,
    -- What a re-import asserts, until the import turns it into an event.
    imp_status  TEXT,
    imp_since   BIGINT,
    imp_given   BOOLEAN
);
CREATE INDEX people_mission ON people (mission, id);
CREATE INDEX people_household ON people (household);
CREATE INDEX people_pending ON people (id) WHERE imp_status IS NOT NULL;

CREATE TABLE status_events (
    id         INTEGER PRIMARY KEY,
    person_id  TEXT NOT NULL REFERENCES people(id),
    at         BIGINT NOT NULL,
    status     TEXT NOT NULL,
    checkpoint TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX status_events_person ON status_events (person_id, at, id);

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        BIGINT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL DEFAULT '',
    mission   TEXT NOT NULL DEFAULT '',
    before    TEXT NOT NULL DEFAULT '',
    after     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_mission ON audit (mission, id);
