package api

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/transport"
	"github.com/outpost-org/outpost/internal/welfare"
)

// CaseList is the answer of GET /api/v1/medical/cases: the cases the
// caller may read and the count of every mission's open cases.
type CaseList struct {
	Cases  []outpost.MedicalCase `json:"cases"`
	Counts []CaseCount           `json:"counts"`
}

// CaseCount counts one mission's open medical cases by precedence.
type CaseCount struct {
	Mission  string `json:"mission"`
	Urgent   int    `json:"urgent"`
	Priority int    `json:"priority"`
	Routine  int    `json:"routine"`
}

// CaseRequest opens a medical case: precedence urgent, priority or
// routine, and what the person needs.
type CaseRequest struct {
	Person     string `json:"person"`
	Precedence string `json:"precedence"`
	Need       string `json:"need"`
}

// CaseUpdateRequest changes an open case; absent fields stay as they are.
type CaseUpdateRequest struct {
	Precedence *string `json:"precedence,omitempty"`
	Need       *string `json:"need,omitempty"`
}

// maxNeed is the longest need a case records.
const maxNeed = 2000

// medicalRoutes are the routes of medical cases.
func (a *API) medicalRoutes() []Route {
	caseParam := Param{Name: "case", In: "path", Required: true, Type: "integer", Description: "the case's id"}
	tags := []string{"welfare"}
	return []Route{
		{Method: "GET", Path: "/api/v1/medical/cases", Handler: a.cases, Doc: Op{
			Summary: "Medical cases, most urgent and oldest first, and the open cases' counts", Tags: tags,
			Description: "A mission's manager and staff read their mission's cases, the admin every one; counts cover every mission (the coordinator gets counts only). An open case raises the person's medical level for the planner: urgent 3, priority 2, routine 1.",
			Params: []Param{
				{Name: "mission", In: "query", Description: "only this mission's cases"},
				{Name: "all", In: "query", Type: "boolean", Description: "include closed cases"},
			}, Response: CaseList{}, Errors: []int{403}}},
		{Method: "POST", Path: "/api/v1/medical/cases", Handler: a.openCase, Doc: Op{
			Summary: "Open a medical case for a person", Tags: tags,
			Description: "precedence is urgent, priority or routine. Managers and staff for their mission's people, the admin for anyone.",
			Body:        CaseRequest{}, Response: outpost.MedicalCase{}, Status: http.StatusCreated, Errors: []int{400, 403, 404}}},
		{Method: "GET", Path: "/api/v1/medical/cases/{case}", Handler: a.medicalCase, Doc: Op{
			Summary: "A medical case", Tags: tags,
			Params: []Param{caseParam}, Response: outpost.MedicalCase{}, Errors: []int{404}}},
		{Method: "PATCH", Path: "/api/v1/medical/cases/{case}", Handler: a.updateCase, Doc: Op{
			Summary: "Change an open case's precedence or need", Tags: tags,
			Params: []Param{caseParam}, Body: CaseUpdateRequest{}, Response: outpost.MedicalCase{}, Errors: []int{400, 403, 404, 409}}},
		{Method: "POST", Path: "/api/v1/medical/cases/{case}/close", Handler: a.closeCase, Doc: Op{
			Summary: "Close a case", Tags: tags,
			Params: []Param{caseParam}, Response: outpost.MedicalCase{}, Errors: []int{403, 404, 409}}},
	}
}

// Cases lists the cases the caller may read (mission "" every mission
// they may; all includes closed ones) and counts every mission's open
// cases.
func Cases(r *http.Request, s outpost.WelfareStore, mission string, all bool) (CaseList, error) {
	u := transport.Caller(r)
	if !u.CanSome(welfare.CountCases) {
		return CaseList{}, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not read medical cases", u.Role)
	}
	out := CaseList{Cases: []outpost.MedicalCase{}, Counts: []CaseCount{}}
	open, err := s.Cases(r.Context(), outpost.CaseFilter{})
	if err != nil {
		return out, err
	}
	by := map[string]*CaseCount{}
	for _, c := range open {
		n := by[c.Mission]
		if n == nil {
			n = &CaseCount{Mission: c.Mission}
			by[c.Mission] = n
		}
		switch c.Precedence {
		case outpost.Urgent:
			n.Urgent++
		case outpost.Priority:
			n.Priority++
		default:
			n.Routine++
		}
	}
	for _, n := range by {
		out.Counts = append(out.Counts, *n)
	}
	sort.Slice(out.Counts, func(i, j int) bool { return out.Counts[i].Mission < out.Counts[j].Mission })
	filter, ok := u.Restrict(welfare.ReadCases, mission)
	if !ok {
		return out, nil
	}
	list := open
	if all || filter != "" {
		if list, err = s.Cases(r.Context(), outpost.CaseFilter{Mission: filter, All: all}); err != nil {
			return out, err
		}
	}
	for _, c := range list {
		if u.Can(welfare.ReadCases, c.Mission) {
			out.Cases = append(out.Cases, c)
		}
	}
	return out, nil
}

