package welfare

import (
	"context"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// noticeRecorder is a channel that keeps what it is sent.
type noticeRecorder struct{ sent []Notice }

func (n *noticeRecorder) Name() string { return "recorder" }
func (n *noticeRecorder) Notify(_ context.Context, x Notice) error {
	n.sent = append(n.sent, x)
	return nil
}

// Who may close a roll call may reopen it, and no one else; a reopened
// roll call takes answers again through the service (whose scope cache
// still holds it as it started), and escalates when it is due and was
// not escalated before, but not while it is closed.
func TestReopeningARollCall(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			storetest.Seed(t, db)
			ctx := storetest.Ctx()
			svc := New(db, nil, nil)
			manager := outpost.User{ID: 2, Name: "manager", Role: outpost.RoleManager, Mission: "RU"}
			rc, err := svc.StartRollCall(ctx, manager, RollCallRequest{Title: "Evening", EscalateAfter: "1h"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.RecordAnswer(ctx, manager, rc.ID, CheckinRequest{Person: "RU-0001", Status: outpost.Safe}, "web"); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.ReopenRollCall(ctx, manager, rc.ID); outpost.ErrorCode(err) != outpost.ECONFLICT {
				t.Errorf("reopening an open roll call: got %v", err)
			}
			if _, err := svc.CloseRollCall(ctx, manager, rc.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.RecordAnswer(ctx, manager, rc.ID, CheckinRequest{Person: "RU-0002", Status: outpost.NeedHelp}, "web"); outpost.ErrorCode(err) != outpost.ECONFLICT {
				t.Errorf("an answer while closed: got %v, want a conflict", err)
			}
			late := rc.StartedAt.Add(2 * time.Hour)
			ch := &noticeRecorder{}
			if sent, err := Escalate(ctx, db, late, []Notifier{ch}); err != nil || len(sent) != 0 {
				t.Errorf("a closed roll call escalated: %v, %v", sent, err)
			}

			for _, c := range []struct {
				u    outpost.User
				code string
			}{
				{outpost.User{ID: 3, Name: "staff", Role: outpost.RoleStaff, Mission: "RU"}, outpost.EFORBIDDEN},
				{outpost.User{ID: 4, Name: "press", Role: outpost.RolePress, Mission: "RU"}, outpost.EFORBIDDEN},
				{outpost.User{ID: 5, Name: "se-manager", Role: outpost.RoleManager, Mission: "SE"}, outpost.ENOTFOUND},
				{outpost.User{ID: 6, Name: "coordinator", Role: outpost.RoleCoordinator}, outpost.EFORBIDDEN},
			} {
				if _, err := svc.ReopenRollCall(ctx, c.u, rc.ID); outpost.ErrorCode(err) != c.code {
					t.Errorf("%s reopens: got %v, want %s", c.u.Name, err, c.code)
				}
			}
			if _, err := svc.ReopenRollCall(ctx, manager, rc.ID+100); outpost.ErrorCode(err) != outpost.ENOTFOUND {
				t.Errorf("reopening none: got %v", err)
			}
			again, err := svc.ReopenRollCall(ctx, manager, rc.ID)
			if err != nil || again.Status != outpost.RollCallOpen {
				t.Fatalf("the manager reopens: %+v, %v", again, err)
			}
			if _, err := svc.RecordAnswer(ctx, manager, rc.ID, CheckinRequest{Person: "RU-0002", Status: outpost.NeedHelp}, "web"); err != nil {
				t.Errorf("an answer after reopening: %v", err)
			}
			sent, err := Escalate(ctx, db, late, []Notifier{ch})
			if err != nil || len(sent) != 1 || len(ch.sent) != 1 || len(ch.sent[0].NeedHelp) != 1 || len(ch.sent[0].NoResponse) != 1 {
				t.Fatalf("the reopened roll call's escalation: %+v, %v", ch.sent, err)
			}
			if _, err := svc.CloseRollCall(ctx, manager, rc.ID); err != nil {
				t.Fatal(err)
			}
			admin := outpost.User{ID: 1, Name: "admin", Role: outpost.RoleAdmin}
			if _, err := svc.ReopenRollCall(ctx, admin, rc.ID); err != nil {
				t.Fatalf("the admin reopens: %v", err)
			}
			if sent, _ := Escalate(ctx, db, late.Add(time.Hour), []Notifier{ch}); len(sent) != 0 {
				t.Errorf("escalated twice: %+v", sent)
			}
		})
	}
}
