//go:build unix && !linux

package store

// hardLinksLocked: elsewhere a lock file beside the database is locked,
// and a hard link is a name with a lock file of its own.
const hardLinksLocked = false
