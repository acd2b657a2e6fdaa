package store

// hardLinksLocked: on Linux the database file itself is locked, so a hard
// link to it meets the lock.
const hardLinksLocked = true
