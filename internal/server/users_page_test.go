package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestUsersPageSaysOnlyWhatHappened: the users page's note after a form
// comes from the query; it names only a listed user whose state it
// matches, never text a link brought.
func TestUsersPageSaysOnlyWhatHappened(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, open(t))
			for _, q := range []string{"disabled=" + url.QueryEscape("nobody. Call +1 555 0100 to restore access"),
				"enabled=" + url.QueryEscape("nobody. Call +1 555 0100 to restore access"),
				"disabled=staff", // staff is not disabled
			} {
				res := f.do("GET", "/users?"+q, "admin", "", "", "")
				if res.status != 200 || strings.Contains(res.body, "555 0100") || strings.Contains(res.body, "alert-ok") {
					t.Errorf("/users?%s: got %d, a note on the page:\n%.300s", q, res.status, res.body)
				}
			}
			if res := f.do("POST", "/users/staff/disable", "admin", "", formType, ""); res.status != http.StatusSeeOther {
				t.Fatalf("disable staff: got %d %s", res.status, res.body)
			}
			if res := f.do("GET", "/users?disabled=staff", "admin", "", "", ""); !strings.Contains(res.body, "Disabled staff") {
				t.Errorf("after disabling staff: no note on the page:\n%.500s", res.body)
			}
		})
	}
}
