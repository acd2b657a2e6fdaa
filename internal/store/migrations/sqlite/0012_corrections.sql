-- Corrections of presence events keep the history: an event that was
-- wrong is never deleted but marked voided (by whom, when, why), and an
-- amendment is a new event that the original names as its replacement.
-- Every read of a person's status skips voided events.
ALTER TABLE status_events ADD COLUMN voided_at BIGINT;
ALTER TABLE status_events ADD COLUMN voided_by TEXT NOT NULL DEFAULT '';
ALTER TABLE status_events ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE status_events ADD COLUMN replaced_by BIGINT;
-- The bulk action (a household or a departure marked at once) that
-- recorded the event, so that the action can be undone.
ALTER TABLE status_events ADD COLUMN action_id BIGINT;

CREATE TABLE track_actions (
    id         INTEGER PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor      TEXT NOT NULL,
    checkpoint TEXT NOT NULL,
    what       TEXT NOT NULL,
    undone_at  BIGINT,
    undone_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX status_events_action ON status_events (action_id) WHERE action_id IS NOT NULL;
-- A scanner's batch looks up a person's corrected events (a voided scan
-- sent again is a duplicate): few, found without reading the history.
CREATE INDEX status_events_voided ON status_events (person_id) WHERE voided_at IS NOT NULL;
