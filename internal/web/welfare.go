package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/welfare"
	"github.com/outpost-org/outpost/internal/transport"
)

// RollCallsPage is the data of the roll-call list and its start form.
type RollCallsPage struct {
	RollCalls []RollCallRow
	CanStart  bool
	// OwnMission is the manager's mission; Missions are the admin's
	// choices of scope.
	OwnMission  string
	Missions    []outpost.Mission
	Escalations []Choice
	Form        RollCallForm
}

// RollCallRow is a roll call in the list, with its answers counted.
type RollCallRow struct {
	welfare.RollCallView
	Answered int
}

// Choice is an option of a select.
type Choice struct {
	Value, Label string
}

// RollCallForm is the start form's values and its error.
type RollCallForm struct {
	Title, Mission, EscalateAfter string
	Error                         string
}

// RollCallPage is the data of a roll call's page.
type RollCallPage struct {
	View welfare.RollCallView
	// Own is the caller's mission's line, when the roll call includes it.
	Own *outpost.RollCallByMission
	// Answered counts safe and need-help answers; Percent of Expected.
	Answered, Percent int
	// The people of View.Shown by answer, at most listLimit each.
	NeedHelp, NoResponse, Safe []outpost.ScopeEntry
	// More counts the people left out of the lists above.
	More                          int
	CanClose, CanRecord, CanLinks bool
	// CanReopen: the roll call is closed and the caller may close it.
	CanReopen bool
	// EscalatesAt is when non-responders go to their managers (zero:
	// never); Escalated when they went, Closed when the roll call closed
	// (zero: not yet).
	EscalatesAt, Escalated, Closed time.Time
	Done                           string
	Form                           AnswerForm
}

// AnswerForm is the record-an-answer form's values and its error.
type AnswerForm struct {
	Person, Status, Note string
	Error                string
}

// listLimit is the most people a roll call's page lists per answer.
const listLimit = 500

// escalations are the start form's choices of escalation time.
var escalations = []Choice{{"", "Never"}, {"30m", "After 30 minutes"}, {"1h", "After 1 hour"},
	{"2h", "After 2 hours"}, {"6h", "After 6 hours"}, {"24h", "After 24 hours"}}

// welfarePages are the roll-call pages; the public one-tap check-in page
// is in CheckinPages, the medical cases in MedicalPages.
func (h *Web) welfarePages() []Page {
	return []Page{
		{Method: "GET", Path: "/rollcalls", Handler: h.rollCalls, Nav: &NavItem{Label: "Roll calls", Order: 92,
			Show: func(u outpost.User) bool { return u.CanSome(welfare.ReadRollCalls) }}},
		{Method: "POST", Path: "/rollcalls", Handler: h.startRollCall},
		{Method: "GET", Path: "/rollcalls/{rollcall}", Handler: h.rollCall},
		{Method: "GET", Path: "/rollcalls/{rollcall}/close", Handler: h.confirmCloseRollCall},
		{Method: "POST", Path: "/rollcalls/{rollcall}/close", Handler: h.closeRollCall},
		{Method: "POST", Path: "/rollcalls/{rollcall}/reopen", Handler: h.reopenRollCall},
		{Method: "POST", Path: "/rollcalls/{rollcall}/answers", Handler: h.recordAnswer},
		{Method: "GET", Path: "/rollcalls/{rollcall}/links.csv", Handler: h.rollCallLinks},
	}
}

