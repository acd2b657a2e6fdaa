package transport

import "net/http"

// RequestBase is the scheme and host a request came to, for links to
// send out: https when it came over TLS or through a proxy that says so.
func RequestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// WriteCSV sends body as a CSV download named filename, kept by no cache
// (a download may hold secrets, such as check-in links).
func WriteCSV(w http.ResponseWriter, filename string, body []byte) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(body)
	return err
}
