package supply

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want Date // 0: an error
	}{
		{"0001-01-01", 1},
		{"1970-01-01", 719163}, // Python: date(1970, 1, 1).toordinal()
		{"2021-03-01", 737850},
		{"2020-02-29", 737484},
		{"9999-12-31", 3652059},
		{"2021-02-29", 0},
		{"1900-02-29", 0},
		{"2021-04-31", 0},
		{"2021-13-01", 0},
		{"2021-00-10", 0},
		{"2021-01-00", 0},
		{"0000-01-01", 0},
		{"2021-3-01", 0},
		{"2021/03/01", 0},
		{"+021-03-01", 0},
		{"2021-03-01T00:00", 0},
		{"", 0},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if tt.want == 0 {
			if err == nil {
				t.Errorf("ParseDate(%q): got %d, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDate(%q): got %d, %v; want %d", tt.in, got, err, tt.want)
		}
		if s := got.String(); s != tt.in {
			t.Errorf("String(): got %q, want %q", s, tt.in)
		}
	}
}

// Every day of four centuries and the edges of the range round-trip through
// String and agree with package time.
func TestDateAgreesWithTime(t *testing.T) {
	check := func(d Date) {
		tm := d.Time()
		if got := DateOf(tm); got != d {
			t.Fatalf("DateOf(%v): got %d, want %d", tm, got, d)
		}
		if s, want := d.String(), tm.Format("2006-01-02"); s != want {
			t.Fatalf("String(%d): got %q, want %q", d, s, want)
		}
		if p, err := ParseDate(d.String()); err != nil || p != d {
			t.Fatalf("ParseDate(%q): got %d, %v; want %d", d.String(), p, err, d)
		}
	}
	for d := date("1900-01-01"); d <= date("2300-12-31"); d++ {
		check(d)
	}
	for d := Date(1); d < 1000; d++ {
		check(d)
	}
	for d := date("9999-12-31") - 1000; d <= date("9999-12-31"); d++ {
		check(d)
	}
}

func TestDateOfUsesTheLocation(t *testing.T) {
	pyongyang := time.FixedZone("KST", 9*3600)
	tm := time.Date(2021, 2, 25, 1, 0, 0, 0, pyongyang) // 2021-02-24T16:00Z
	if got := DateOf(tm).String(); got != "2021-02-25" {
		t.Errorf("got %s, want 2021-02-25", got)
	}
	if got := DateOf(tm.UTC()).String(); got != "2021-02-24" {
		t.Errorf("got %s, want 2021-02-24", got)
	}
}

func TestDateZeroAndJSON(t *testing.T) {
	var z Date
	if !z.IsZero() || z.String() != "" || !z.Time().IsZero() {
		t.Errorf("zero Date: got %q %v", z.String(), z.Time())
	}
	if got := date("2021-02-28").AddDays(1).String(); got != "2021-03-01" {
		t.Errorf("AddDays: got %s, want 2021-03-01", got)
	}
	var v struct {
		AsOf    Date `json:"as_of"`
		Expires Date `json:"expires"`
	}
	if err := json.Unmarshal([]byte(`{"as_of":"2021-03-01","expires":""}`), &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	if got, want := string(b), `{"as_of":"2021-03-01","expires":""}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if err := json.Unmarshal([]byte(`{"as_of":"2021-02-30"}`), &v); err == nil {
		t.Error("2021-02-30: got no error")
	}
}

// FuzzParseDate: whatever ParseDate accepts, package time reads as the same
// day and String writes back unchanged; whatever time accepts in the layout
// (years 1 to 9999, digits only), ParseDate accepts.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2021-03-01", "2020-02-29", "2021-02-29", "0000-01-01", "+021-03-01", "9999-12-31", "", "2021-1-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		tm, terr := time.Parse("2006-01-02", s)
		if err == nil {
			if terr != nil {
				t.Fatalf("ParseDate(%q) = %v, time.Parse says %v", s, d, terr)
			}
			if DateOf(tm) != d || d.String() != s {
				t.Fatalf("ParseDate(%q) = %d (%s), time.Parse %v", s, d, d, tm)
			}
			return
		}
		if terr == nil && tm.Year() >= 1 && len(s) == 10 && isDigits(s[:4]) {
			t.Fatalf("ParseDate(%q): %v, but time.Parse reads %v", s, err, tm)
		}
	})
}

func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
