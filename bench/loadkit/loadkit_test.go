package loadkit

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

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

func TestCallDecodesAnAnswerAndQuotesARefusal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			http.Error(w, strings.Repeat("x", 50), http.StatusUnauthorized)
			return
		}
		var in map[string]string
		json.NewDecoder(r.Body).Decode(&in)
		json.NewEncoder(w).Encode(map[string]string{"echo": in["say"]})
	}))
	defer srv.Close()
	c := &Client{Base: srv.URL, Token: "tok", HTTP: HTTP(1, 5*time.Second)}
	var out map[string]string
	if code, err := c.Call("POST", "/x", map[string]string{"say": "hi"}, &out); code != 200 || err != nil || out["echo"] != "hi" {
		t.Fatalf("Call = %d, %v, %v", code, err, out)
	}
	c.Token, c.ErrBody = "wrong", 10
	code, err := c.Call("GET", "/x", nil, nil)
	if want := "GET /x: 401 Unauthorized: xxxxxxxxxx"; code != 401 || err == nil || err.Error() != want {
		t.Fatalf("Call = %d, %v, want 401, %s", code, err, want)
	}
}
