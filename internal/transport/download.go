package transport

import (
	"fmt"
	"net/http"
	"strings"
)

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
