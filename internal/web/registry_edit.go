package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/outpost-org/outpost/internal/importer"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/service/imports"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/transport"
)

// registryEditPages are the forms that add and edit people, households,
// missions, departures and restrictions. Each field is a column of the
// import file of its kind, checked by the importer's own checks, so a
// form refuses what an import refuses, in the same words.
func (h *Web) registryEditPages() []Page {
	var out []Page
	for _, k := range h.recordKinds() {
		out = append(out,
			Page{Method: "GET", Path: k.base + "/new", Handler: func(w http.ResponseWriter, r *http.Request) error { return h.recordForm(w, r, k, "") }},
			Page{Method: "POST", Path: k.base + "/new", Handler: func(w http.ResponseWriter, r *http.Request) error { return h.recordSave(w, r, k, "") }},
			Page{Method: "GET", Path: k.base + "/{key}/edit", Handler: func(w http.ResponseWriter, r *http.Request) error {
				return h.recordForm(w, r, k, r.PathValue("key"))
			}},
			Page{Method: "POST", Path: k.base + "/{key}/edit", Handler: func(w http.ResponseWriter, r *http.Request) error {
				return h.recordSave(w, r, k, r.PathValue("key"))
			}},
		)
	}
	return append(out,
		Page{Method: "GET", Path: "/households/{id}", Handler: h.household},
		Page{Method: "POST", Path: "/households/{id}/move", Handler: h.householdMove},
		Page{Method: "POST", Path: "/households/{id}/rename", Handler: h.householdRename},
	)
}

// mayEdit tells a template whether u may edit what ("people" of a
// mission, "missions", "departures", "import"), to offer the link.
func mayEdit(u outpost.User, what, mission string) bool {
	switch what {
	case "people":
		if mission == "" {
			return u.CanSome(registry.EditPeople)
		}
		return u.Can(registry.EditPeople, mission)
	case "missions":
		return u.Can(registry.EditMissions, "")
	case "departures":
		return u.Can(evacuation.EditDepartures, "")
	case "import":
		return len(imports.Allowed(u)) > 0
	}
	return false
}

// Option is a choice of a select.
type Option struct{ Value, Label string }

// FormField is one input of a record form: a column of the kind's
// import file.
type FormField struct {
	Name, Label, Hint, Value, Error string
	// Placeholder is an example value.
	Placeholder string
	// Options make a select; none, a text input.
	Options  []Option
	ReadOnly bool
	Required bool
	Wide     bool
}

// RecordForm is the data of a record form page.
type RecordForm struct {
	Noun, Heading, Intro string
	Action               string
	Back, BackLabel      string
	// View links to the record once it was saved.
	View, ViewLabel string
	Fields          []FormField
	Error           string
	Done            string
	Submit          string
}

// recordKind is one kind of record a form edits.
type recordKind struct {
	noun, base, list, listLabel string
	// fields are the form's inputs for a new record (editing true: an
	// existing one), without values.
	fields func(u outpost.User, editing bool) []FormField
	// load returns a record's values, or ENOTFOUND.
	load func(ctx context.Context, u outpost.User, key string) (map[string]string, error)
	// save writes and returns the record's key.
	save func(ctx context.Context, u outpost.User, key string, v map[string]string) (string, error)
	// may says whether u may open the form at all.
	may  func(u outpost.User) bool
	view func(key string) string
}

func opts(values []string, empty string) []Option {
	var out []Option
	if empty != "" {
		out = append(out, Option{"", empty})
	}
	for _, v := range values {
		out = append(out, Option{v, label(v)})
	}
	return out
}

const dateHint = "YYYY-MM-DD"

