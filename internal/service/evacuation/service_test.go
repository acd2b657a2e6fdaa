package evacuation

import (
	"context"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
)

// TestRefusalsComeBeforeTheStore checks who the service refuses, and
// that it refuses them before it reads anything: the service has no
// store here, so a refusal that came later would panic.
func TestRefusalsComeBeforeTheStore(t *testing.T) {
	ctx := context.Background()
	s := New(nil, nil, nil)
	ruPress := outpost.User{Name: "pavel", Role: outpost.RolePress, Mission: "RU"}
	forbidden := func(t *testing.T, what string, err error) {
		t.Helper()
		if outpost.ErrorCode(err) != outpost.EFORBIDDEN {
			t.Errorf("%s: got %v, want %s", what, err, outpost.EFORBIDDEN)
		}
	}
	for _, u := range []outpost.User{coordinator, ruStaff, ruPress} {
		_, err := s.Make(ctx, u, "2021-02-25")
		forbidden(t, string(u.Role)+" makes a plan", err)
		_, err = s.SavedPlan(ctx, u, 1)
		forbidden(t, string(u.Role)+" reads a whole plan", err)
	}
	_, err := s.SavedPlan(ctx, ruManager, 1)
	forbidden(t, "a mission's manager reads a whole plan", err)
	for _, u := range []outpost.User{coordinator, ruPress} {
		_, err := s.Manifest(ctx, u, 1, "TRAIN-1")
		forbidden(t, string(u.Role)+" reads a manifest", err)
		// Refused whatever id was sent, before the id is read.
		_, err = ManifestPlanID(u, "not-a-plan")
		forbidden(t, string(u.Role)+" asks for a manifest of a bad id", err)
	}
	for _, u := range []outpost.User{admin, ruManager, ruStaff} {
		_, err := ManifestPlanID(u, "not-a-plan")
		if got, want := outpost.ErrorMessage(err), `There is no plan "not-a-plan".`; got != want {
			t.Errorf("%s asks for a manifest of a bad id: got %q, want %q", u.Role, got, want)
		}
	}
	if _, err := s.Restrictions(ctx, outpost.User{Name: "nobody"}, "no-date", false); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
		t.Errorf("a user without a role reads restrictions: got %v", err)
	}
}

func TestPlanIDReadsAsTheNotFoundOfAPlan(t *testing.T) {
	for _, tc := range []struct {
		text string
		id   int64
		msg  string
	}{
		{"7", 7, ""},
		{"06", 6, ""},
		{"0", 0, "There is no plan \"0\"."},
		{"-3", 0, "There is no plan \"-3\"."},
		{"x", 0, "There is no plan \"x\"."},
	} {
		id, err := PlanID(tc.text)
		msg := ""
		if err != nil {
			msg = outpost.ErrorMessage(err)
		}
		if id != tc.id || msg != tc.msg {
			t.Errorf("PlanID(%q) = %d, %q; want %d, %q", tc.text, id, msg, tc.id, tc.msg)
		}
	}
	if got := outpost.ErrorMessage(NoPlan("06")); got != "There is no plan 6." {
		t.Errorf("NoPlan(06) = %q", got)
	}
}
