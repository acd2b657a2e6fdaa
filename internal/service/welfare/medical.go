package welfare

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
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

// Cases lists the cases the caller may read (mission "" every mission
// they may; all includes closed ones) and counts every mission's open
// cases.
func (s *Service) Cases(ctx context.Context, u outpost.User, mission string, all bool) (CaseList, error) {
	if !u.CanSome(CountCases) {
		return CaseList{}, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not read medical cases", u.Role)
	}
	out := CaseList{Cases: []outpost.MedicalCase{}, Counts: []CaseCount{}}
	open, err := s.store.Cases(ctx, outpost.CaseFilter{})
	if err != nil {
		return out, fmt.Errorf("read cases: %w", err)
	}
	out.Counts = countCases(open)
	filter, ok := u.Restrict(ReadCases, mission)
	if !ok {
		return out, nil
	}
	list := open
	if all || filter != "" {
		if list, err = s.store.Cases(ctx, outpost.CaseFilter{Mission: filter, All: all}); err != nil {
			return out, fmt.Errorf("read cases: %w", err)
		}
	}
	for _, c := range list {
		if u.Can(ReadCases, c.Mission) {
			out.Cases = append(out.Cases, c)
		}
	}
	return out, nil
}

// countCases counts open cases by mission, in the order of the missions.
func countCases(open []outpost.MedicalCase) []CaseCount {
	counts := []CaseCount{}
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
		counts = append(counts, *n)
	}
	sort.Slice(counts, func(i, j int) bool { return counts[i].Mission < counts[j].Mission })
	return counts
}

// Case returns the medical case with this id if the caller may read it;
// another mission's case is ENOTFOUND, as one that does not exist.
func (s *Service) Case(ctx context.Context, u outpost.User, id int64) (outpost.MedicalCase, error) {
	notFound := NoMedicalCase(idText(id))
	if id <= 0 || !u.CanSome(ReadCases) {
		return outpost.MedicalCase{}, notFound
	}
	c, err := s.store.Case(ctx, id)
	if outpost.ErrorCode(err) == outpost.ENOTFOUND || (err == nil && !u.Can(ReadCases, c.Mission)) {
		return outpost.MedicalCase{}, notFound
	}
	if err != nil {
		return c, fmt.Errorf("read case %d: %w", id, err)
	}
	return c, nil
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

// person returns the record of a person whose record the caller may
// read; anyone else is the registry's one not-found answer. A case follows
// the registry's rule: it is opened for a person the caller may read.
func (s *Service) person(ctx context.Context, u outpost.User, id string) (outpost.Person, error) {
	return registry.Readable(ctx, s.store, u, id)
}

// PersonName is the name of the person of a case, "" when the caller may
// not read their record.
func (s *Service) PersonName(ctx context.Context, u outpost.User, id string) string {
	p, err := s.person(ctx, u, id)
	if err != nil {
		return ""
	}
	return p.GivenName + " " + p.FamilyName
}

// OpenCase opens a case for a person whom the caller may look after.
func (s *Service) OpenCase(ctx context.Context, u outpost.User, req CaseRequest) (outpost.MedicalCase, error) {
	p, err := s.person(ctx, u, strings.TrimSpace(req.Person))
	if err != nil {
		return outpost.MedicalCase{}, err
	}
	if !u.Can(ManageCases, p.Mission) {
		return outpost.MedicalCase{}, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not open medical cases", u.Role)
	}
	need := strings.TrimSpace(req.Need)
	if err := checkPrecedence(req.Precedence); err != nil {
		return outpost.MedicalCase{}, err
	}
	if err := checkNeed(need); err != nil {
		return outpost.MedicalCase{}, err
	}
	v, err := s.store.OpenCase(outpost.WithActor(ctx, u.Name), outpost.MedicalCase{Person: p.ID, Precedence: outpost.Precedence(req.Precedence), Need: need})
	if err != nil {
		return v, fmt.Errorf("open case: %w", err)
	}
	return v, nil
}

// UpdateCase changes a case the caller may manage.
func (s *Service) UpdateCase(ctx context.Context, u outpost.User, id int64, req CaseUpdateRequest) (outpost.MedicalCase, error) {
	c, err := s.Case(ctx, u, id)
	if err != nil {
		return c, err
	}
	if !u.Can(ManageCases, c.Mission) {
		return c, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not change medical cases", u.Role)
	}
	var up outpost.CaseUpdate
	if req.Precedence != nil {
		if err := checkPrecedence(*req.Precedence); err != nil {
			return c, err
		}
		p := outpost.Precedence(*req.Precedence)
		up.Precedence = &p
	}
	if req.Need != nil {
		need := strings.TrimSpace(*req.Need)
		if err := checkNeed(need); err != nil {
			return c, err
		}
		up.Need = &need
	}
	if up.Precedence == nil && up.Need == nil {
		return c, outpost.Errorf(outpost.EINVALID, "nothing to change: give precedence or need")
	}
	v, err := s.store.UpdateCase(outpost.WithActor(ctx, u.Name), c.ID, up)
	if err != nil {
		return v, fmt.Errorf("update case %d: %w", c.ID, err)
	}
	return v, nil
}

// CloseCase closes a case the caller may manage.
func (s *Service) CloseCase(ctx context.Context, u outpost.User, id int64) (outpost.MedicalCase, error) {
	c, err := s.Case(ctx, u, id)
	if err != nil {
		return c, err
	}
	if !u.Can(ManageCases, c.Mission) {
		return c, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not close medical cases", u.Role)
	}
	v, err := s.store.CloseCase(outpost.WithActor(ctx, u.Name), c.ID)
	if err != nil {
		return v, fmt.Errorf("close case %d: %w", c.ID, err)
	}
	return v, nil
}
