package web

import (
	"fmt"
	"net/http"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/welfare"
	"github.com/outpost-org/outpost/internal/transport"
)

// MedicalPage is the data of the medical cases page.
type MedicalPage struct {
	List welfare.CaseList
	// Cases are the cases the caller may read, with the person's name.
	Cases []CaseLine
	// Totals counts the open cases of the missions the page is about.
	Totals welfare.CaseCount
	// All includes closed cases; OwnMission is a mission user's mission.
	All         bool
	OwnMission  string
	CanRead     bool
	CanOpen     bool
	Precedences []string
	Form        CaseForm
}

// CaseLine is a case with the name of its person.
type CaseLine struct {
	outpost.MedicalCase
	Name string
}

// CaseForm is the open or update form's values and its error.
type CaseForm struct {
	Person, Precedence, Need string
	Error                    string
}

// CasePage is the data of one medical case's page.
type CasePage struct {
	Case        CaseLine
	CanManage   bool
	Precedences []string
	Done        string
	Form        CaseForm
}

// medicalPages are the medical cases: the list with the open form, and
// each case with its update and close forms.
func (h *Web) medicalPages() []Page {
	return []Page{
		{Method: "GET", Path: "/medical", Handler: h.medical, Nav: &NavItem{Label: "Medical", Order: 93,
			Show: func(u outpost.User) bool { return u.CanSome(welfare.CountCases) }}},
		{Method: "POST", Path: "/medical", Handler: h.openCase},
		{Method: "GET", Path: "/medical/{case}", Handler: h.medicalCase},
		{Method: "POST", Path: "/medical/{case}", Handler: h.updateCase},
		{Method: "POST", Path: "/medical/{case}/close", Handler: h.closeCase},
	}
}

// caseLine names the person of a case the caller may read.
func (h *Web) caseLine(r *http.Request, c outpost.MedicalCase) CaseLine {
	l := CaseLine{MedicalCase: c, Name: c.Person}
	if name := h.Welfare.PersonName(r.Context(), transport.Caller(r), c.Person); name != "" {
		l.Name = name
	}
	return l
}

func (h *Web) medicalPage(r *http.Request) (MedicalPage, error) {
	all := r.URL.Query().Get("all") != ""
	list, err := h.Welfare.Cases(r.Context(), transport.Caller(r), "", all)
	if err != nil {
		return MedicalPage{}, err
	}
	u := transport.Caller(r)
	p := MedicalPage{List: list, All: all, CanRead: u.CanSome(welfare.ReadCases), CanOpen: u.CanSome(welfare.ManageCases),
		Precedences: outpost.Precedences, Form: CaseForm{Precedence: string(outpost.Priority)}}
	if u.Role.MissionBound() {
		p.OwnMission = u.Mission
	}
	for _, c := range list.Counts {
		if p.OwnMission != "" && c.Mission != p.OwnMission {
			continue
		}
		p.Totals.Urgent += c.Urgent
		p.Totals.Priority += c.Priority
		p.Totals.Routine += c.Routine
	}
	for _, c := range list.Cases {
		p.Cases = append(p.Cases, h.caseLine(r, c))
	}
	return p, nil
}

func (h *Web) medical(w http.ResponseWriter, r *http.Request) error {
	p, err := h.medicalPage(r)
	if err != nil {
		return err
	}
	return h.Render(w, r, http.StatusOK, "welfare_medical", p)
}

func (h *Web) openCase(w http.ResponseWriter, r *http.Request) error {
	if err := form(w, r); err != nil {
		return err
	}
	f := CaseForm{Person: r.PostForm.Get("person"), Precedence: r.PostForm.Get("precedence"), Need: r.PostForm.Get("need")}
	c, err := h.Welfare.OpenCase(r.Context(), transport.Caller(r), welfare.CaseRequest{Person: f.Person, Precedence: f.Precedence, Need: f.Need})
	if code := outpost.ErrorCode(err); code == outpost.EINVALID || (code == outpost.ENOTFOUND && f.Person != "") {
		p, perr := h.medicalPage(r)
		if perr != nil {
			return perr
		}
		f.Error = outpost.ErrorMessage(err)
		p.Form = f
		return h.Render(w, r, http.StatusBadRequest, "welfare_medical", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/medical/%d?done=opened", c.ID), http.StatusSeeOther)
	return nil
}

func (h *Web) casePage(r *http.Request) (CasePage, error) {
	id, err := welfare.CaseID(r.PathValue("case"))
	if err != nil {
		return CasePage{}, err
	}
	c, err := h.Welfare.Case(r.Context(), transport.Caller(r), id)
	if err != nil {
		return CasePage{}, err
	}
	return CasePage{Case: h.caseLine(r, c), CanManage: c.Status == "open" && transport.Caller(r).Can(welfare.ManageCases, c.Mission),
		Precedences: outpost.Precedences, Form: CaseForm{Precedence: string(c.Precedence), Need: c.Need}}, nil
}

func (h *Web) medicalCase(w http.ResponseWriter, r *http.Request) error {
	p, err := h.casePage(r)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("done") {
	case "opened":
		p.Done = "Case opened. Its precedence now counts for the evacuation planner."
	case "updated":
		p.Done = "Case updated."
	case "closed":
		p.Done = "Case closed: it no longer raises the person's medical level."
	}
	return h.Render(w, r, http.StatusOK, "welfare_case", p)
}

func (h *Web) updateCase(w http.ResponseWriter, r *http.Request) error {
	if err := form(w, r); err != nil {
		return err
	}
	prec, need := r.PostForm.Get("precedence"), r.PostForm.Get("need")
	id, err := welfare.CaseID(r.PathValue("case"))
	if err == nil {
		_, err = h.Welfare.UpdateCase(r.Context(), transport.Caller(r), id, welfare.CaseUpdateRequest{Precedence: &prec, Need: &need})
	}
	if outpost.ErrorCode(err) == outpost.EINVALID {
		p, perr := h.casePage(r)
		if perr != nil {
			return perr
		}
		p.Form = CaseForm{Precedence: prec, Need: need, Error: outpost.ErrorMessage(err)}
		return h.Render(w, r, http.StatusBadRequest, "welfare_case", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/medical/"+r.PathValue("case")+"?done=updated", http.StatusSeeOther)
	return nil
}

func (h *Web) closeCase(w http.ResponseWriter, r *http.Request) error {
	id, err := welfare.CaseID(r.PathValue("case"))
	if err != nil {
		return err
	}
	c, err := h.Welfare.CloseCase(r.Context(), transport.Caller(r), id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/medical/%d?done=closed", c.ID), http.StatusSeeOther)
	return nil
}
