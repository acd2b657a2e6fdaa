package loadkit

import "testing"

func TestCheckURLTakesOnlyThisMachine(t *testing.T) {
	for raw, ok := range map[string]bool{
		"http://127.0.0.1:8091/":   true,
		"http://127.9.9.9/":        true,
		"http://[::1]:8080/":       true,
		"http://localhost:8080/":   true,
		"http://10.0.0.1/":         false,
		"http://example.org/":      false,
		"http://127.0.0.1.nip.io/": false,
		"http://[::ffff:8.8.8.8]/": false,
		"://bad":                   false,
	} {
		if err := CheckURL(raw); (err == nil) != ok {
			t.Errorf("CheckURL(%q) = %v, want ok=%v", raw, err, ok)
		}
	}
}
