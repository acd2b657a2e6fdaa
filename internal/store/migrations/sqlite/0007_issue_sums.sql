-- The ledger index carries the quantity and the transfer mark, so that
-- the sums of a ledger's issues between two dates (supply status) are
-- read from the index alone.
DROP INDEX issues_ledger;
CREATE INDEX issues_ledger ON issues (mission, item, issued, quantity, transfer_id);