func (h *Web) recordKinds() []recordKind {
	return []recordKind{{
		noun: "person", base: "/people", list: "/people", listLabel: "People",
		may: func(u outpost.User) bool { return u.CanSome(registry.EditPeople) },
		fields: func(u outpost.User, editing bool) []FormField {
			mission := FormField{Name: "mission", Label: "Mission", Required: true, Placeholder: "e.g. RU"}
			if u.Role.MissionBound() {
				mission.ReadOnly = true
			}
			f := []FormField{
				{Name: "id", Label: "Id", Required: true, ReadOnly: editing, Placeholder: "e.g. RU-0042", Hint: "Unique; letters, digits, '-' and '_'."},
				{Name: "household", Label: "Household", Required: true, Placeholder: "e.g. RU-H12", Hint: "Everyone with the same value travels together."},
				{Name: "given_name", Label: "Given name", Required: true},
				{Name: "family_name", Label: "Family name", Required: true},
				{Name: "nationality", Label: "Nationality", Required: true, Placeholder: "e.g. RU", Hint: "Two letters, ISO 3166-1."},
				mission,
				{Name: "category", Label: "Category", Required: true, Options: opts(outpost.Categories, "Choose…")},
				{Name: "birth_date", Label: "Birth date", Placeholder: dateHint},
				{Name: "essential", Label: "Essential staff", Options: []Option{{"false", "No"}, {"true", "Yes, counts toward minimum staff"}}},
				{Name: "medical", Label: "Medical needs", Options: []Option{{"0", "0 — none"}, {"1", "1 — chronic needs"}, {"2", "2 — care not available here"}, {"3", "3 — urgent evacuation"}}},
				{Name: "ready", Label: "Ready to leave from", Placeholder: dateHint, Hint: "Empty: any day."},
				{Name: "passport", Label: "Passport"},
			}
			if !editing {
				f = append(f, FormField{Name: "status", Label: "Status", Options: opts(outpost.Statuses, "")},
					FormField{Name: "since", Label: "Status since", Placeholder: dateHint, Hint: "Empty: now."})
			}
			return f
		},
		load: func(ctx context.Context, u outpost.User, key string) (map[string]string, error) {
			p, err := h.Registry.Editable(ctx, u, key)
			return registry.PersonValues(p), err
		},
		save: func(ctx context.Context, u outpost.User, key string, v map[string]string) (string, error) {
			p, err := h.Registry.SavePerson(ctx, u, key, v)
			return p.ID, err
		},
		view: func(key string) string { return "/people/" + url.PathEscape(key) },
	}, {
		noun: "mission", base: "/missions", list: "/missions", listLabel: "Missions",
		may: func(u outpost.User) bool { return u.Can(registry.EditMissions, "") },
		fields: func(u outpost.User, editing bool) []FormField {
			f := []FormField{
				{Name: "code", Label: "Code", Required: true, ReadOnly: editing, Placeholder: "e.g. RU"},
				{Name: "name", Label: "Name", Required: true, Wide: true, Placeholder: "e.g. Embassy of the Russian Federation"},
				{Name: "country", Label: "Sending state", Placeholder: "e.g. RU", Hint: "Empty for an international organisation."},
				{Name: "kind", Label: "Kind", Required: true, Options: opts(outpost.MissionKinds, "Choose…")},
				{Name: "status", Label: "Status", Required: true, Options: opts(outpost.MissionStatuses, "Choose…")},
				{Name: "min_staff", Label: "Minimum staff", Placeholder: "0", Hint: "Essential people who must stay."},
			}
			if editing {
				// A change of status is recorded with its date on the
				// mission's page, which keeps the history.
				f = slices.DeleteFunc(f, func(x FormField) bool { return x.Name == "status" })
			}
			return f
		},
		load: func(ctx context.Context, u outpost.User, key string) (map[string]string, error) {
			if !u.Can(registry.EditMissions, "") {
				return nil, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not add or edit missions", u.Role)
			}
			m, err := h.Store.Mission(ctx, key)
			return registry.MissionValues(m), err
		},
		save: func(ctx context.Context, u outpost.User, key string, v map[string]string) (string, error) {
			m, err := h.Registry.SaveMission(ctx, u, key, v)
			return m.Code, err
		},
		view: func(key string) string { return "/missions/" + url.PathEscape(key) },
	}, {
		noun: "departure", base: "/evac/departures", list: "/evac", listLabel: "Evacuation",
		may: func(u outpost.User) bool { return u.Can(evacuation.EditDepartures, "") },
		fields: func(u outpost.User, editing bool) []FormField {
			return []FormField{
				{Name: "id", Label: "Id", Required: true, ReadOnly: editing, Placeholder: "e.g. BUS-0301"},
				{Name: "route", Label: "Route", Required: true, Wide: true, Placeholder: "e.g. Pyongyang - Sinuiju - Dandong"},
				{Name: "departs", Label: "Departs", Required: true, Placeholder: "YYYY-MM-DDTHH:MM", Hint: "In the post's time zone."},
				{Name: "seats", Label: "Seats", Required: true, Placeholder: "e.g. 40"},
				{Name: "crossing", Label: "Crossing", Placeholder: "e.g. SINUIJU"},
				{Name: "eligible", Label: "Nationalities admitted", Placeholder: "e.g. RU MN", Hint: "Separated by spaces; empty: anyone."},
			}
		},
		load: func(ctx context.Context, u outpost.User, key string) (map[string]string, error) {
			if err := evacuation.MayEdit(u); err != nil {
				return nil, err
			}
			d, err := h.Store.Departure(ctx, key)
			if err != nil {
				return nil, err
			}
			snap, err := h.Census.Snapshot(ctx)
			if err != nil {
				return nil, err
			}
			return evacuation.DepartureValues(d, snap.Loc), nil
		},
		save: func(ctx context.Context, u outpost.User, key string, v map[string]string) (string, error) {
			d, err := h.Evacuation.SaveDeparture(ctx, u, key, v)
			return d.ID, err
		},
		view: func(string) string { return "/evac" },
	}, {
		noun: "restriction", base: "/evac/restrictions", list: "/evac/restrictions", listLabel: "Restrictions",
		may: func(u outpost.User) bool { return u.Can(evacuation.EditDepartures, "") },
		fields: func(u outpost.User, editing bool) []FormField {
			return []FormField{
				{Name: "id", Label: "Id", Required: true, ReadOnly: editing, Placeholder: "e.g. R-12"},
				{Name: "kind", Label: "Kind", Required: true, Options: opts(outpost.RestrictionKinds, "Choose…")},
				{Name: "crossing", Label: "Crossing", Placeholder: "e.g. TUMEN-BRIDGE", Hint: "Empty: every crossing."},
				{Name: "starts", Label: "Starts", Required: true, Placeholder: dateHint},
				{Name: "ends", Label: "Ends", Placeholder: dateHint, Hint: "Last day in force; empty: still in force."},
				{Name: "days", Label: "Quarantine days", Placeholder: "e.g. 14"},
				{Name: "note", Label: "Note", Wide: true},
				{Name: "source", Label: "Source", Wide: true, Placeholder: "e.g. MFA note 21/03"},
			}
		},
		load: func(ctx context.Context, u outpost.User, key string) (map[string]string, error) {
			if err := evacuation.MayEdit(u); err != nil {
				return nil, err
			}
			x, err := h.Evacuation.Restriction(ctx, u, key)
			return evacuation.RestrictionValues(x), err
		},
		save: func(ctx context.Context, u outpost.User, key string, v map[string]string) (string, error) {
			x, err := h.Evacuation.SaveRestriction(ctx, u, key, v)
			return x.ID, err
		},
		view: func(string) string { return "/evac/restrictions" },
	}}
}

