-- When a commit claimed an import draft (Unix seconds), NULL while it
-- waits. One conditional UPDATE of this column lets exactly one of several
-- commits of the same draft write it; the claimed row stays an hour to
-- answer a second commit with "already committed".
ALTER TABLE import_drafts ADD COLUMN committed BIGINT;
