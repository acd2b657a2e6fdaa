// Package loadkit holds what the load generators under bench/ share: they
// may load only this machine.
package loadkit

import (
	"fmt"
	"net"
	"net/url"
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
