-- PostgreSQL notifies the servers of census changes (see the PostgreSQL
-- migration 0010). SQLite cannot notify another process: there the
-- census polls the newest audit id. Nothing changes in the schema; the
-- step keeps the two engines' versions alike.
SELECT 1;
