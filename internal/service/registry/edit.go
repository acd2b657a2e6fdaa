package registry

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/outpost-org/outpost/internal/importer"
	"github.com/outpost-org/outpost/internal/outpost"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
)

// The actions of registry work in the browser (forms and imports).
var (
	// EditPeople is adding a mission's people and editing their records
	// and households, by form or by import. Reading them needs
	// outpost.ReadPeople too, which the same roles have.
	EditPeople = outpost.Action{Name: "add and edit a mission's people", Scope: outpost.ScopeMission,
		Roles: []outpost.Role{outpost.RoleManager}}
	// EditMissions is adding and editing missions. The coordinator, who
	// keeps the list of the corps, may; a mission's users may not change
	// any mission, their own included (its minimum staff binds the plan).
	EditMissions = outpost.Action{Name: "add and edit missions", Scope: outpost.ScopeCorps,
		Roles: []outpost.Role{outpost.RoleCoordinator}}
)

// PersonValues returns a person's record as the columns of a people file,
// the values a form shows (status and since are left out: a status
// changes by tracking, not by editing the record).
func PersonValues(p outpost.Person) map[string]string {
	return map[string]string{
		"id": p.ID, "household": p.Household, "given_name": p.GivenName, "family_name": p.FamilyName,
		"nationality": p.Nationality, "mission": p.Mission, "category": string(p.Category),
		"birth_date": string(p.BirthDate), "essential": strconv.FormatBool(p.Essential),
		"medical": strconv.Itoa(p.Medical), "ready": string(p.Ready), "passport": p.Passport,
	}
}

// MissionValues returns a mission as the columns of a missions file.
func MissionValues(m outpost.Mission) map[string]string {
	return map[string]string{"code": m.Code, "name": m.Name, "country": m.Country, "kind": string(m.Kind),
		"status": string(m.Status), "min_staff": strconv.Itoa(m.MinStaff)}
}

// peopleKind is the people kind of an import at this moment: the
// missions that exist and the post's time zone.
func (s *Service) peopleKind(ctx context.Context) (importer.Kind[outpost.PersonRecord], error) {
	loc, err := censusservice.Location(ctx, s.store)
	if err != nil {
		return importer.Kind[outpost.PersonRecord]{}, fmt.Errorf("read location: %w", err)
	}
	ms, err := s.store.Missions(ctx)
	if err != nil {
		return importer.Kind[outpost.PersonRecord]{}, fmt.Errorf("read missions: %w", err)
	}
	known := make(map[string]bool, len(ms))
	for _, m := range ms {
		known[m.Code] = true
	}
	return importer.People(func(c string) bool { return known[c] }, loc, s.Now()), nil
}

// MayEditPeople refuses a caller who may edit nobody's record.
func MayEditPeople(caller outpost.User) error {
	if !caller.CanSome(EditPeople) {
		return outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not add or edit people", caller.Role)
	}
	return nil
}

// Editable returns the person with this id if the caller may edit their
// record: another mission's person is not found, as when reading.
func (s *Service) Editable(ctx context.Context, caller outpost.User, id string) (outpost.Person, error) {
	if err := MayEditPeople(caller); err != nil {
		return outpost.Person{}, err
	}
	p, err := Readable(ctx, s.store, caller, id)
	if err != nil {
		return p, err
	}
	if !caller.Can(EditPeople, p.Mission) {
		return outpost.Person{}, NoPerson(id)
	}
	return p, nil
}

