package outpost

// StatementStore keeps the public statements and their photos.
type StatementStore interface {
}
