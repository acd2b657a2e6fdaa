package statements_test

import (
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/statements"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// day0 is when the test's statements were published.
var day0 = time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC)

// Who may approve a statement (the manager, the admin) may correct it;
// who may publish it (and the press officer) may withdraw it; no one
// else; a statement of another mission answers as if none existed. The
// public form of a corrected statement carries the note and its earlier
// text; of a withdrawn one, the reason and no text, photo or version.
func TestCorrectAndWithdrawRights(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			storetest.Seed(t, db)
			ctx := storetest.Ctx()
			svc := statements.New(db, nil)
			publish := func(title string) int64 {
				st, err := db.CreateStatement(ctx, outpost.Statement{Mission: "RU", Title: title, Body: "Text of " + title})
				if err == nil {
					_, err = db.AddPhoto(ctx, st.ID, outpost.Photo{PhotoInfo: outpost.PhotoInfo{Name: "p.png"}, Data: storetest.PNG(3, 2)})
				}
				if err == nil {
					_, err = db.ApproveStatement(ctx, st.ID, day0)
				}
				if err == nil {
					_, err = db.PublishStatement(ctx, st.ID, day0)
				}
				if err != nil {
					t.Fatal(err)
				}
				return st.ID
			}
			a, b := publish("Flight"), publish("Train")
			fix := statements.CorrectRequest{Title: "Flight", Body: "Text of Flight, at 9.", Note: "The time was missing."}
			for _, c := range []struct {
				u    outpost.User
				code string
			}{
				{outpost.User{ID: 3, Name: "staff", Role: outpost.RoleStaff, Mission: "RU"}, outpost.EFORBIDDEN},
				{outpost.User{ID: 5, Name: "se-press", Role: outpost.RolePress, Mission: "SE"}, outpost.ENOTFOUND},
				{outpost.User{ID: 6, Name: "coordinator", Role: outpost.RoleCoordinator}, outpost.ENOTFOUND},
				{outpost.User{}, outpost.ENOTFOUND},
			} {
				if _, err := svc.Correct(ctx, c.u, a, fix); outpost.ErrorCode(err) != c.code {
					t.Errorf("%s corrects: got %v, want %s", c.u.Name, err, c.code)
				}
				if _, err := svc.Withdraw(ctx, c.u, b, statements.WithdrawRequest{Reason: "r"}); outpost.ErrorCode(err) != c.code {
					t.Errorf("%s withdraws: got %v, want %s", c.u.Name, err, c.code)
				}
			}
			press := outpost.User{ID: 4, Name: "press", Role: outpost.RolePress, Mission: "RU"}
			manager := outpost.User{ID: 2, Name: "manager", Role: outpost.RoleManager, Mission: "RU"}
			// A correction publishes a new text: it needs the right to
			// approve one, which the press officer lacks; a withdrawal
			// only removes text, and whoever publishes may do it.
			if _, err := svc.Correct(ctx, press, a, fix); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
				t.Errorf("the press officer corrects: got %v, want forbidden", err)
			}
			if pa, err := svc.Published(ctx, outpost.User{}, a); err != nil || pa.Body != "Text of Flight" || !pa.Corrected.IsZero() {
				t.Errorf("the statement after the press officer's refused correction: %+v, %v", pa, err)
			}
			if _, err := svc.Correct(ctx, manager, a, fix); err != nil {
				t.Fatalf("the manager corrects: %v", err)
			}
			if _, err := svc.Withdraw(ctx, manager, b, statements.WithdrawRequest{Reason: "Cancelled."}); err != nil {
				t.Fatalf("the manager withdraws: %v", err)
			}
			if _, err := svc.Withdraw(ctx, press, publish("Bus"), statements.WithdrawRequest{Reason: "Cancelled."}); err != nil {
				t.Fatalf("the press officer withdraws: %v", err)
			}
			nobody := outpost.User{}
			pa, err := svc.Published(ctx, nobody, a)
			if err != nil || pa.CorrectionNote != "The time was missing." || pa.Corrected.IsZero() || pa.Body != fix.Body || len(pa.Photos) != 1 {
				t.Errorf("the corrected statement in public: %+v, %v", pa, err)
			}
			vs, err := svc.PublishedVersions(ctx, nobody, a)
			if err != nil || len(vs) != 1 || vs[0].Body != "Text of Flight" {
				t.Errorf("its earlier version: %+v, %v", vs, err)
			}
			pb, err := svc.Published(ctx, nobody, b)
			if err != nil || pb.Withdrawn.IsZero() || pb.WithdrawnReason != "Cancelled." || pb.Body != "" || pb.HTML != "" || pb.Summary != "" || len(pb.Photos) != 0 {
				t.Errorf("the withdrawn statement in public: %+v, %v", pb, err)
			}
			st, _ := db.Statement(ctx, b)
			if _, err := svc.PublishedPhoto(ctx, nobody, b, st.Photos[0].ID); outpost.ErrorCode(err) != outpost.ENOTFOUND {
				t.Errorf("the withdrawn statement's photo: got %v", err)
			}
			if vs, _ := svc.PublishedVersions(ctx, nobody, b); len(vs) != 0 {
				t.Errorf("the withdrawn statement's versions are shown: %+v", vs)
			}
			list, err := svc.PublishedList(ctx, nobody, "", 10)
			if err != nil || len(list) != 3 {
				t.Errorf("the public list: %d statements, %v; want all three, the withdrawn ones too", len(list), err)
			}
		})
	}
}
