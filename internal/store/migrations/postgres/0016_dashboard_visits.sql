-- When each user last opened the dashboard, so that it can list what
-- changed in their mission since their previous visit on whatever device
-- they use. since is where the current visit's list starts (the last_seen
-- of the visit before it; 0 before the first one). A page view is not a
-- change of anyone's records: it is not audited.
CREATE TABLE dashboard_visits (
    user_name TEXT PRIMARY KEY,
    last_seen BIGINT NOT NULL,
    since     BIGINT NOT NULL DEFAULT 0
);