// recordPage fills the form of kind k for key ("" new) with values.
func recordPage(k recordKind, u outpost.User, key string, values map[string]string, problems map[string]string) RecordForm {
	p := RecordForm{Noun: k.noun, Back: k.list, BackLabel: k.listLabel, Submit: "Add " + k.noun, Heading: "Add a " + k.noun,
		Action: k.base + "/new", Fields: k.fields(u, key != "")}
	if key != "" {
		p.Heading, p.Submit = "Edit "+k.noun+" "+key, "Save changes"
		p.Action = k.base + "/" + url.PathEscape(key) + "/edit"
		p.View, p.ViewLabel = k.view(key), "Back to the "+k.noun
	}
	for i := range p.Fields {
		f := &p.Fields[i]
		f.Value, f.Error = values[f.Name], problems[f.Name]
		if f.Name == "mission" && f.ReadOnly && f.Value == "" {
			f.Value = u.Mission
		}
	}
	if n := len(problems); n > 0 {
		p.Error = fmt.Sprintf("Nothing was saved: %d %s below.", n, outpost.Plural(n, "problem", "problems"))
		// A problem on a column the form has no input for (none should
		// be) is said at the top, so that it is never lost.
		for col, msg := range problems {
			if !slices.ContainsFunc(p.Fields, func(f FormField) bool { return f.Name == col }) {
				p.Error += " " + col + ": " + msg
			}
		}
	}
	return p
}

