//go:build unix && !linux

package store

// lockServed locks a lock file beside the database: on the BSDs and
// macOS a flock on the database file itself may conflict with SQLite's
// own fcntl locks in the same process. A hard link to the database is a
// second name there, with a lock file of its own (SQLite does not support
// hard links to a database either: its journal is named after the path).
func lockServed(path string) (release func(), locked string, held bool, err error) {
	return lockBeside(path)
}
