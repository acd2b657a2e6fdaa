// Package loadkit holds what the load generators under bench/ share: they
// may load only this machine.
package loadkit

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Loopback reports whether host is this machine: localhost or a loopback
// address.
func Loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckURL refuses a server address that is not on this machine: load
// tests run only against 127.0.0.1.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || !Loopback(u.Hostname()) {
		return fmt.Errorf("-url %q: only loopback addresses (127.0.0.0/8, ::1, localhost) may be loaded", raw)
	}
	return nil
}

// Token reads an API token from file, without the surrounding blanks.
func Token(file string) (string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("read the token: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// HTTP is a client for conns concurrent requests to one server, each
// given up after timeout.
func HTTP(conns int, timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, Transport: &http.Transport{MaxIdleConnsPerHost: conns + 8, MaxConnsPerHost: conns + 8}}
}
