-- The census notification is sent by the server after a change commits,
-- outside the transaction that wrote it (store.censusChanged): a
-- transaction that notifies holds PostgreSQL's notification lock through
-- its commit, so the trigger of 0010 made every tracking transaction
-- commit one after another.
DROP TRIGGER IF EXISTS audit_census ON audit;
DROP FUNCTION IF EXISTS outpost_notify_census();