func (a *API) cases(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	list, err := Cases(r, a.Store, q.Get("mission"), q.Get("all") == "true" || q.Get("all") == "1")
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, list)
	return nil
}

// VisibleCase returns the medical case with this id if the caller may
// read it; another mission's case is ENOTFOUND, as one that does not
// exist.
func VisibleCase(r *http.Request, s outpost.WelfareStore, idText string) (outpost.MedicalCase, error) {
	notFound := NoMedicalCase(idText)
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 || !transport.Caller(r).CanSome(welfare.ReadCases) {
		return outpost.MedicalCase{}, notFound
	}
	c, err := s.Case(r.Context(), id)
	if outpost.ErrorCode(err) == outpost.ENOTFOUND || (err == nil && !transport.Caller(r).Can(welfare.ReadCases, c.Mission)) {
		return outpost.MedicalCase{}, notFound
	}
	return c, err
}

func checkPrecedence(p string) error {
	if !slices.Contains(outpost.Precedences, p) {
		return outpost.Errorf(outpost.EINVALID, "precedence %q: want one of %s", p, strings.Join(outpost.Precedences, ", "))
	}
	return nil
}

func checkNeed(n string) error {
	switch {
	case n == "":
		return outpost.Errorf(outpost.EINVALID, "need: say what the person needs, e.g. \"insulin, 2 vials a week\"")
	case len(n) > maxNeed:
		return outpost.Errorf(outpost.EINVALID, "need: at most %d characters", maxNeed)
	}
	return nil
}

// OpenCase opens a case for a person whom the caller may look after.
func OpenCase(r *http.Request, s outpost.Store, req CaseRequest) (outpost.MedicalCase, error) {
	p, err := VisiblePerson(r, s, strings.TrimSpace(req.Person))
	if err != nil {
		return outpost.MedicalCase{}, err
	}
	if !transport.Caller(r).Can(welfare.ManageCases, p.Mission) {
		return outpost.MedicalCase{}, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not open medical cases", transport.Caller(r).Role)
	}
	need := strings.TrimSpace(req.Need)
	if err := checkPrecedence(req.Precedence); err != nil {
		return outpost.MedicalCase{}, err
	}
	if err := checkNeed(need); err != nil {
		return outpost.MedicalCase{}, err
	}
	return s.OpenCase(transport.Actor(r), outpost.MedicalCase{Person: p.ID, Precedence: outpost.Precedence(req.Precedence), Need: need})
}

func (a *API) openCase(w http.ResponseWriter, r *http.Request) error {
	var req CaseRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	c, err := OpenCase(r, a.Store, req)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, c)
	return nil
}

func (a *API) medicalCase(w http.ResponseWriter, r *http.Request) error {
	c, err := VisibleCase(r, a.Store, r.PathValue("case"))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, c)
	return nil
}

// UpdateCase changes a case the caller may manage.
func UpdateCase(r *http.Request, s outpost.WelfareStore, idText string, req CaseUpdateRequest) (outpost.MedicalCase, error) {
	c, err := VisibleCase(r, s, idText)
	if err != nil {
		return c, err
	}
	if !transport.Caller(r).Can(welfare.ManageCases, c.Mission) {
		return c, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not change medical cases", transport.Caller(r).Role)
	}
	var u outpost.CaseUpdate
	if req.Precedence != nil {
		if err := checkPrecedence(*req.Precedence); err != nil {
			return c, err
		}
		p := outpost.Precedence(*req.Precedence)
		u.Precedence = &p
	}
	if req.Need != nil {
		need := strings.TrimSpace(*req.Need)
		if err := checkNeed(need); err != nil {
			return c, err
		}
		u.Need = &need
	}
	if u.Precedence == nil && u.Need == nil {
		return c, outpost.Errorf(outpost.EINVALID, "nothing to change: give precedence or need")
	}
	return s.UpdateCase(transport.Actor(r), c.ID, u)
}

func (a *API) updateCase(w http.ResponseWriter, r *http.Request) error {
	if _, err := VisibleCase(r, a.Store, r.PathValue("case")); err != nil {
		return err
	}
	var req CaseUpdateRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	c, err := UpdateCase(r, a.Store, r.PathValue("case"), req)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, c)
	return nil
}

// CloseCase closes a case the caller may manage.
func CloseCase(r *http.Request, s outpost.WelfareStore, idText string) (outpost.MedicalCase, error) {
	c, err := VisibleCase(r, s, idText)
	if err != nil {
		return c, err
	}
	if !transport.Caller(r).Can(welfare.ManageCases, c.Mission) {
		return c, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not close medical cases", transport.Caller(r).Role)
	}
	return s.CloseCase(transport.Actor(r), c.ID)
}

func (a *API) closeCase(w http.ResponseWriter, r *http.Request) error {
	c, err := CloseCase(r, a.Store, r.PathValue("case"))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, c)
	return nil
}
