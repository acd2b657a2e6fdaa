package auth

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

func TestPasswords(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") {
		t.Errorf("got hash %q, want an argon2id hash", h)
	}
	cases := []struct {
		pw, hash string
		want     bool
	}{
		{"correct horse battery", h, true},
		{"correct horse batterY", h, false},
		{"", h, false},
		{"correct horse battery", "", false},
		{"correct horse battery", "not a hash", false},
	}
	for _, c := range cases {
		if got := CheckPassword(c.pw, c.hash); got != c.want {
			t.Errorf("CheckPassword(%q, %.12q): got %v, want %v", c.pw, c.hash, got, c.want)
		}
	}
	if _, err := HashPassword("short"); outpost.ErrorCode(err) != outpost.EINVALID {
		t.Errorf("short password: got %v, want invalid", err)
	}
}

func TestGeneratePassword(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		pw := GeneratePassword()
		if len(pw) != 23 || strings.Count(pw, "-") != 3 {
			t.Fatalf("got %q, want four groups of five", pw)
		}
		if strings.ContainsAny(pw, "0O1lI") {
			t.Errorf("got %q, want no easily misread characters", pw)
		}
		if seen[pw] {
			t.Fatalf("got %q twice", pw)
		}
		seen[pw] = true
	}
	if _, err := HashPassword(GeneratePassword()); err != nil {
		t.Errorf("a generated password is refused: %v", err)
	}
}

func TestSecrets(t *testing.T) {
	s1, h1 := NewSecret(TokenPrefix)
	s2, h2 := NewSecret(TokenPrefix)
	if s1 == s2 || h1 == h2 {
		t.Fatal("two secrets are equal")
	}
	if !strings.HasPrefix(s1, TokenPrefix) || len(s1) != len(TokenPrefix)+43 {
		t.Errorf("got secret %q, want the prefix and 43 base64url characters", s1)
	}
	if got := HashSecret(s1); got != h1 || len(got) != 64 {
		t.Errorf("HashSecret: got %q, want %q", got, h1)
	}
	if strings.Contains(h1, s1[len(TokenPrefix):]) {
		t.Error("the hash contains the secret")
	}
}

func TestUserContext(t *testing.T) {
	if _, ok := UserFrom(context.Background()); ok {
		t.Error("a bare context has a user")
	}
	u := outpost.User{Name: "olga", Role: outpost.RoleStaff, Mission: "RU"}
	got, ok := UserFrom(WithUser(context.Background(), u))
	if !ok || got != u {
		t.Errorf("got %+v, %v; want %+v", got, ok, u)
	}
}

func TestLimiter(t *testing.T) {
	now := time.Date(2021, 4, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(3, 10*time.Second, 2)
	l.Now = func() time.Time { return now }
	steps := []struct {
		key     string
		advance time.Duration
		want    bool
	}{
		{"a", 0, true}, {"a", 0, true}, {"a", 0, true}, {"a", 0, false},
		{"a", 5 * time.Second, false}, {"a", 5 * time.Second, true}, {"a", 0, false},
		{"b", 0, true},
		{"a", time.Minute, true}, {"a", 0, true}, {"a", 0, true}, {"a", 0, false},
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		if got, _ := l.Allow(s.key); got != s.want {
			t.Errorf("step %d (%s): got %v, want %v", i, s.key, got, s.want)
		}
	}
	_, wait := l.Allow("a")
	if wait <= 0 || wait > 11*time.Second {
		t.Errorf("wait: got %v, want about 10s", wait)
	}
	for i := range 100 {
		l.Allow(fmt.Sprint("k", i))
	}
	if l.Len() != 2 {
		t.Errorf("keys: got %d, want at most 2", l.Len())
	}
}
