package registry

import (
	"context"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
)

// fakeDocs are the exit documents the fake store keeps, by person.
var fakeDocs = map[string]outpost.ExitDocuments{
	"RU-0002": {Person: "RU-0002", Sex: "F", PassportExpiry: "2030-01-01", PermitStatus: outpost.PermitRefused},
}

func (f *fakeStore) ExitDocuments(_ context.Context, id string) (outpost.ExitDocuments, error) {
	if _, err := f.Person(context.Background(), id); err != nil {
		return outpost.ExitDocuments{}, err
	}
	d := fakeDocs[id]
	d.Person = id
	return d, nil
}

func (f *fakeStore) SetExitDocuments(_ context.Context, d outpost.ExitDocuments) error {
	f.actor = "set " + d.Person
	return nil
}

// TestExitDocumentsRights: the mission's staff read the passport's
// expiry and may edit; the press read the permit but not the expiry and
// may not edit; another mission's person is as if absent.
func TestExitDocumentsRights(t *testing.T) {
	s, st := newTestService()
	ctx := context.Background()
	staff := outpost.User{Name: "olga", Role: outpost.RoleStaff, Mission: "RU"}
	press := outpost.User{Name: "pat", Role: outpost.RolePress, Mission: "RU"}
	p, err := s.VisiblePerson(ctx, staff, "RU-0002")
	if err != nil || p.Documents == nil || p.Documents.PassportExpiry != "2030-01-01" {
		t.Errorf("staff: %+v, %v", p.Documents, err)
	}
	p, err = s.VisiblePerson(ctx, press, "RU-0002")
	if err != nil || p.Documents == nil || p.Documents.PassportExpiry != "" || p.Documents.PermitStatus != outpost.PermitRefused {
		t.Errorf("press: %+v, %v; want the permit without the passport's expiry", p.Documents, err)
	}
	if p, err := s.VisiblePerson(ctx, staff, "SE-0001"); err == nil || p.Documents != nil {
		t.Errorf("another mission's person: %+v, %v", p, err)
	}
	if err := s.SetExitDocuments(ctx, press, outpost.ExitDocuments{Person: "RU-0002"}); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
		t.Errorf("press editing: got %v, want EFORBIDDEN", err)
	}
	if err := s.SetExitDocuments(ctx, staff, outpost.ExitDocuments{Person: "SE-0001"}); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("editing another mission's person: got %v, want ENOTFOUND", err)
	}
	bad := outpost.ExitDocuments{Person: "RU-0002", PermitStatus: outpost.PermitGranted}
	if err := s.SetExitDocuments(ctx, staff, bad); outpost.ErrorCode(err) != outpost.EINVALID || st.actor != "" {
		t.Errorf("granted without dates: got %v (store: %q), want EINVALID and nothing written", err, st.actor)
	}
	if err := s.SetExitDocuments(ctx, staff, outpost.ExitDocuments{Person: "RU-0002", Sex: " X "}); err != nil || st.actor != "set RU-0002" {
		t.Errorf("a good edit: %v, store %q", err, st.actor)
	}
}
