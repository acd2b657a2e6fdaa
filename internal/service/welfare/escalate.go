package welfare

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// Notice tells one mission which of its people did not answer a roll call.
type Notice struct {
	RollCall   int64                `json:"rollcall"`
	Title      string               `json:"title"`
	Mission    string               `json:"mission"`
	StartedAt  time.Time            `json:"started_at"`
	At         time.Time            `json:"at"`
	NoResponse []outpost.ScopeEntry `json:"no_response"`
	NeedHelp   []outpost.ScopeEntry `json:"need_help"`
}

// Notifier delivers a notice through one channel.
type Notifier interface {
	// Name names the channel in logs and errors.
	Name() string
	// Notify delivers one notice.
	Notify(ctx context.Context, n Notice) error
}

// EscalationStore is what escalation reads and records.
type EscalationStore interface {
	DueEscalations(ctx context.Context, now time.Time) ([]outpost.RollCall, error)
	RollCallScope(ctx context.Context, id int64) ([]outpost.ScopeEntry, error)
	MarkEscalated(ctx context.Context, id int64, at time.Time) error
	ClaimEscalation(ctx context.Context, id int64, now time.Time, hold time.Duration) (bool, error)
	ReleaseEscalation(ctx context.Context, id int64) error
}

// escalationHold is how long a server may take to send a roll call's
// escalation before another may send it: longer than sending through
// every channel takes (a webhook waits 10 s at most).
const escalationHold = 5 * time.Minute

// Escalate sends, for every roll call whose escalation time has come, one
// notice per mission listing its non-responders (and those who asked for
// help), through every notifier, then marks the roll call escalated. It
// returns the notices it made. A channel that fails does not stop the
// others; the roll call is marked only when every notice went out through
// at least one channel, so a total failure is retried next time. Several
// servers on one database may escalate at once: each roll call is sent
// by the one that claims it (outpost.WelfareStore.ClaimEscalation).
func Escalate(ctx context.Context, s EscalationStore, now time.Time, notifiers []Notifier) ([]Notice, error) {
	due, err := s.DueEscalations(ctx, now)
	if err != nil {
		return nil, fmt.Errorf("read due escalations: %w", err)
	}
	var sent []Notice
	var errs []error
	for _, rc := range due {
		claimed, err := s.ClaimEscalation(ctx, rc.ID, now, escalationHold)
		if err != nil {
			return sent, fmt.Errorf("claim the escalation of roll call %d: %w", rc.ID, err)
		}
		if !claimed {
			continue // another server sends it, or has sent it
		}
		scope, err := s.RollCallScope(ctx, rc.ID)
		if err != nil {
			return sent, errors.Join(fmt.Errorf("read roll call scope %d: %w", rc.ID, err), s.ReleaseEscalation(ctx, rc.ID))
		}
		notices := Notices(rc, scope, now)
		delivered := true
		for _, n := range notices {
			ok := len(notifiers) == 0
			for _, nf := range notifiers {
				if err := nf.Notify(ctx, n); err != nil {
					errs = append(errs, fmt.Errorf("%s: roll call %d, mission %s: %w", nf.Name(), rc.ID, n.Mission, err))
					continue
				}
				ok = true
			}
			delivered = delivered && ok
		}
		if !delivered {
			if err := s.ReleaseEscalation(ctx, rc.ID); err != nil {
				errs = append(errs, fmt.Errorf("release the escalation of roll call %d: %w", rc.ID, err))
			}
			continue
		}
		if err := s.MarkEscalated(ctx, rc.ID, now); err != nil {
			return sent, fmt.Errorf("mark roll call %d escalated: %w", rc.ID, err)
		}
		sent = append(sent, notices...)
	}
	return sent, errors.Join(errs...)
}

// Notices groups a roll call's non-responders by mission; a mission whose
// people all answered safe gets none.
func Notices(rc outpost.RollCall, scope []outpost.ScopeEntry, now time.Time) []Notice {
	by := map[string]*Notice{}
	for _, s := range scope {
		if s.Status == outpost.Safe {
			continue
		}
		n := by[s.Mission]
		if n == nil {
			n = &Notice{RollCall: rc.ID, Title: rc.Title, Mission: s.Mission, StartedAt: rc.StartedAt, At: now,
				NoResponse: []outpost.ScopeEntry{}, NeedHelp: []outpost.ScopeEntry{}}
			by[s.Mission] = n
		}
		if s.Status == outpost.NeedHelp {
			n.NeedHelp = append(n.NeedHelp, s)
		} else {
			n.NoResponse = append(n.NoResponse, s)
		}
	}
	out := make([]Notice, 0, len(by))
	for _, n := range by {
		out = append(out, *n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Mission < out[j].Mission })
	return out
}

// Text renders a notice as a plain-text message.
func (n Notice) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Roll call %d \"%s\", started %s.\n\n", n.RollCall, n.Title, n.StartedAt.Format(time.RFC3339))
	fmt.Fprintf(&b, "Mission %s: %d without an answer, %d asking for help.\n", n.Mission, len(n.NoResponse), len(n.NeedHelp))
	if len(n.NeedHelp) > 0 {
		b.WriteString("\nAsking for help:\n")
		for _, p := range n.NeedHelp {
			fmt.Fprintf(&b, "  %s  %s %s  %s\n", p.Person, p.GivenName, p.FamilyName, p.Note)
		}
	}
	if len(n.NoResponse) > 0 {
		b.WriteString("\nNo answer yet:\n")
		for _, p := range n.NoResponse {
			fmt.Fprintf(&b, "  %s  %s %s\n", p.Person, p.GivenName, p.FamilyName)
		}
	}
	return b.String()
}

// Webhook posts notices as JSON, signed so the receiver can trust them
// and refuse replays: the header Outpost-Signature is
// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under Secret>"
// (the scheme Stripe uses). A receiver checks it with VerifyWebhook.
type Webhook struct {
	URL    string
	Secret []byte
	Client *http.Client
	// Now is the clock the signature's timestamp comes from; nil is the
	// wall clock, which is what the receiver compares it with.
	Now func() time.Time
}

// Name names the channel.
func (w Webhook) Name() string { return "webhook" }

// Notify posts one notice. Without a secret of at least
// MinWebhookSecret bytes it sends nothing and says why: an unsigned or
// weakly signed notice would let anyone who can reach the receiver forge
// one.
func (w Webhook) Notify(ctx context.Context, n Notice) error {
	if err := CheckWebhookSecret(string(w.Secret)); err != nil {
		return fmt.Errorf("not sending: %w", err)
	}
	body, err := json.Marshal(map[string]any{"event": "rollcall.escalation", "notice": n})
	if err != nil {
		return fmt.Errorf("webhook: encoding the notice: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return errors.New("webhook: the address setting notify.webhook is not a valid URL")
	}
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SignatureHeader, SignWebhook(w.Secret, body, now()))
	c := w.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second, CheckRedirect: noRedirect}
	}
	resp, err := c.Do(req)
	if err != nil {
		// Without the address: a webhook address often carries a token
		// in its path, and this error ends up in the server's log.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("webhook: posting the notice: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook answered %s", resp.Status)
	}
	return nil
}

// noRedirect keeps a notice where it was addressed: following a redirect
// would carry the people it names, and a valid signature, to whatever
// address the receiver (or whoever answers for it) points at.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