// SavePerson adds a person (id "") or edits the person with this id from a
// form's values, keyed by the columns of a people file, with the checks
// an import of that row makes; the error of a bad form carries its
// problems by field (importer.Fields), and nothing is written. A
// mission-bound manager adds and edits their mission's people only. The
// write is an import of one row: audited, and followed by the census.
func (s *Service) SavePerson(ctx context.Context, caller outpost.User, id string, values map[string]string) (outpost.Person, error) {
	if err := MayEditPeople(caller); err != nil {
		return outpost.Person{}, err
	}
	v := make(map[string]string, len(values))
	for k, x := range values {
		v[k] = strings.TrimSpace(x)
	}
	var problems importer.FieldErrors
	if id != "" {
		old, err := s.Editable(ctx, caller, id)
		if err != nil {
			return outpost.Person{}, err
		}
		// An edit keeps the id and the status; status and since without
		// a change of status record nothing.
		v["id"], v["status"], v["since"] = old.ID, string(old.Status), ""
	} else if pid := v["id"]; outpost.IsID(pid) {
		if _, err := s.store.Person(ctx, pid); err == nil {
			problems = append(problems, outpost.FieldError{Field: "id", Message: "is already used: choose another id", Got: pid})
		} else if outpost.ErrorCode(err) != outpost.ENOTFOUND {
			return outpost.Person{}, fmt.Errorf("read person %s: %w", pid, err)
		}
	}
	if m := v["mission"]; m != "" && !caller.Can(EditPeople, m) {
		problems = append(problems, outpost.FieldError{Field: "mission", Message: "must be your mission, " + caller.Mission, Got: m})
	}
	kind, err := s.peopleKind(ctx)
	if err != nil {
		return outpost.Person{}, err
	}
	rec, more := importer.Form(kind, v)
	problems = mergeProblems(problems, more)
	if err := importer.Invalid("person", problems); err != nil {
		return outpost.Person{}, err
	}
	if err := s.writePeople(ctx, caller, []outpost.PersonRecord{rec}); err != nil {
		return outpost.Person{}, err
	}
	p, err := s.store.Person(ctx, rec.ID)
	if err != nil {
		return p, fmt.Errorf("read person %s: %w", rec.ID, err)
	}
	return p, nil
}

// mergeProblems adds more to p, one problem per field (the first).
func mergeProblems(p, more importer.FieldErrors) importer.FieldErrors {
	for _, f := range more {
		dup := false
		for _, x := range p {
			dup = dup || x.Field == f.Field
		}
		if !dup {
			p = append(p, f)
		}
	}
	return p
}

// writePeople writes records as one import, all or nothing.
func (s *Service) writePeople(ctx context.Context, caller outpost.User, recs []outpost.PersonRecord) error {
	b := outpost.Batch[outpost.PersonRecord]{Rows: func(yield func(outpost.PersonRecord) bool) {
		for _, r := range recs {
			if !yield(r) {
				return
			}
		}
	}, Err: func() error { return nil }}
	if _, err := s.store.ImportPeople(outpost.WithActor(ctx, caller.Name), b); err != nil {
		return fmt.Errorf("save people: %w", err)
	}
	return nil
}

// Household is the people who share a household value, those the
// caller may read.
type Household struct {
	ID      string           `json:"id"`
	Members []outpost.Person `json:"members"`
	// Editable is true when the caller may edit every member.
	Editable bool `json:"editable"`
	// Renamable is true when the caller may edit every member the store
	// holds, of any mission: a rename takes the whole household.
	Renamable bool `json:"renamable"`
}

// Household returns the people of a household the caller may read; one
// with none of them is not found.
func (s *Service) Household(ctx context.Context, caller outpost.User, id string) (Household, error) {
	h := Household{ID: id, Members: []outpost.Person{}}
	notFound := outpost.Errorf(outpost.ENOTFOUND, "no household %q", outpost.Clip(id))
	if !outpost.IsID(id) {
		return h, notFound
	}
	list, err := s.People(ctx, caller, outpost.PeopleFilter{Query: id})
	if err != nil {
		return h, err
	}
	h.Editable = caller.CanSome(EditPeople)
	for _, p := range list {
		if p.Household != id {
			continue
		}
		h.Members = append(h.Members, p)
		h.Editable = h.Editable && caller.Can(EditPeople, p.Mission)
	}
	if len(h.Members) == 0 {
		return h, notFound
	}
	if h.Editable {
		all, err := s.householdMembers(ctx, id)
		if err != nil {
			return h, err
		}
		h.Renamable = mayEditAll(caller, all)
	}
	return h, nil
}

// MoveToHousehold puts a person the caller may edit into another
// household (a new one or one that exists), checked as the household
// column of an import is.
func (s *Service) MoveToHousehold(ctx context.Context, caller outpost.User, person, household string) (outpost.Person, error) {
	p, err := s.Editable(ctx, caller, person)
	if err != nil {
		return p, err
	}
	v := PersonValues(p)
	v["household"] = household
	return s.SavePerson(ctx, caller, p.ID, v)
}

