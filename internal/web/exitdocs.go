package web

import (
	"net/http"
	"net/url"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/transport"
)

// ExitDocsPage is the data of a person's exit-documents form.
type ExitDocsPage struct {
	Person   outpost.Person
	Docs     outpost.ExitDocuments
	Sexes    []string
	Statuses []string
	// Done is the confirmation after a save, Error a refused form's reason.
	Done, Error string
}

// exitDocsPages are the exit-documents form of a person.
func (h *Web) exitDocsPages() []Page {
	return []Page{
		{Method: "GET", Path: "/people/{id}/documents", Handler: h.exitDocs},
		{Method: "POST", Path: "/people/{id}/documents", Handler: h.saveExitDocs},
	}
}

func (h *Web) exitDocs(w http.ResponseWriter, r *http.Request) error {
	p, d, err := h.Registry.ExitDocuments(r.Context(), transport.Caller(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	page := ExitDocsPage{Person: p, Docs: d, Sexes: outpost.Sexes, Statuses: outpost.PermitStatuses}
	if r.URL.Query().Get("done") == "saved" {
		page.Done = "Exit documents saved."
	}
	return h.Render(w, r, http.StatusOK, "exitdocs", page)
}

func (h *Web) saveExitDocs(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
	id := r.PathValue("id")
	p, _, err := h.Registry.ExitDocuments(r.Context(), u, id)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return outpost.Errorf(outpost.EINVALID, "the form could not be read")
	}
	f := r.PostForm
	d := outpost.ExitDocuments{Person: p.ID, Sex: f.Get("sex"), PassportExpiry: outpost.Date(f.Get("passport_expiry")),
		PermitStatus: f.Get("permit_status"), PermitNumber: f.Get("permit_number"), PermitFrom: outpost.Date(f.Get("permit_from")),
		PermitTo: outpost.Date(f.Get("permit_to")), PermitAuthority: f.Get("permit_authority"),
		QuarantineUntil: outpost.Date(f.Get("quarantine_until")), Staying: f.Get("staying") == "true"}
	err = h.Registry.SetExitDocuments(r.Context(), u, d)
	if outpost.ErrorCode(err) == outpost.EINVALID {
		// The form again with what was typed and the reason.
		page := ExitDocsPage{Person: p, Docs: d, Sexes: outpost.Sexes, Statuses: outpost.PermitStatuses, Error: outpost.ErrorMessage(err)}
		return h.Render(w, r, http.StatusBadRequest, "exitdocs", page)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/people/"+url.PathEscape(p.ID)+"/documents?done=saved", http.StatusSeeOther)
	return nil
}