func (h *Web) recordForm(w http.ResponseWriter, r *http.Request, k recordKind, key string) error {
	u := transport.Caller(r)
	if !k.may(u) {
		if k.noun == "person" && key != "" {
			return registry.NoPerson(key)
		}
		return outpost.Errorf(outpost.EFORBIDDEN, "Your role (%s) may not add or edit a %s.", u.Role, k.noun)
	}
	values := map[string]string{}
	if key != "" {
		v, err := k.load(r.Context(), u, key)
		if err != nil {
			return err
		}
		values = v
	}
	p := recordPage(k, u, key, values, nil)
	switch r.URL.Query().Get("done") {
	case "added":
		p.Done = label(k.noun) + " added."
	case "saved":
		p.Done = "Changes saved."
	}
	return h.Render(w, r, http.StatusOK, "registry_form", p)
}

func (h *Web) recordSave(w http.ResponseWriter, r *http.Request, k recordKind, key string) error {
	if err := form(w, r); err != nil {
		return err
	}
	u := transport.Caller(r)
	values := map[string]string{}
	for _, f := range k.fields(u, key != "") {
		values[f.Name] = r.PostForm.Get(f.Name)
	}
	saved, err := k.save(r.Context(), u, key, values)
	if fields := importer.Fields(err); fields != nil {
		p := recordPage(k, u, key, values, fields)
		return h.Render(w, r, http.StatusBadRequest, "registry_form", p)
	}
	if err != nil {
		return err
	}
	done := "saved"
	if key == "" {
		done = "added"
	}
	http.Redirect(w, r, k.base+"/"+url.PathEscape(saved)+"/edit?done="+done, http.StatusSeeOther)
	return nil
}

// HouseholdPage is the data of a household's page.
type HouseholdPage struct {
	Household registry.Household
	Done      string
	// Move and Rename are the forms' values and problems.
	MovePerson, MoveTo, MoveError string
	RenameTo, RenameError         string
}

func (h *Web) householdPage(r *http.Request, id string) (HouseholdPage, error) {
	hh, err := h.Registry.Household(r.Context(), transport.Caller(r), id)
	return HouseholdPage{Household: hh}, err
}

func (h *Web) household(w http.ResponseWriter, r *http.Request) error {
	p, err := h.householdPage(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("done") {
	case "moved":
		p.Done = "Moved into this household."
	case "renamed":
		p.Done = "Household renamed."
	}
	return h.Render(w, r, http.StatusOK, "registry_household", p)
}

// fieldProblem is the problem of err on one field, or "" when err is
// not about the form's fields.
func fieldProblem(err error, field string) string {
	fields := importer.Fields(err)
	if fields == nil {
		return ""
	}
	if m, ok := fields[field]; ok {
		return m
	}
	for col, m := range fields {
		return col + ": " + m
	}
	return ""
}

func (h *Web) householdMove(w http.ResponseWriter, r *http.Request) error {
	if err := form(w, r); err != nil {
		return err
	}
	id, person, to := r.PathValue("id"), r.PostForm.Get("person"), strings.TrimSpace(r.PostForm.Get("household"))
	p, err := h.Registry.MoveToHousehold(r.Context(), transport.Caller(r), person, to)
	if msg := fieldProblem(err, "household"); msg != "" {
		page, perr := h.householdPage(r, id)
		if perr != nil {
			return perr
		}
		page.MovePerson, page.MoveTo, page.MoveError = person, to, msg
		return h.Render(w, r, http.StatusBadRequest, "registry_household", page)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/households/"+url.PathEscape(p.Household)+"?done=moved", http.StatusSeeOther)
	return nil
}

func (h *Web) householdRename(w http.ResponseWriter, r *http.Request) error {
	if err := form(w, r); err != nil {
		return err
	}
	id, to := r.PathValue("id"), strings.TrimSpace(r.PostForm.Get("household"))
	hh, err := h.Registry.RenameHousehold(r.Context(), transport.Caller(r), id, to)
	if msg := fieldProblem(err, "household"); msg != "" {
		page, perr := h.householdPage(r, id)
		if perr != nil {
			return perr
		}
		page.RenameTo, page.RenameError = to, msg
		return h.Render(w, r, http.StatusBadRequest, "registry_household", page)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/households/"+url.PathEscape(hh.ID)+"?done=renamed", http.StatusSeeOther)
	return nil
}
