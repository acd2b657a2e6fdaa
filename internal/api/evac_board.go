package api

import (
	"net/http"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/transport"
)

func (a *API) board(w http.ResponseWriter, r *http.Request) error {
	id, err := evacuation.PlanID(r.PathValue("plan"))
	if err != nil {
		return err
	}
	b, err := a.Evacuation.Board(r.Context(), transport.Caller(r), id, r.PathValue("departure"))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, b)
	return nil
}

func (a *API) manifest(w http.ResponseWriter, r *http.Request) error {
	format, err := manifestFormat(r)
	if err != nil {
		return err
	}
	u := transport.Caller(r)
	id, err := evacuation.ManifestPlanID(u, r.PathValue("plan"))
	if err != nil {
		return err
	}
	f, err := a.Evacuation.ManifestFile(r.Context(), u, id, r.PathValue("departure"), format)
	if err != nil {
		return err
	}
	return transport.WriteAttachment(w, r, f.Name, f.ContentType, &f.Body)
}

// manifestFormatParam documents the ?format of a manifest download.
var manifestFormatParam = Param{Name: "format", In: "query", Enum: []string{"csv", "pdf"}, Description: "csv (default) or pdf"}

// manifestFormat is the ?format of a manifest download: csv (also "") or
// pdf.
func manifestFormat(r *http.Request) (string, error) {
	format := r.URL.Query().Get("format")
	if format != "" && format != "csv" && format != "pdf" {
		return "", outpost.Errorf(outpost.EINVALID, "format %q: want csv or pdf", format)
	}
	return format, nil
}
