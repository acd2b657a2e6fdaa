package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/outpost-org/outpost/internal/outpost"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
)

// CheckinPage is the data of the public one-tap check-in page: what the
// link's holder may see is the roll call's title and their own first
// name, nothing else.
type CheckinPage struct {
	Title     string
	GivenName string
	// Action is the link's own path, where the answer is posted.
	Action string
	// Problem is "invalid" for a forged or broken link and "closed" for a
	// roll call that takes no more answers; nothing is written then.
	Problem string
	// Done is true once the answer is recorded: Answer, at At (in the
	// post's zone).
	Done   bool
	Answer string
	At     string
	Note   string
	Error  string
}

// checkinPages are the public one-tap check-in pages, at the path of
// each person's link: no sign-in, valid only while the roll call is open.
func (h *Web) checkinPages() []Page {
	return []Page{
		{Method: "GET", Path: "/checkin/{rollcall}/{person}/{token}", Public: true, Handler: h.checkin},
		{Method: "POST", Path: "/checkin/{rollcall}/{person}/{token}", Public: true, Handler: h.checkinAnswer},
	}
}

// checkinLink checks the link of the request (see welfare.Service.Link).
// It returns the page with Problem set when the link is not valid.
func (h *Web) checkinLink(r *http.Request) (CheckinPage, int64) {
	p := CheckinPage{Action: r.URL.Path, Problem: "invalid"}
	id, err := strconv.ParseInt(r.PathValue("rollcall"), 10, 64)
	if err != nil || id <= 0 {
		return p, 0
	}
	holder, ok := h.Welfare.Link(r.Context(), id, r.PathValue("person"), r.PathValue("token"))
	if !ok {
		return p, 0
	}
	p.Problem, p.Title, p.GivenName = "", holder.Title, holder.GivenName
	return p, id
}

// renderCheckin writes the page with the status its state calls for.
func (h *Web) renderCheckin(w http.ResponseWriter, r *http.Request, p CheckinPage) error {
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	status := http.StatusOK
	switch {
	case p.Problem == "invalid":
		status = http.StatusNotFound
	case p.Problem == "closed":
		status = http.StatusGone
	case p.Error != "":
		status = http.StatusBadRequest
	}
	return h.Render(w, r, status, "welfare_checkin", p)
}

func (h *Web) checkin(w http.ResponseWriter, r *http.Request) error {
	p, id := h.checkinLink(r)
	if p.Problem == "" {
		open, err := h.Welfare.LinkOpen(r.Context(), id)
		if err != nil {
			return err
		}
		if !open {
			p.Problem = "closed"
		}
	}
	return h.renderCheckin(w, r, p)
}

func (h *Web) checkinAnswer(w http.ResponseWriter, r *http.Request) error {
	p, id := h.checkinLink(r)
	if p.Problem != "" {
		return h.renderCheckin(w, r, p)
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		p.Error = "The answer could not be read. Please try again."
		return h.renderCheckin(w, r, p)
	}
	status, note := r.PostForm.Get("status"), strings.TrimSpace(r.PostForm.Get("note"))
	p.Note = note
	if status != outpost.Safe && status != outpost.NeedHelp {
		p.Error = "Please tap “I am safe” or “I need help”."
		return h.renderCheckin(w, r, p)
	}
	if len(note) > 2000 {
		p.Error = "The note is too long: please keep it under 2,000 characters."
		return h.renderCheckin(w, r, p)
	}
	c, err := h.Welfare.AnswerByLink(r.Context(), id, r.PathValue("person"), r.PathValue("token"), status, note)
	switch outpost.ErrorCode(err) {
	case "":
	case outpost.ECONFLICT:
		p.Problem = "closed"
		return h.renderCheckin(w, r, p)
	case outpost.ENOTFOUND:
		p.Problem = "invalid"
		return h.renderCheckin(w, r, p)
	case outpost.EINVALID:
		p.Error = outpost.ErrorMessage(err)
		return h.renderCheckin(w, r, p)
	default:
		return err
	}
	loc, err := censusservice.Location(r.Context(), h.Store)
	if err != nil {
		return err
	}
	at := c.At
	if at.IsZero() {
		at = h.Now()
	}
	p.Done, p.Answer, p.At = true, status, at.In(loc).Format("15:04 on 2 January 2006")
	return h.renderCheckin(w, r, p)
}
