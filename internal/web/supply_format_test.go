package web

import "testing"

func TestQuantity(t *testing.T) {
	cases := []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{12, "12"},
		{0.5, "0.5"},
		{94.126, "94.13"},
		{1348.8, "1,348.8"},
		{1234567.891, "1,234,567.89"},
		{0.0036, "0.0036"},
		{-0.001, "-0.001"},
		{-3.5, "-3.5"},
		{-1500, "-1,500"},
		{0.004999, "0.005"},
	}
	for _, c := range cases {
		if got := quantity(c.in); got != c.want {
			t.Errorf("quantity(%v): got %q, want %q", c.in, got, c.want)
		}
	}
}
