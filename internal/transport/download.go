package transport

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/outpost-org/outpost/internal/auth"
)

// RequestBase is the scheme and host that links sent out should use: the
// server's public URL, or the request's own address (see auth.BaseURL).
func RequestBase(r *http.Request) string { return auth.BaseURL(r) }

// WriteCSV sends body as a CSV download named filename, kept by no cache
// (a download may hold secrets, such as check-in links).
func WriteCSV(w http.ResponseWriter, filename string, body []byte) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(body)
	return err
}

// ReportCSP is the Content-Security-Policy of a report shown as HTML
// (the situation report): the report carries its stylesheet and its
// charts inline (the charts' SVG uses style attributes), and still no
// script of any kind.
const ReportCSP = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// WriteDownload writes data of media type ctype as a file to download
// named name; an HTML file gets ReportCSP.
func WriteDownload(w http.ResponseWriter, ctype, name string, data []byte) error {
	if strings.HasPrefix(ctype, "text/html") {
		w.Header().Set("Content-Security-Policy", ReportCSP)
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(data)
	return err
}
