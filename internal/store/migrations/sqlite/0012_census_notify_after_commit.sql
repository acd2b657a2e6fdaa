-- PostgreSQL drops its census notification trigger (the notification is
-- sent after the commit instead). Nothing changes here; the step keeps
-- the two engines' versions alike.
SELECT 1;
