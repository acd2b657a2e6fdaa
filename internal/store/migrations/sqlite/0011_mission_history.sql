-- A mission's status has dates, like a person's presence: each row is the
-- status the mission took at since (Unix seconds). The row at
-- -62135596800 (0001-01-01, the zero time) is the status the mission had
-- from the beginning; every mission has one. missions.status stays the
-- status of the latest row, so that what reads it today reads the same.
CREATE TABLE mission_status (
    id       INTEGER PRIMARY KEY,
    mission  TEXT NOT NULL REFERENCES missions(code),
    status   TEXT NOT NULL,
    since    BIGINT NOT NULL,
    note     TEXT NOT NULL DEFAULT '',
    actor    TEXT NOT NULL DEFAULT '',
    recorded BIGINT NOT NULL DEFAULT 0,
    UNIQUE (mission, since)
);

INSERT INTO mission_status (mission, status, since, actor)
    SELECT code, status, -62135596800, 'migration' FROM missions;
