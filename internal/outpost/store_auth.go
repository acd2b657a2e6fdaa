package outpost

// AuthStore keeps the users, sessions and API tokens.
type AuthStore interface {
}
