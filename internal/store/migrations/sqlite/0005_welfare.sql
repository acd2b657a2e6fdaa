CREATE TABLE rollcalls (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL,
    mission        TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'open',
    started_at     BIGINT NOT NULL,
    closed_at      BIGINT,
    escalate_after BIGINT NOT NULL DEFAULT 0,
    escalated_at   BIGINT,
    started_by     TEXT NOT NULL DEFAULT ''
);

-- Who a roll call expects: everyone in scope when it started.
CREATE TABLE rollcall_people (
    rollcall_id BIGINT NOT NULL REFERENCES rollcalls(id),
    person_id   TEXT NOT NULL REFERENCES people(id),
    mission     TEXT NOT NULL,
    PRIMARY KEY (rollcall_id, person_id)
);

-- The latest answer of each person; a later answer replaces it.
CREATE TABLE checkins (
    rollcall_id BIGINT NOT NULL,
    person_id   TEXT NOT NULL,
    status      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL,
    seq         BIGINT NOT NULL,
    via         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (rollcall_id, person_id),
    FOREIGN KEY (rollcall_id, person_id) REFERENCES rollcall_people (rollcall_id, person_id)
);

CREATE TABLE medical_cases (
    id         INTEGER PRIMARY KEY,
    person_id  TEXT NOT NULL REFERENCES people(id),
    precedence TEXT NOT NULL,
    need       TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL DEFAULT 'open',
    opened_at  BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    closed_at  BIGINT
);
CREATE INDEX medical_cases_person ON medical_cases (person_id, status);