// RenameHousehold gives every member of a household a new household
// value, in one write. The caller must be able to edit every member the
// household has in the store, of any mission (a rename of only some
// would split it), and the new value must not be another household's.
func (s *Service) RenameHousehold(ctx context.Context, caller outpost.User, from, to string) (Household, error) {
	if err := MayEditPeople(caller); err != nil {
		return Household{}, err
	}
	h, err := s.Household(ctx, caller, from)
	if err != nil {
		return h, err
	}
	if !h.Editable {
		return h, outpost.Errorf(outpost.EFORBIDDEN, "the household %s has people you may not edit", from)
	}
	all, err := s.householdMembers(ctx, from)
	if err != nil {
		return h, err
	}
	if !mayEditAll(caller, all) {
		return h, errMixedHousehold(from)
	}
	to = strings.TrimSpace(to)
	kind, err := s.peopleKind(ctx)
	if err != nil {
		return h, err
	}
	recs := make([]outpost.PersonRecord, 0, len(all))
	for _, m := range all {
		v := PersonValues(m)
		v["household"], v["status"] = to, string(m.Status)
		rec, problems := importer.Form(kind, v)
		if err := importer.Invalid("household", problems); err != nil {
			return h, err
		}
		recs = append(recs, rec)
	}
	if to != from {
		// Every person the store holds, of any mission: renaming into
		// another household would merge the two.
		others, err := s.store.People(ctx, outpost.PeopleFilter{Query: to})
		if err != nil {
			return h, fmt.Errorf("read people: %w", err)
		}
		for _, o := range others {
			if o.Household == to {
				return h, importer.Invalid("household", importer.FieldErrors{{Field: "household", Message: "is already another household: move people one by one to join it", Got: to}})
			}
		}
	}
	if err := s.writePeople(ctx, caller, recs); err != nil {
		return h, err
	}
	return s.Household(ctx, caller, to)
}

// SaveMission adds a mission (code "") or edits the mission with this
// code from a form's values keyed by the columns of a missions file, with
// the checks of an import. An edit keeps the mission's status (status may
// be left out, or be the current one).
func (s *Service) SaveMission(ctx context.Context, caller outpost.User, code string, values map[string]string) (outpost.Mission, error) {
	if !caller.Can(EditMissions, "") {
		return outpost.Mission{}, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not add or edit missions", caller.Role)
	}
	v := make(map[string]string, len(values))
	for k, x := range values {
		v[k] = strings.TrimSpace(x)
	}
	var problems importer.FieldErrors
	if code != "" {
		cur, err := s.store.Mission(ctx, code)
		if err != nil {
			if outpost.ErrorCode(err) == outpost.ENOTFOUND {
				return outpost.Mission{}, outpost.Errorf(outpost.ENOTFOUND, "no mission %q", outpost.Clip(code))
			}
			return outpost.Mission{}, fmt.Errorf("read mission %s: %w", code, err)
		}
		v["code"] = code
		// An edit keeps the status: a change of status has a date and is
		// recorded on the mission's page (SetMissionStatus), so that the
		// history keeps when it happened.
		if st := v["status"]; st != "" && st != string(cur.Status) {
			problems = append(problems, outpost.FieldError{Field: "status",
				Message: "is changed with the date it took effect, on the mission's page (Record a change of status), not here", Got: st})
		}
		v["status"], v["status_since"] = string(cur.Status), ""
	} else if c := v["code"]; outpost.IsCode(c) {
		if _, err := s.store.Mission(ctx, c); err == nil {
			problems = append(problems, outpost.FieldError{Field: "code", Message: "is already used: choose another code", Got: c})
		}
	}
	m, more := importer.Form(importer.Missions(), v)
	if err := importer.Invalid("mission", mergeProblems(problems, more)); err != nil {
		return outpost.Mission{}, err
	}
	b := outpost.Batch[outpost.Mission]{Rows: func(yield func(outpost.Mission) bool) { yield(m) }, Err: func() error { return nil }}
	if _, err := s.store.ImportMissions(outpost.WithActor(ctx, caller.Name), b); err != nil {
		return outpost.Mission{}, fmt.Errorf("save mission: %w", err)
	}
	return m, nil
}
