package report

import "testing"

// Reports group digits as the web pages do, with a true minus sign.
func TestThousandsInPrint(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{thousands(0), "0"},
		{thousands(999), "999"},
		{thousands(1000), "1,000"},
		{thousands(1234567), "1,234,567"},
		{thousands(-2), "−2"},
		{thousands(-4500), "−4,500"},
		{signed(3), "+3"},
		{signed(1500), "+1,500"},
		{signed(-2), "−2"},
		{signed(0), "0"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
