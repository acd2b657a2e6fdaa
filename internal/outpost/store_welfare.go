package outpost

// WelfareStore keeps the roll calls, check-ins and medical cases.
type WelfareStore interface {
}
