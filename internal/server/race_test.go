package server

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
)

// changesPassword is a store on which an admin changes a user's password
// at the worst moment: right after a sign-in read the old hash, or right
// before a token minted through a session is stored.
type changesPassword struct {
	outpost.Store
	t    *testing.T
	user string
}

func (s changesPassword) PasswordHash(ctx context.Context, name string) (string, error) {
	h, err := s.Store.PasswordHash(ctx, name)
	if name == s.user {
		s.change(ctx)
	}
	return h, err
}

func (s changesPassword) CreateToken(ctx context.Context, tk outpost.Token) (outpost.Token, error) {
	if tk.User == s.user {
		s.change(ctx)
	}
	return s.Store.CreateToken(ctx, tk)
}

func (s changesPassword) change(ctx context.Context) {
	if err := s.Store.SetPassword(outpost.WithActor(ctx, "admin"), s.user, "changed-"+strings.Repeat("0", 60)); err != nil {
		s.t.Fatal(err)
	}
}

// TestPasswordChangeDuringSignInOrMint: a password changed while a
// sign-in checks the old one, or while a session mints a token, leaves
// neither a session nor a token behind.
func TestPasswordChangeDuringSignInOrMint(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			real := f.store
			f.store = changesPassword{Store: real, t: t, user: "staff"}
			reconfigure(t, f, func(*Config) {})

			res := f.send("POST", "/signin", "198.51.100.1:1000", nil, signInForm("staff", "correct horse battery", "/"))
			if res.Code == http.StatusSeeOther || len(res.Result().Cookies()) > 0 {
				t.Errorf("sign-in across a password change: got %d with cookies %v, want refused", res.Code, res.Result().Cookies())
			}

			// The fixture's session was ended by the change above: sign in
			// again directly, then mint across a change.
			f.store = real
			cookie := f.session("staff")
			f.store = changesPassword{Store: real, t: t, user: "staff"}
			reconfigure(t, f, func(*Config) {})
			mint := f.send("POST", "/api/v1/me/tokens", "198.51.100.1:1000",
				http.Header{"Cookie": {cookie.Name + "=" + cookie.Value}, "Content-Type": {"application/json"}}, `{"label":"x"}`)
			if mint.Code == http.StatusCreated {
				t.Errorf("a token minted across a password change: got %d %s, want refused", mint.Code, mint.Body.String())
			}
			if toks, _ := real.Tokens(storeCtx()); len(toks) > 0 {
				for _, tk := range toks {
					if tk.User == "staff" && tk.Label == "x" {
						t.Errorf("the token minted across a password change was stored: %+v", tk)
					}
				}
			}
		})
	}
}

// TestSignInWithAnImpossibleName: a "name" no user can have (64 KiB of
// it) fails like a wrong password, and is neither echoed back nor kept
// whole by the throttle.
func TestSignInWithAnImpossibleName(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			long := strings.Repeat("staff", 12<<10)
			for _, n := range []string{long, "staff\x00", "st aff"} {
				res := f.send("POST", "/signin", "198.51.100.1:1000", nil, signInForm(n, "correct horse battery", "/"))
				if res.Code != http.StatusUnauthorized || !strings.Contains(res.Body.String(), "Wrong user name or password") {
					t.Errorf("name %.20q: got %d, want 401 wrong name or password", n, res.Code)
				}
				if strings.Contains(res.Body.String(), "staffstaffstaff") {
					t.Errorf("name %.20q: the page echoes it back", n)
				}
			}
		})
	}
}
