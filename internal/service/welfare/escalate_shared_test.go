package welfare

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// heldNotifier counts notices; its first one waits until released, as a
// slow webhook would.
type heldNotifier struct {
	mu      sync.Mutex
	n       int
	started chan struct{}
	release chan struct{}
}

func (h *heldNotifier) Name() string { return "held" }
func (h *heldNotifier) Notify(context.Context, Notice) error {
	h.mu.Lock()
	h.n++
	first := h.n == 1
	h.mu.Unlock()
	if first {
		close(h.started)
		<-h.release
	}
	return nil
}

// overdueRollCall seeds db and starts a roll call escalated after a
// minute; at is an hour after its start, when its escalation is due.
func overdueRollCall(t *testing.T, db *store.DB) (outpost.RollCall, time.Time) {
	t.Helper()
	storetest.Seed(t, db)
	rc, err := db.StartRollCall(storetest.Ctx(), outpost.RollCall{Title: "Morning", EscalateAfter: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	return rc, rc.StartedAt.Add(time.Hour)
}

// Two servers escalating the same roll call at the same moment send its
// notices once: the one that claims it sends, the other passes.
func TestEscalationBySeveralServersIsSentOnce(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			_, at := overdueRollCall(t, db)
			h := &heldNotifier{started: make(chan struct{}), release: make(chan struct{})}
			var first []Notice
			done := make(chan error, 1)
			go func() {
				var err error
				first, err = Escalate(storetest.Ctx(), db, at, []Notifier{h})
				done <- err
			}()
			<-h.started // the first server is sending
			second, err := Escalate(storetest.Ctx(), db, at, []Notifier{h})
			if err != nil || len(second) != 0 {
				t.Errorf("second server: sent %d notices (%v), want none while the first sends", len(second), err)
			}
			close(h.release)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if len(first) == 0 || h.n != len(first) {
				t.Errorf("%d notices delivered for %d made: want each once", h.n, len(first))
			}
			if due, _ := db.DueEscalations(context.Background(), at); len(due) != 0 {
				t.Errorf("still due after sending: %+v", due)
			}
		})
	}
}

// A claim whose server died (never marked nor released) runs out, and
// another server sends the escalation then.
func TestEscalationClaimRunsOut(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			rc, at := overdueRollCall(t, db)
			if ok, err := db.ClaimEscalation(context.Background(), rc.ID, at, escalationHold); !ok || err != nil {
				t.Fatalf("claim: %v %v", ok, err)
			}
			h := &heldNotifier{started: make(chan struct{}), release: make(chan struct{})}
			close(h.release)
			if sent, _ := Escalate(storetest.Ctx(), db, at.Add(escalationHold-time.Second), []Notifier{h}); len(sent) != 0 {
				t.Errorf("sent %d notices while another server's claim holds", len(sent))
			}
			if sent, err := Escalate(storetest.Ctx(), db, at.Add(escalationHold), []Notifier{h}); len(sent) == 0 || err != nil {
				t.Errorf("after the claim ran out: sent %d (%v), want the notices", len(sent), err)
			}
		})
	}
}
