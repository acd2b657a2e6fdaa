// Package loadkit holds what the load generators under bench/ share: they
// may load only this machine.
package loadkit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
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

// Client sends JSON requests with an API token to one server.
type Client struct {
	Base  string // the server's address, without the trailing slash
	Token string
	HTTP  *http.Client
	// ErrBody is the most characters of a refused request's answer that
	// its error quotes (0: all of it).
	ErrBody int
}

// Call sends body (if not nil) as JSON and decodes a 2xx answer into out
// (if not nil); any other answer is an error quoting it. It returns the
// answer's status code (0 if there was none).
func (c *Client) Call(method, path string, body any, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.Base+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, err
	}
	if res.StatusCode/100 != 2 {
		msg := strings.TrimSpace(string(b))
		if c.ErrBody > 0 {
			msg = fmt.Sprintf("%.*s", c.ErrBody, msg)
		}
		return res.StatusCode, fmt.Errorf("%s %s: %s: %s", method, path, res.Status, msg)
	}
	if out != nil {
		return res.StatusCode, json.Unmarshal(b, out)
	}
	return res.StatusCode, nil
}
