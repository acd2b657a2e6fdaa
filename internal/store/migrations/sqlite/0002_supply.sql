CREATE TABLE items (
    code             TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    unit             TEXT NOT NULL DEFAULT '',
    daily_per_person REAL NOT NULL DEFAULT 0
);

-- Stock handed from one mission to another: an issue at from_mission and
-- receipts at to_mission point back here.
CREATE TABLE transfers (
    id           INTEGER PRIMARY KEY,
    item         TEXT NOT NULL REFERENCES items(code),
    from_mission TEXT NOT NULL REFERENCES missions(code),
    to_mission   TEXT NOT NULL REFERENCES missions(code),
    quantity     REAL NOT NULL,
    sent         TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    recorded_at  BIGINT NOT NULL
);
CREATE INDEX transfers_from ON transfers (from_mission, id);
CREATE INDEX transfers_to ON transfers (to_mission, id);

-- One lot received into a mission's stock (stock.csv). Dates are
-- YYYY-MM-DD; expires '' means never.
CREATE TABLE receipts (
    id          INTEGER PRIMARY KEY,
    mission     TEXT NOT NULL REFERENCES missions(code),
    item        TEXT NOT NULL REFERENCES items(code),
    lot         TEXT NOT NULL,
    quantity    REAL NOT NULL,
    received    TEXT NOT NULL,
    expires     TEXT NOT NULL DEFAULT '',
    transfer_id INTEGER REFERENCES transfers(id),
    -- The giver's lot a transferred lot was drawn from.
    from_lot    TEXT NOT NULL DEFAULT '',
    UNIQUE (mission, item, lot)
);
CREATE INDEX receipts_item ON receipts (item, mission);

-- Quantities taken out of stock (usage.csv), appended; the id keeps the
-- order they were recorded in, which is the order a day's issues are drawn.
CREATE TABLE issues (
    id          INTEGER PRIMARY KEY,
    mission     TEXT NOT NULL REFERENCES missions(code),
    item        TEXT NOT NULL REFERENCES items(code),
    quantity    REAL NOT NULL,
    issued      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    transfer_id INTEGER REFERENCES transfers(id)
);
CREATE INDEX issues_ledger ON issues (mission, item, issued);
CREATE INDEX issues_item ON issues (item, mission);
-- The few issues that hand stock to another mission, found without a scan.
CREATE INDEX issues_transfer ON issues (transfer_id) WHERE transfer_id IS NOT NULL;
