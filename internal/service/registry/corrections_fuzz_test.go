package registry

import (
	"strconv"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
)

// FuzzEventID: an event id from a path is a positive whole number written
// plainly, or not found; it never panics.
func FuzzEventID(f *testing.F) {
	for _, s := range []string{"1", "42", "0", "-1", "+1", "01", "1e3", " 1", "9223372036854775807", "9223372036854775808", "", "x", "1/../2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := EventID(s)
		if err != nil {
			if outpost.ErrorCode(err) != outpost.ENOTFOUND {
				t.Fatalf("EventID(%q): %v, want not found", s, err)
			}
			return
		}
		if id <= 0 {
			t.Fatalf("EventID(%q) = %d", s, id)
		}
		if back, err := strconv.ParseInt(s, 10, 64); err != nil || back != id {
			t.Fatalf("EventID(%q) = %d, not the number written", s, id)
		}
	})
}
