package server

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/api"
	"github.com/outpost-org/outpost/internal/outpost"
)

// paramValues are what the walk puts into each path parameter: a record of
// the walker's own mission (RU), one of another mission (SE) and one that
// does not exist. Parameters not listed get "1" and "999999".
var paramValues = map[string][]string{
	"id":   {"RU-0002", "SE-0001", "NOPE-0000"},
	"code": {"RU", "SE", "NOPE"},
	"file": {"style.css", "nope.css"},
}

// fill returns every way to fill the path's parameters; each result says
// which kind of value it used ("own", "other", "none").
func fill(path string) []struct{ path, kind string } {
	out := []struct{ path, kind string }{{strings.ReplaceAll(path, "{$}", ""), "own"}}
	for _, name := range api.PathParams(path) {
		vals, ok := paramValues[name]
		if !ok {
			vals = []string{"1", "999999"}
		}
		var next []struct{ path, kind string }
		for _, o := range out {
			for i, v := range vals {
				kind := o.kind
				switch {
				case i == 1 && len(vals) == 3:
					kind = "other"
				case i == len(vals)-1 && kind != "other":
					kind = "none"
				}
				p := strings.Replace(o.path, "{"+name+"...}", v, 1)
				p = strings.Replace(p, "{"+name+"}", v, 1)
				next = append(next, struct{ path, kind string }{p, kind})
			}
		}
		out = next
	}
	return out
}

// forbiddenMarkers lists what a user must never see: the names and
// passports of people of other missions; for the coordinator and those not
// signed in, everyone's; for press, passports.
func forbiddenMarkers(u outpost.User) []string {
	var out []string
	for _, id := range seedPeople {
		mission := strings.SplitN(id, "-", 2)[0]
		own := u.Role.MissionBound() && mission == u.Mission
		if u.Role == outpost.RoleAdmin {
			continue
		}
		if !own {
			out = append(out, nameMarker(id), passportMarker(id))
		} else if u.Role == outpost.RolePress {
			out = append(out, passportMarker(id))
		}
	}
	return out
}

// TestAuthorizationWalk requests every registered route as every role
// (and as nobody), by token and by cookie, for a record of the caller's
// own mission, of another mission, and one that does not exist, and fails
// on any leak: a forbidden name or passport in an answer, another
// mission's record answered differently from a missing one, a route that
// answers without signing in, or a write to another mission's data.
func TestAuthorizationWalk(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			// The admin walks last, so that its writes do not hide others'.
			walkers := []string{"", "coordinator", "press", "staff", "manager", "admin"}
			routes := f.srv.Routes()
			if len(routes) < 15 {
				t.Fatalf("only %d routes registered", len(routes))
			}
			ctx := context.Background()
			for _, who := range walkers {
				u := f.users[who].User
				if who == "" {
					u = outpost.User{}
				}
				forbidden := forbiddenMarkers(u)
				for _, rt := range routes {
					for _, mode := range []string{"token", "cookie"} {
						if who == "" && mode == "cookie" {
							continue
						}
						statusOf := map[string]int{}
						for _, target := range fill(rt.Path) {
							var res response
							switch {
							case rt.Method == "GET":
								res = f.do("GET", target.path, who, mode, "", "")
							case strings.HasPrefix(rt.Path, api.Prefix):
								res = f.do(rt.Method, target.path, who, mode, "application/json", `{"checkpoint":"assembled","note":"walk"}`)
							default:
								res = f.do(rt.Method, target.path, who, mode, "application/x-www-form-urlencoded", "checkpoint=assembled&note=walk")
							}
							where := fmt.Sprintf("%s %s as %q by %s", rt.Method, target.path, who, mode)
							for _, m := range forbidden {
								if strings.Contains(res.body, m) {
									t.Errorf("%s: answer shows %q, which %q must not see (status %d)", where, m, who, res.status)
								}
							}
							if who == "" && !rt.Public {
								if strings.HasPrefix(rt.Path, api.Prefix) && res.status != http.StatusUnauthorized {
									t.Errorf("%s: got %d, want 401 without signing in", where, res.status)
								}
								if !strings.HasPrefix(rt.Path, api.Prefix) && (res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/signin")) {
									t.Errorf("%s: got %d to %q, want a redirect to /signin", where, res.status, res.header.Get("Location"))
								}
							}
							statusOf[target.kind] = res.status
						}
						// Another mission's record must look like a missing one.
						if slices.Contains(api.PathParams(rt.Path), "id") && who != "admin" {
							if statusOf["other"] != statusOf["none"] {
								t.Errorf("%s %s as %q by %s: another mission's record answers %d, a missing one %d",
									rt.Method, rt.Path, who, mode, statusOf["other"], statusOf["none"])
							}
						}
					}
				}
				if who == "admin" {
					continue
				}
				// No write by this walker touched another mission or, for
				// the coordinator and press, any person.
				entries, err := f.store.Audit(ctx, outpost.AuditFilter{Limit: 100000})
				if err != nil {
					t.Fatal(err)
				}
				tracked := 0
				for _, e := range entries {
					if e.Actor != who {
						continue
					}
					if e.Entity == "person" {
						tracked++
					}
					if e.Mission != u.Mission {
						t.Errorf("%q wrote to mission %q: %+v", who, e.Mission, e)
					}
					if e.Entity != "token" && !u.Can(outpost.TrackPeople, e.Mission) {
						t.Errorf("%q, who may not track people, wrote %+v", who, e)
					}
				}
				if (who == "staff" || who == "manager") && tracked == 0 {
					t.Errorf("%q tracked nobody of their own mission: the walk reached no handler", who)
				}
				for _, id := range []string{"SE-0001", "WFP-0001"} {
					evs, err := f.store.Events(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					if len(evs) != 1 {
						t.Errorf("after %q walked, %s has %d events, want the 1 imported", who, id, len(evs))
					}
				}
			}
		})
	}
}

func TestFillCoversEveryKind(t *testing.T) {
	got := fill("/api/v1/people/{id}/track")
	want := []string{"own:/api/v1/people/RU-0002/track", "other:/api/v1/people/SE-0001/track", "none:/api/v1/people/NOPE-0000/track"}
	var gotS []string
	for _, g := range got {
		gotS = append(gotS, g.kind+":"+g.path)
	}
	if !slices.Equal(gotS, want) {
		t.Errorf("got %v, want %v", gotS, want)
	}
}
