package transport

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/outpost-org/outpost/internal/export"
)

// WriteAttachment answers with body as a file to download named name, of
// media type typ; it is never cached, since such files hold personal
// details. A CSV file starts with a UTF-8 byte order mark when the
// request asks for one (see WantBOM); other types ignore the parameter.
func WriteAttachment(w http.ResponseWriter, r *http.Request, name, typ string, body *bytes.Buffer) error {
	bom, err := WantBOM(r)
	if err != nil {
		return err
	}
	bom = bom && isCSV(typ)
	size := body.Len()
	if bom {
		size += len(export.BOM)
	}
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Content-Disposition", "attachment; filename="+strconv.Quote(name))
	w.Header().Set("Content-Length", strconv.Itoa(size))
	w.Header().Set("Cache-Control", "no-store")
	if err := export.StartCSV(w, bom); err != nil {
		return err
	}
	_, err = body.WriteTo(w)
	return err
}
