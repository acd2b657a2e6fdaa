CREATE TABLE restrictions (
    id       TEXT PRIMARY KEY,
    kind     TEXT NOT NULL,
    crossing TEXT NOT NULL DEFAULT '',
    starts   TEXT NOT NULL,
    ends     TEXT NOT NULL DEFAULT '',
    days     INTEGER NOT NULL DEFAULT 0,
    note     TEXT NOT NULL DEFAULT '',
    source   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE departures (
    id       TEXT PRIMARY KEY,
    route    TEXT NOT NULL,
    departs  BIGINT NOT NULL,
    seats    INTEGER NOT NULL,
    crossing TEXT NOT NULL DEFAULT '',
    eligible TEXT NOT NULL DEFAULT ''
);
CREATE INDEX departures_departs ON departures (departs);

CREATE TABLE plans (
    id         INTEGER PRIMARY KEY,
    start      TEXT NOT NULL,
    score      BIGINT NOT NULL,
    bound      BIGINT NOT NULL,
    people     INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL
);
