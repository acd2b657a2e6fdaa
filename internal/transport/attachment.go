package transport

import (
	"bytes"
	"net/http"
	"strconv"
)

// WriteAttachment answers with body as a file to download named name, of
// media type typ; it is never cached, since such files hold personal
// details.
func WriteAttachment(w http.ResponseWriter, name, typ string, body *bytes.Buffer) error {
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Content-Disposition", "attachment; filename="+strconv.Quote(name))
	w.Header().Set("Content-Length", strconv.Itoa(body.Len()))
	w.Header().Set("Cache-Control", "no-store")
	_, err := body.WriteTo(w)
	return err
}