func (h *Web) rollCallsPage(r *http.Request) (RollCallsPage, error) {
	list, err := h.Welfare.RollCalls(r.Context(), transport.Caller(r), 50)
	if err != nil {
		return RollCallsPage{}, err
	}
	u := transport.Caller(r)
	p := RollCallsPage{CanStart: u.CanSome(welfare.RunRollCalls), Escalations: escalations}
	for _, v := range list {
		p.RollCalls = append(p.RollCalls, RollCallRow{RollCallView: v, Answered: v.Safe + v.NeedHelp})
	}
	if u.Role.MissionBound() {
		p.OwnMission = u.Mission
	} else if p.CanStart {
		if p.Missions, err = h.Store.Missions(r.Context()); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (h *Web) rollCalls(w http.ResponseWriter, r *http.Request) error {
	p, err := h.rollCallsPage(r)
	if err != nil {
		return err
	}
	return h.Render(w, r, http.StatusOK, "welfare_rollcalls", p)
}

func (h *Web) startRollCall(w http.ResponseWriter, r *http.Request) error {
	if err := form(w, r); err != nil {
		return err
	}
	f := RollCallForm{Title: r.PostForm.Get("title"), Mission: r.PostForm.Get("mission"), EscalateAfter: r.PostForm.Get("escalate_after")}
	rc, err := h.Welfare.StartRollCall(r.Context(), transport.Caller(r), welfare.RollCallRequest{Title: f.Title, Mission: f.Mission, EscalateAfter: f.EscalateAfter})
	if outpost.ErrorCode(err) == outpost.EINVALID {
		p, perr := h.rollCallsPage(r)
		if perr != nil {
			return perr
		}
		f.Error = outpost.ErrorMessage(err)
		p.Form = f
		return h.Render(w, r, http.StatusBadRequest, "welfare_rollcalls", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/rollcalls/%d?done=started", rc.ID), http.StatusSeeOther)
	return nil
}

func (h *Web) rollCallPage(r *http.Request) (RollCallPage, error) {
	rc, err := h.visibleRollCall(r)
	if err != nil {
		return RollCallPage{}, err
	}
	v, err := h.Welfare.RollCallStatus(r.Context(), transport.Caller(r), rc)
	if err != nil {
		return RollCallPage{}, err
	}
	u := transport.Caller(r)
	open := rc.Status == outpost.RollCallOpen
	p := RollCallPage{View: v, Answered: v.Safe + v.NeedHelp,
		CanClose:  open && u.Can(welfare.RunRollCalls, rc.Mission),
		CanReopen: !open && u.Can(welfare.RunRollCalls, rc.Mission),
		CanRecord: open && u.CanSome(welfare.RecordAnswers) && v.Shown != "",
		CanLinks:  open && u.CanSome(welfare.ExportLinks) && v.Shown != ""}
	if v.Expected > 0 {
		p.Percent = 100 * p.Answered / v.Expected
	}
	if rc.EscalateAfter > 0 {
		p.EscalatesAt = rc.StartedAt.Add(rc.EscalateAfter)
	}
	if rc.EscalatedAt != nil {
		p.Escalated = *rc.EscalatedAt
	}
	if rc.ClosedAt != nil {
		p.Closed = *rc.ClosedAt
	}
	for i := range v.ByMission {
		if u.Role.MissionBound() && v.ByMission[i].Mission == u.Mission {
			p.Own = &v.ByMission[i]
		}
	}
	for _, e := range v.People {
		list := &p.NoResponse
		switch e.Status {
		case outpost.Safe:
			list = &p.Safe
		case outpost.NeedHelp:
			list = &p.NeedHelp
		}
		if len(*list) < listLimit {
			*list = append(*list, e)
		} else {
			p.More++
		}
	}
	return p, nil
}

// rollCallDone is the confirmation a roll call's page shows after a step.
func rollCallDone(step string) string {
	switch step {
	case "started":
		return "Roll call started. Export the check-in links and send them through your mission's own channels."
	case "closed":
		return "Roll call closed: it takes no more answers, and its links no longer work."
	case "recorded":
		return "Answer recorded."
	case "reopened":
		return "Roll call reopened: it takes answers again, and its links work again."
	}
	return ""
}

func (h *Web) rollCall(w http.ResponseWriter, r *http.Request) error {
	p, err := h.rollCallPage(r)
	if err != nil {
		return err
	}
	p.Done = rollCallDone(r.URL.Query().Get("done"))
	return h.Render(w, r, http.StatusOK, "welfare_rollcall", p)
}

func (h *Web) closeRollCall(w http.ResponseWriter, r *http.Request) error {
	id, err := welfare.RollCallID(r.PathValue("rollcall"))
	if err != nil {
		return err
	}
	if err := form(w, r); err != nil {
		return err
	}
	if r.PostForm.Get("confirm") != "yes" { // closed only from the page that says who has not answered
		http.Redirect(w, r, fmt.Sprintf("/rollcalls/%d/close", id), http.StatusSeeOther)
		return nil
	}
	rc, err := h.Welfare.CloseRollCall(r.Context(), transport.Caller(r), id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/rollcalls/%d?done=closed", rc.ID), http.StatusSeeOther)
	return nil
}

func (h *Web) recordAnswer(w http.ResponseWriter, r *http.Request) error {
	if err := form(w, r); err != nil {
		return err
	}
	f := AnswerForm{Person: r.PostForm.Get("person"), Status: r.PostForm.Get("status"), Note: r.PostForm.Get("note")}
	c, err := h.recordAnswerOf(r, f)
	if code := outpost.ErrorCode(err); code == outpost.EINVALID || (code == outpost.ENOTFOUND && f.Person != "") {
		p, perr := h.rollCallPage(r)
		if perr != nil {
			return perr
		}
		f.Error = outpost.ErrorMessage(err)
		p.Form = f
		return h.Render(w, r, http.StatusBadRequest, "welfare_rollcall", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/rollcalls/%d?done=recorded#answers", c.RollCall), http.StatusSeeOther)
	return nil
}

// recordAnswerOf records the answer of the form f.
func (h *Web) recordAnswerOf(r *http.Request, f AnswerForm) (outpost.Checkin, error) {
	id, err := welfare.RollCallID(r.PathValue("rollcall"))
	if err != nil {
		return outpost.Checkin{}, err
	}
	return h.Welfare.RecordAnswer(r.Context(), transport.Caller(r), id, welfare.CheckinRequest{Person: f.Person, Status: f.Status, Note: f.Note}, "web")
}

// visibleRollCall returns the roll call of the path if the caller may see
// it: anything else is the one not-found answer.
func (h *Web) visibleRollCall(r *http.Request) (outpost.RollCall, error) {
	id, err := welfare.RollCallID(r.PathValue("rollcall"))
	if err != nil {
		return outpost.RollCall{}, err
	}
	return h.Welfare.RollCall(r.Context(), transport.Caller(r), id)
}

func (h *Web) rollCallLinks(w http.ResponseWriter, r *http.Request) error {
	rc, err := h.visibleRollCall(r)
	if err != nil {
		return err
	}
	csv, err := h.Welfare.LinksCSV(r.Context(), transport.Caller(r), rc, r.URL.Query().Get("base_url"), transport.RequestBase(r))
	if err != nil {
		return err
	}
	return transport.WriteCSV(w, r, "checkin-links-"+strconv.FormatInt(rc.ID, 10)+".csv", csv)
}
