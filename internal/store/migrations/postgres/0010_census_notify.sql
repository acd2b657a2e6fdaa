-- Every server keeps the census in memory and follows the audit log. A
-- write that may change the census (a person's presence, an import of
-- people or missions, a setting) notifies the channel outpost_census when
-- it commits, so that the other servers on this database apply it at
-- once instead of at their next poll. A row trigger, so that every way of
-- writing the audit log notifies; notifications of one transaction are
-- delivered once.
CREATE FUNCTION outpost_notify_census() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('outpost_census', '');
	RETURN NULL;
END
$$;

CREATE TRIGGER audit_census AFTER INSERT ON audit FOR EACH ROW
	WHEN (NEW.entity IN ('person', 'people', 'missions', 'config'))
	EXECUTE FUNCTION outpost_notify_census();
