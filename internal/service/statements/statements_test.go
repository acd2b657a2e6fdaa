package statements_test

import (
	"context"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/statements"
)

// fakeStore holds statements in memory; the methods the tests do not
// reach are left to the embedded nil interface.
type fakeStore struct {
	outpost.StatementStore
	outpost.StatementCorrectionStore
	list  map[int64]outpost.Statement
	actor string
}

func (f *fakeStore) Statement(_ context.Context, id int64) (outpost.Statement, error) {
	st, ok := f.list[id]
	if !ok {
		return st, outpost.Errorf(outpost.ENOTFOUND, "no statement %d", id)
	}
	return st, nil
}

func (f *fakeStore) CreateStatement(ctx context.Context, s outpost.Statement) (outpost.Statement, error) {
	f.actor = outpost.ActorFrom(ctx)
	s.ID = int64(len(f.list) + 1)
	f.list[s.ID] = s
	return s, nil
}

func (f *fakeStore) Config(context.Context, string) (string, error) { return "", nil }
func (f *fakeStore) InitConfig(_ context.Context, _, v string) (string, error) {
	return v, nil
}

func (f *fakeStore) Missions(context.Context) ([]outpost.Mission, error) {
	return []outpost.Mission{{Code: "RU", Name: "Embassy of Russia"}}, nil
}

func newService() (*statements.Service, *fakeStore) {
	fs := &fakeStore{list: map[int64]outpost.Statement{
		1: {ID: 1, Mission: "RU", Title: "Draft", Status: outpost.StatementDraft},
		2: {ID: 2, Mission: "SE", Title: "Published", Status: outpost.StatementPublished},
	}}
	return statements.New(fs, func() time.Time { return time.Date(2021, 4, 1, 0, 0, 0, 0, time.UTC) }), fs
}

// A statement a caller may not see and one that does not exist answer
// alike, over the network; the operator of the command line reads the
// store's own words.
func TestNotFoundIsOneAnswer(t *testing.T) {
	svc, _ := newService()
	ctx := context.Background()
	press := outpost.User{ID: 7, Name: "press", Role: outpost.RolePress, Mission: "SE"}
	admin := outpost.User{ID: 1, Name: "admin", Role: outpost.RoleAdmin}
	for _, tc := range []struct {
		caller outpost.User
		id     int64
		want   string
	}{
		{press, 1, "There is no statement 1."},
		{press, 99, "There is no statement 99."},
		{admin, 99, "There is no statement 99."},
		{outpost.Operator("cli"), 99, "no statement 99"},
	} {
		_, err := svc.Managed(ctx, tc.caller, tc.id)
		if outpost.ErrorCode(err) != outpost.ENOTFOUND || outpost.ErrorMessage(err) != tc.want {
			t.Errorf("%s asks for statement %d: got %v, want %q", tc.caller.Name, tc.id, err, tc.want)
		}
	}
	if _, err := svc.Published(ctx, admin, 1); outpost.ErrorMessage(err) != "There is no statement 1." {
		t.Errorf("a draft in public: got %v, want the one not-found", err)
	}
	if _, err := statements.ID("06x"); outpost.ErrorMessage(err) != `There is no statement "06x".` {
		t.Errorf("a bad id: got %v", err)
	}
}

// A mission-bound caller drafts for their own mission only, and the
// draft is audited as theirs.
func TestDraftIsTheCallersMissions(t *testing.T) {
	svc, fs := newService()
	ctx := context.Background()
	press := outpost.User{ID: 7, Name: "press", Role: outpost.RolePress, Mission: "SE"}
	if _, err := svc.Draft(ctx, press, statements.DraftRequest{Title: "T", Body: "B", Mission: "RU"}, time.Time{}); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
		t.Errorf("draft for another mission: got %v, want forbidden", err)
	}
	st, err := svc.Draft(ctx, press, statements.DraftRequest{Title: "T", Body: "B"}, time.Time{})
	if err != nil || st.Mission != "SE" || fs.actor != "press" {
		t.Errorf("draft: got %+v, %v, audited as %q; want SE's, by press", st, err, fs.actor)
	}
	staff := outpost.User{ID: 8, Name: "staff", Role: outpost.RoleStaff, Mission: "RU"}
	if _, err := svc.Draft(ctx, staff, statements.DraftRequest{Title: "T", Body: "B"}, time.Time{}); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
		t.Errorf("staff drafts: got %v, want forbidden", err)
	}
	if _, err := svc.Editable(ctx, staff, 1); outpost.ErrorMessage(err) != "Your role may not change statements." {
		t.Errorf("staff edits: got %v", err)
	}
}
