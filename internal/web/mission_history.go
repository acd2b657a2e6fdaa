package web

import (
	"net/http"
	"net/url"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/transport"
)

// StatusForm is the form that records a change of a mission's status, as
// it was filled in, with the reason it was refused.
type StatusForm struct {
	Status, Since, Note string
	Error               string
}

// missionHistoryPages are the mission page's status form.
func (h *Web) missionHistoryPages() []Page {
	return []Page{{Method: "POST", Path: "/missions/{code}/status", Handler: h.setMissionStatus}}
}

// setMissionStatus records a status change of the mission; a refused one
// shows the mission page again with the form as it was filled in.
func (h *Web) setMissionStatus(w http.ResponseWriter, r *http.Request) error {
	if err := form(w, r); err != nil {
		return err
	}
	code := r.PathValue("code")
	req := registry.StatusChangeRequest{Status: r.PostForm.Get("status"), Since: r.PostForm.Get("since"), Note: r.PostForm.Get("note")}
	_, err := h.Registry.SetMissionStatus(r.Context(), transport.Caller(r), code, req)
	if outpost.ErrorCode(err) == outpost.EINVALID {
		p, perr := h.missionPage(r)
		if perr != nil {
			return perr
		}
		p.Form = StatusForm{Status: req.Status, Since: req.Since, Note: req.Note, Error: outpost.ErrorMessage(err)}
		return h.Render(w, r, http.StatusBadRequest, "mission", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/missions/"+url.PathEscape(code)+"?done=status#history", http.StatusSeeOther)
	return nil
}
