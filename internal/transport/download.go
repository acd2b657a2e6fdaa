package transport

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/export"
	"github.com/outpost-org/outpost/internal/outpost"
)

// RequestBase is the scheme and host that links sent out should use: the
// server's public URL, or the request's own address (see auth.BaseURL).
func RequestBase(r *http.Request) string { return auth.BaseURL(r) }

// WriteCSV sends body as a CSV download named filename, kept by no cache
// (a download may hold secrets, such as check-in links); it starts with a
// UTF-8 byte order mark when the request asks for one (see WantBOM).
func WriteCSV(w http.ResponseWriter, r *http.Request, filename string, body []byte) error {
	bom, err := WantBOM(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.Header().Set("Cache-Control", "no-store")
	if err := export.StartCSV(w, bom); err != nil {
		return err
	}
	_, err = w.Write(body)
	return err
}

// WantBOM reads the query parameter bom of a CSV download: 1 (or true)
// starts the file with a UTF-8 byte order mark, for Excel on Windows;
// absent, 0 or false not. Anything else is refused, naming the parameter.
func WantBOM(r *http.Request) (bool, error) {
	switch v := r.URL.Query().Get("bom"); v {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	default:
		return false, outpost.Errorf(outpost.EINVALID, "bom %q: want 1 (start the CSV with a UTF-8 byte order mark, for Excel) or 0", outpost.Clip(v))
	}
}

// isCSV reports whether a media type is CSV's.
func isCSV(ctype string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(ctype)), "text/csv")
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
