package store

// pragmaDSN is the part of a SQLite file's connection string that the
// drivers taking `_pragma` parameters share: WAL, foreign keys, a busy
// timeout, every commit synced, a 64 MB page cache (which also bounds what
// a sort holds in memory before it spills to a temporary file).
func pragmaDSN(path string) string {
	return "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=synchronous(FULL)&_pragma=cache_size(-65536)"
}
