-- Exit documents: one row per person who has any recorded (sex, passport
-- expiry, the host country's exit permit, a quarantine, staying by
-- choice). A person with no row has none recorded, which the planner
-- reads as before these existed (setting evac.permits = if_recorded).
CREATE TABLE exit_documents (
    person_id        TEXT PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    sex              TEXT NOT NULL DEFAULT '',
    passport_expiry  TEXT NOT NULL DEFAULT '',
    permit_status    TEXT NOT NULL DEFAULT '',
    permit_number    TEXT NOT NULL DEFAULT '',
    permit_from      TEXT NOT NULL DEFAULT '',
    permit_to        TEXT NOT NULL DEFAULT '',
    permit_authority TEXT NOT NULL DEFAULT '',
    quarantine_until TEXT NOT NULL DEFAULT '',
    staying          BOOLEAN NOT NULL DEFAULT FALSE
);
