package registry

import (
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// FuzzParseSince: a status change's since is a date (the start of that
// day in the post's zone) or a time within the bounds of every date;
// anything else is refused as invalid, naming since; it never panics.
func FuzzParseSince(f *testing.F) {
	for _, s := range []string{"2020-05-27", "2020-05-27T10:00", "2020-05-27T10:00:00Z", "2020-05-27T10:00:00+09:00",
		"", " ", "2020-02-30", "2020-13-01", "1850-01-01", "2101-01-01", "9999-12-31", "0001-01-01", "27.05.2020",
		"05/27/2020", "2020-5-27", "20200527", "2020-05-27T25:00", "2020-05-27 10:00", "x", "2020-05-27T10:00:00.5Z"} {
		f.Add(s)
	}
	loc, err := time.LoadLocation("Asia/Pyongyang")
	if err != nil {
		loc = time.FixedZone("KST", 9*3600)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseSince(s, loc)
		if err != nil {
			if outpost.ErrorCode(err) != outpost.EINVALID {
				t.Fatalf("parseSince(%q): %v, want invalid", s, err)
			}
			return
		}
		if got.IsZero() {
			t.Fatalf("parseSince(%q): the zero time, which means 'from the beginning'", s)
		}
		if d := outpost.DateOf(got.In(loc)); !d.InWindow() {
			t.Fatalf("parseSince(%q) = %v: outside the window of dates", s, got)
		}
		if len(s) == len("2006-01-02") && !got.Equal(outpost.DateOf(got.In(loc)).Start(loc)) {
			t.Fatalf("parseSince(%q) = %v: a date is the start of its day", s, got)
		}
	})
}
