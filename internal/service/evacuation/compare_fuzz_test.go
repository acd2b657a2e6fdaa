package evacuation

import (
	"strconv"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
)

// FuzzCompareIDs: two plan ids are read or refused with the field named,
// never anything else.
func FuzzCompareIDs(f *testing.F) {
	for _, seed := range [][2]string{{"3", "5"}, {"", "5"}, {"3", ""}, {"0", "1"}, {"-1", "2"}, {" 7 ", "08"},
		{"9223372036854775808", "1"}, {"1e3", "2"}, {"3", "x"}, {"\x00", "1"}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ia, ib, err := CompareIDs(a, b)
		wantA, errA := strconv.ParseInt(strings.TrimSpace(a), 10, 64)
		wantB, errB := strconv.ParseInt(strings.TrimSpace(b), 10, 64)
		okA, okB := errA == nil && wantA > 0, errB == nil && wantB > 0
		switch {
		case okA && okB:
			if err != nil || ia != wantA || ib != wantB {
				t.Fatalf("CompareIDs(%q, %q) = %d, %d, %v", a, b, ia, ib, err)
			}
		case err == nil:
			t.Fatalf("CompareIDs(%q, %q) accepted %d, %d", a, b, ia, ib)
		case outpost.ErrorCode(err) != outpost.EINVALID:
			t.Fatalf("CompareIDs(%q, %q): %v is not EINVALID", a, b, err)
		case !okA && !strings.HasPrefix(outpost.ErrorMessage(err), "a: "), okA && !strings.HasPrefix(outpost.ErrorMessage(err), "b: "):
			t.Fatalf("CompareIDs(%q, %q): %q does not name the field", a, b, outpost.ErrorMessage(err))
		}
	})
}
