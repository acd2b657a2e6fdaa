package importer

import (
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// The missions reader with its status_since column never panics, locates
// every problem, and yields only missions whose status_since, when given,
// lies in the date window and starts a day in the post's zone.
func FuzzMissionsStatusSince(f *testing.F) {
	for _, s := range []string{
		"code,name,kind,status,status_since\nGB,UK,embassy,closed,2020-05-27\n",
		"code,name,kind,status,status_since\nGB,UK,embassy,closed,\n",
		"code,name,kind,status,status_since\nGB,UK,embassy,closed,2020-02-30\n",
		"code,name,kind,status,status_since\nGB,UK,embassy,closed,9999-12-31\n",
		"code,name,kind,status,status_since\nGB,UK,embassy,closed,0001-01-01\n",
		"code,name,kind,status,status_since\nGB,UK,embassy,closed,2020-05-27T10:00\n",
		"code,name,kind,status,status_since\nGB,UK,embassy,closed,27.05.2020\n",
		"code;name;kind;status;status_since\nGB;UK;embassy;closed;27.05.2020\n",
		"code,name,kind,status,status_since\nGB,UK,embassy,shut,2020-05-27\n",
		`[{"code":"GB","name":"UK","kind":"embassy","status":"closed","status_since":"2020-05-27"}]`,
		`[{"code":"GB","name":"UK","kind":"embassy","status":"closed","status_since":20200527}]`,
	} {
		f.Add(s)
	}
	loc := time.FixedZone("KST", 9*3600)
	f.Fuzz(func(t *testing.T, content string) {
		format := CSV
		if strings.HasPrefix(content, "[") {
			format = JSON
		}
		rd, err := Open(MissionsIn(loc), strings.NewReader(content), Options{File: "f", Format: format})
		if err == nil {
			for m := range rd.Batch().Rows {
				if !m.StatusSince.IsZero() {
					d := outpost.DateOf(m.StatusSince.In(loc))
					if !d.InWindow() || !m.StatusSince.Equal(d.Start(loc)) {
						t.Fatalf("status_since %v is not the start of a day in the window", m.StatusSince)
					}
				}
			}
			err = rd.Err()
		}
		for _, d := range details(err) {
			if !strings.HasPrefix(d, "f:") {
				t.Fatalf("problem not located: %q", d)
			}
		}
	})
}

// TestMissionsStatusSince reads the column and locates a bad date.
func TestMissionsStatusSince(t *testing.T) {
	loc := time.FixedZone("KST", 9*3600)
	ms, err := readAll(t, MissionsIn(loc), "m.csv", "code,name,kind,status,status_since\nGB,UK,embassy,closed,2020-05-27\nRU,R,embassy,open,\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2020, 5, 27, 0, 0, 0, 0, loc); !ms[0].StatusSince.Equal(want) {
		t.Errorf("GB status_since: got %v, want %v", ms[0].StatusSince, want)
	}
	if !ms[1].StatusSince.IsZero() {
		t.Errorf("RU status_since: got %v, want none", ms[1].StatusSince)
	}
	_, err = readAll(t, MissionsIn(loc), "m.csv", "code,name,kind,status,status_since\nGB,UK,embassy,closed,2020-02-30\n")
	if d := details(err); len(d) != 1 || d[0] != `m.csv:2: status_since: not a real calendar date (got "2020-02-30")` {
		t.Errorf("bad date: got %q", d)
	}
}
