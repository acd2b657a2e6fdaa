package server

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/api"
	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
)

func decode[T any](t *testing.T, res response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(res.body), &v); err != nil {
		t.Fatalf("answer %d is not the JSON wanted: %v\n%s", res.status, err, res.body)
	}
	return v
}

func TestAPI(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			ctx := context.Background()

			t.Run("census", func(t *testing.T) {
				ms, _ := f.store.Missions(ctx)
				pop, err := census.Build(ms, func(fn func(outpost.Presence) error) error { return f.store.Presence(ctx, fn) })
				if err != nil {
					t.Fatal(err)
				}
				for _, who := range []string{"coordinator", "press", "admin"} {
					res := f.get("/api/v1/census?as_of=2021-03-01", who)
					got := decode[census.Census](t, res)
					want := pop.At(outpost.Date("2021-03-01").End(testLoc(t, f)))
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("as %s (-want +got):\n%s", who, diff)
					}
				}
				if res := f.get("/api/v1/census?as_of=yesterday", "admin"); res.status != 400 || !strings.Contains(res.body, "as_of") {
					t.Errorf("bad as_of: got %d %s", res.status, res.body)
				}
			})

			t.Run("people pages", func(t *testing.T) {
				var ids []string
				after := ""
				for pages := 0; ; pages++ {
					res := f.get("/api/v1/people?limit=2&after="+url.QueryEscape(after), "admin")
					page := decode[api.PeoplePage](t, res)
					for _, p := range page.People {
						ids = append(ids, p.ID)
					}
					if page.Next == "" || pages > 5 {
						break
					}
					after = page.Next
				}
				if diff := cmp.Diff(seedPeople, ids); diff != "" {
					t.Errorf("paging through everyone (-want +got):\n%s", diff)
				}
			})

			t.Run("people filters and isolation", func(t *testing.T) {
				cases := []struct {
					who, query string
					status     int
					want       []string
				}{
					{"admin", "mission=SE", 200, []string{"SE-0001"}},
					{"admin", "q=surnamewfp", 200, []string{"WFP-0001"}},
					{"staff", "", 200, []string{"RU-0001", "RU-0002", "RU-0003"}},
					{"staff", "mission=SE", 200, nil},
					{"staff", "q=" + passportMarker("SE-0001"), 200, nil},
					{"staff", "q=" + passportMarker("RU-0002"), 200, []string{"RU-0002"}},
					{"press", "q=" + passportMarker("RU-0002"), 200, nil},
					{"press", "q=ru-0002", 200, []string{"RU-0002"}},
					{"staff", "status=left", 200, nil},
					{"staff", "status=gone", 400, nil},
					{"coordinator", "", 403, nil},
				}
				for _, c := range cases {
					res := f.get("/api/v1/people?"+c.query, c.who)
					if res.status != c.status {
						t.Errorf("%s ?%s: got %d, want %d: %s", c.who, c.query, res.status, c.status, res.body)
						continue
					}
					if c.status != 200 {
						continue
					}
					var got []string
					for _, p := range decode[api.PeoplePage](t, res).People {
						got = append(got, p.ID)
						if (c.who == "press") != (p.Passport == "") {
							t.Errorf("%s ?%s: passport of %s is %q", c.who, c.query, p.ID, p.Passport)
						}
					}
					if diff := cmp.Diff(c.want, got); diff != "" {
						t.Errorf("%s ?%s (-want +got):\n%s", c.who, c.query, diff)
					}
				}
			})

			t.Run("a person", func(t *testing.T) {
				cases := []struct {
					who, id      string
					status       int
					withPassport bool
				}{
					{"staff", "RU-0002", 200, true},
					{"manager", "RU-0002", 200, true},
					{"press", "RU-0002", 200, false},
					{"admin", "SE-0001", 200, true},
					{"staff", "SE-0001", 404, false},
					{"press", "WFP-0001", 404, false},
					{"coordinator", "RU-0002", 404, false},
					{"staff", "NOPE", 404, false},
				}
				for _, c := range cases {
					res := f.get("/api/v1/people/"+c.id, c.who)
					if res.status != c.status {
						t.Errorf("%s reads %s: got %d, want %d", c.who, c.id, res.status, c.status)
						continue
					}
					if c.status == 404 {
						if want := `"message": "no person \"` + c.id + `\""`; !strings.Contains(res.body, want) {
							t.Errorf("%s reads %s: got %s, want the message of a missing person", c.who, c.id, res.body)
						}
						continue
					}
					d := decode[api.PersonDetail](t, res)
					if got := d.Person.Passport != ""; got != c.withPassport {
						t.Errorf("%s reads %s: passport shown %v, want %v", c.who, c.id, got, c.withPassport)
					}
					if len(d.Events) != 1 {
						t.Errorf("%s reads %s: got %d events, want 1", c.who, c.id, len(d.Events))
					}
				}
			})

			t.Run("tracking", func(t *testing.T) {
				cases := []struct {
					who, id, body string
					status        int
				}{
					{"staff", "RU-0003", `{"checkpoint":"departed","at":"2021-02-25T09:30","note":"train"}`, 201},
					{"manager", "RU-0003", `{"checkpoint":"crossed","at":"2021-02-26"}`, 201},
					{"press", "RU-0003", `{"checkpoint":"returned"}`, 403},
					{"coordinator", "RU-0003", `{"checkpoint":"returned"}`, 404},
					{"staff", "SE-0001", `{"checkpoint":"departed"}`, 404},
					{"staff", "RU-0003", `{"checkpoint":"flew"}`, 400},
					{"staff", "RU-0003", `{"checkpoint":"departed","at":"soon"}`, 400},
					{"staff", "RU-0003", `{"checkpoint":"departed","extra":1}`, 400},
					{"staff", "RU-0003", `not json`, 400},
				}
				for _, c := range cases {
					res := f.postJSON("/api/v1/people/"+c.id+"/track", c.who, c.body)
					if res.status != c.status {
						t.Errorf("%s tracks %s with %s: got %d, want %d: %s", c.who, c.id, c.body, res.status, c.status, res.body)
					}
				}
				p, _ := f.store.Person(ctx, "RU-0003")
				if p.Status != outpost.Left {
					t.Errorf("after departed and crossed: got %s, want left", p.Status)
				}
				entries, _ := f.store.Audit(ctx, outpost.AuditFilter{Entity: "person", Limit: 2})
				if len(entries) != 2 || entries[0].Actor != "manager" || entries[1].Actor != "staff" {
					t.Errorf("audit: got %+v, want the manager's and the staff's entries", entries)
				}
				// The census follows at once.
				got := decode[census.Census](t, f.get("/api/v1/census?as_of=2021-03-01", "staff"))
				if got.Left != 1 {
					t.Errorf("census after tracking: got %d left, want 1", got.Left)
				}
			})

			t.Run("audit", func(t *testing.T) {
				cases := []struct {
					who, query string
					status     int
					missions   []string
				}{
					{"admin", "entity=missions", 200, []string{""}},
					{"manager", "", 200, []string{"RU"}},
					{"manager", "mission=SE", 200, nil},
					{"staff", "", 403, nil},
					{"coordinator", "", 403, nil},
				}
				for _, c := range cases {
					res := f.get("/api/v1/audit?"+c.query, c.who)
					if res.status != c.status {
						t.Errorf("%s ?%s: got %d, want %d", c.who, c.query, res.status, c.status)
						continue
					}
					if c.status != 200 {
						continue
					}
					seen := map[string]bool{}
					var got []string
					for _, e := range decode[api.AuditPage](t, res).Entries {
						if !seen[e.Mission] {
							seen[e.Mission] = true
							got = append(got, e.Mission)
						}
					}
					if diff := cmp.Diff(c.missions, got); diff != "" {
						t.Errorf("%s ?%s: missions of the entries (-want +got):\n%s", c.who, c.query, diff)
					}
				}
			})

			t.Run("users and tokens", func(t *testing.T) {
				res := f.postJSON("/api/v1/users", "admin", `{"name":"olga","role":"staff","mission":"RU"}`)
				created := decode[api.CreatedUser](t, res)
				if res.status != 201 || created.User.Name != "olga" || len(created.Password) < 20 {
					t.Errorf("create user: got %d %+v", res.status, created)
				}
				if res := f.postJSON("/api/v1/users", "manager", `{"name":"oleg","role":"admin"}`); res.status != 403 {
					t.Errorf("a manager creates an admin: got %d, want 403", res.status)
				}
				if res := f.postJSON("/api/v1/users", "admin", `{"name":"olga","role":"staff","mission":"RU"}`); res.status != 409 {
					t.Errorf("a taken name: got %d, want 409", res.status)
				}
				res = f.do("POST", "/api/v1/me/tokens", "press", "cookie", "application/json", `{"label":"feed","days":30}`)
				tk := decode[api.CreatedToken](t, res)
				if res.status != 201 || !strings.HasPrefix(tk.Secret, auth.TokenPrefix) {
					t.Fatalf("create token: got %d %s", res.status, res.body)
				}
				req := httptest.NewRequest("GET", "/api/v1/me", nil)
				req.Header.Set("Authorization", "Bearer "+tk.Secret)
				rec := httptest.NewRecorder()
				f.srv.Handler().ServeHTTP(rec, req)
				if u := decode[outpost.User](t, response{status: rec.Code, body: rec.Body.String()}); rec.Code != 200 || u.Name != "press" {
					t.Errorf("the new token: got %d %+v, want press", rec.Code, u)
				}
				me := f.do("GET", "/api/v1/me", "", "", "", "")
				if me.status != 401 || me.header.Get("WWW-Authenticate") == "" {
					t.Errorf("no token: got %d, want 401 with WWW-Authenticate", me.status)
				}
			})
		})
	}
}

func testLoc(t *testing.T, f *fixture) *time.Location {
	t.Helper()
	snap, err := f.srv.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return snap.Loc
}
