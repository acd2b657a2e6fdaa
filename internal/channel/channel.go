// Package channel is the contract between the outbox and the ways a
// message leaves Outpost (e-mail over SMTP, SMS over SMPP, a signed
// webhook to a messenger bridge) and comes back (answers, delivery
// receipts). Each channel lives in its own package below this one and
// implements Sender, and Listener when it hears back by itself.
package channel

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Message is one message handed to a channel.
type Message struct {
	// ID is the outbox row's id.
	ID int64
	// Key is the outbox's idempotency key: the same on every attempt, so
	// that a channel which can say so (an e-mail's Message-ID, a webhook's
	// id) lets the far end drop a repeat.
	Key      string
	To       string // E.164 phone, e-mail address or messenger handle
	Subject  string // e-mail only
	Body     string // plain UTF-8 text
	Language string // BCP 47 tag, "" for the default
}

// Receipt is what a channel answered on accepting a message.
type Receipt struct {
	// ProviderID is the far end's id for the message (an SMPP message_id,
	// a bridge's id), which delivery reports name; "" when none.
	ProviderID string
	// Delivered is true when the channel knows the message arrived (a
	// bridge answering so), false when only accepted for delivery.
	Delivered bool
	// Detail is the far end's answer, for the outbox page.
	Detail string
}

// Sender hands messages to one channel.
type Sender interface {
	// Kind is the channel's name: "email", "sms" or "webhook".
	Kind() string
	// Send delivers one message, or answers why not: an *Error saying
	// whether a retry may help and why in plain words.
	Send(ctx context.Context, m Message) (Receipt, error)
	// Close ends the channel's connections.
	Close() error
}

// Inbound is a message that came back on a channel: an answer.
type Inbound struct {
	Channel string    // "sms", "webhook", "email"
	From    string    // the sender's address as the channel gives it (E.164 for SMS)
	Text    string    // UTF-8
	At      time.Time // when the channel received it
	// Ref is the channel's id of the inbound message, "" when it has
	// none: a repeat with the same Ref is recorded once.
	Ref string
}

// Status is a delivery report for a message sent earlier.
type Status struct {
	Channel    string
	ProviderID string // Receipt.ProviderID of the message
	Delivered  bool   // true: arrived; false with Failed: did not
	Failed     bool
	Reason     string // plain words when Failed
	At         time.Time
}

// Sink takes what channels hear back. Implementations record inbound
// messages durably before answering nil: a channel acknowledges a
// message to the far end only after its Sink accepted it.
type Sink interface {
	Inbound(ctx context.Context, in Inbound) error
	Status(ctx context.Context, st Status) error
}

// Listener is a channel that hears back on its own connection (an SMPP
// session receiving deliver_sm); Listen runs until ctx is done.
type Listener interface {
	Listen(ctx context.Context, sink Sink) error
}

// Error is a channel's refusal: Reason in plain words for the people
// reading the outbox ("wrong number", "mailbox full", "SMS centre
// refused"), Permanent when trying again cannot help.
type Error struct {
	Permanent bool
	Reason    string
	Err       error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return e.Reason
	}
	return fmt.Sprintf("%s: %v", e.Reason, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Permanent is a refusal that a retry cannot fix.
func Permanent(reason string, err error) error {
	return &Error{Permanent: true, Reason: reason, Err: err}
}

// Temporary is a failure that a later attempt may get past.
func Temporary(reason string, err error) error {
	return &Error{Reason: reason, Err: err}
}

// Explain answers an error's reason in plain words and whether it is
// permanent; an error that is not an *Error is temporary.
func Explain(err error) (reason string, permanent bool) {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason, e.Permanent
	}
	return err.Error(), false
}
