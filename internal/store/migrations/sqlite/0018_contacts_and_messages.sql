-- Names as people write them: given_name and family_name stay the Latin
-- form printed in the passport; these hold the name in the person's own
-- script ('' when it is the Latin form itself or unknown).
ALTER TABLE people ADD COLUMN native_given_name TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN native_family_name TEXT NOT NULL DEFAULT '';

-- How to reach a person: the language messages to them are written in
-- (a BCP 47 tag, '' for the default) and the channel tried first
-- ('email', 'sms', 'webhook' or '' for the first one with an address).
ALTER TABLE people ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN channel TEXT NOT NULL DEFAULT '';

-- A person's contact points in the order given: phones in E.164
-- (kind 'phone'), e-mail addresses ('email'), messenger handles for the
-- webhook bridge ('handle', such as "signal:+7916…" or "telegram:@name").
CREATE TABLE person_contacts (
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    address   TEXT NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (person_id, kind, address)
);
-- Answers coming back (an SMS, a bridge's message) find their person by
-- address.
CREATE INDEX person_contacts_address ON person_contacts (address);

-- Where a person is told to call or write their mission.
ALTER TABLE missions ADD COLUMN duty_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE missions ADD COLUMN duty_email TEXT NOT NULL DEFAULT '';

-- The configured channels, one row per kind ('email', 'sms', 'webhook'):
-- config is its settings as JSON, secrets included, never shown.
CREATE TABLE channels (
    kind       TEXT PRIMARY KEY,
    config     TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The outbox: every outgoing message is a row here before anything is
-- sent. key makes a message idempotent: one per purpose, roll call,
-- person or user, channel and address; queueing it again is a no-op.
-- A message to a user (a manager's alert) has person_id '' and its
-- user's name in recipient.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    msg_key      TEXT NOT NULL UNIQUE,
    purpose      TEXT NOT NULL,
    mission      TEXT NOT NULL DEFAULT '',
    rollcall_id  BIGINT,
    person_id    TEXT NOT NULL DEFAULT '',
    recipient    TEXT NOT NULL DEFAULT '',
    channel      TEXT NOT NULL,
    address      TEXT NOT NULL,
    language     TEXT NOT NULL DEFAULT '',
    subject      TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'queued',
    attempts     INTEGER NOT NULL DEFAULT 0,
    error        TEXT NOT NULL DEFAULT '',
    provider_id  TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    sent_at      BIGINT,
    delivered_at BIGINT
);
CREATE INDEX outbox_rollcall ON outbox (rollcall_id, person_id);
CREATE INDEX outbox_mission ON outbox (mission, id);
CREATE INDEX outbox_provider ON outbox (channel, provider_id);
CREATE INDEX outbox_state ON outbox (state, id);
