package outpost

import (
	"context"
	"strconv"
	"time"
)

// Contact kinds: how a person can be reached.
const (
	ContactPhone  = "phone"  // E.164, such as +79161234567
	ContactEmail  = "email"  // an e-mail address
	ContactHandle = "handle" // a messenger handle for the webhook bridge, "network:handle"
)

// Channels: the ways a message leaves (INTERFACES.md "Contacts and
// messages"), in the order tried when a person prefers none.
const (
	ChannelEmail   = "email"
	ChannelSMS     = "sms"
	ChannelWebhook = "webhook"
)

// Channels lists the channel kinds in their default order.
var Channels = []string{ChannelEmail, ChannelSMS, ChannelWebhook}

// Message states, as `outpost outbox list` shows them.
const (
	MessageQueued    = "queued"
	MessageSent      = "sent"
	MessageDelivered = "delivered"
	MessageFailed    = "failed"
)

// Message purposes: what a message is for. With the roll call, the
// person (or user), the channel and the address they make its
// idempotency key.
const (
	PurposeLink             = "link"              // a roll call's check-in link
	PurposeReminder         = "reminder"          // a reminder to the silent
	PurposeAlertManager     = "alert_manager"     // the silent listed to a mission's manager
	PurposeAlertCoordinator = "alert_coordinator" // the silent listed to the coordinator
	PurposeStatement        = "statement"         // a published statement to a subscriber
	PurposeNotice           = "notice"            // a notice to a manager
	PurposeReply            = "reply"             // an acknowledgement of an answer
)

// OutboxMessage is one outgoing message: a row of the outbox before
// anything is sent, then its delivery as the channel reports it.
type OutboxMessage struct {
	ID       int64  `json:"id"`
	Key      string `json:"-"`
	Purpose  string `json:"purpose"`
	Mission  string `json:"mission,omitempty"`
	RollCall int64  `json:"rollcall,omitempty"`
	// Person is the person written to, "" for a user (Recipient).
	Person    string `json:"person,omitempty"`
	Recipient string `json:"recipient,omitempty"`
	Channel   string `json:"channel"`
	Address   string `json:"address"`
	Language  string `json:"language,omitempty"`
	Subject   string `json:"subject,omitempty"`
	Body      string `json:"-"`
	State     string `json:"state"`
	Attempts  int    `json:"attempts"`
	// Error is the channel's last refusal in plain words, "" when none.
	Error       string    `json:"error"`
	ProviderID  string    `json:"provider_id,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	SentAt      time.Time `json:"sent_at,omitzero"`
	DeliveredAt time.Time `json:"delivered_at,omitzero"`
}

// MessageKey is the idempotency key of a message: queueing a second
// message with the same key is a no-op, so that a retry, a restart or two
// servers queueing at once send one message to an address for a purpose.
// recipient is the person's id or the user's name; step tells apart the
// messages of one purpose that may be sent more than once (the first and
// a second reminder), "" otherwise.
func MessageKey(purpose string, rollcall int64, recipient, channel, address, step string) string {
	k := purpose + "|" + strconv.FormatInt(rollcall, 10) + "|" + recipient + "|" + channel + "|" + address
	if step != "" {
		k += "|" + step
	}
	return k
}

// Outbox queues messages durably: each is written to the database before
// anything is sent and delivered later by a worker with retries. Messages
// whose key is already in the outbox are skipped; Enqueue answers how
// many were new.
type Outbox interface {
	Enqueue(ctx context.Context, msgs []OutboxMessage) (int, error)
}
