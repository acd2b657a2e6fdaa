package channel

import (
	"testing"
	"time"
)

func TestSignatureVerifies(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	body := []byte(`{"from":"signal:+79161234567","text":"1"}`)
	h := Sign("s3cret", now, body)
	if err := Verify("s3cret", h, now.Add(time.Minute), body); err != nil {
		t.Fatalf("a fresh signature was refused: %v", err)
	}
	for name, c := range map[string]struct {
		secret, header string
		at             time.Time
		body           []byte
	}{
		"other secret": {"other", h, now, body},
		"other body":   {"s3cret", h, now, []byte(`{"text":"2"}`)},
		"replayed":     {"s3cret", h, now.Add(SignatureTolerance + time.Second), body},
		"no header":    {"s3cret", "", now, body},
		"no secret":    {"", h, now, body},
		"garbled":      {"s3cret", "t=abc,v1=00", now, body},
	} {
		if err := Verify(c.secret, c.header, c.at, c.body); err == nil {
			t.Errorf("%s: a bad signature was accepted", name)
		}
	}
}

func FuzzVerify(f *testing.F) {
	f.Add("t=1700000000,v1=00", []byte("{}"))
	f.Add("v1=,t=", []byte(""))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		now := time.Unix(1_700_000_000, 0)
		if Verify("k", header, now, body) == nil && header != Sign("k", now, body) {
			// Only a header carrying the right MAC may pass.
			if Verify("k", Sign("k", now, body), now, body) != nil {
				t.Fatal("a correct signature fails")
			}
		}
	})
}
