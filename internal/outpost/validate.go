package outpost

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// FieldError is one problem with one field of a record.
type FieldError struct {
	Field   string
	Message string
	Got     string
}

// Problems collects FieldErrors while a record is checked.
type Problems []FieldError

// Add records a problem with field whose value was got.
func (p *Problems) Add(field, got, message string) {
	*p = append(*p, FieldError{Field: field, Message: message, Got: got})
}

// IsCode reports whether s is a valid code: 1 to 32 letters, digits, '-' or
// '_'.
func IsCode(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func oneOf(list []string) string { return strings.Join(list, ", ") }

// Validate checks every field of the mission.
func (m *Mission) Validate() Problems {
	var p Problems
	if !IsCode(m.Code) {
		p.Add("code", m.Code, "must be 1 to 32 letters, digits, '-' or '_'")
	}
	if strings.TrimSpace(m.Name) == "" {
		p.Add("name", m.Name, "is required")
	} else {
		p.Line("name", m.Name, MaxName)
	}
	if m.Country != "" && !IsCountry(m.Country) {
		p.Add("country", m.Country, "is not an ISO 3166-1 alpha-2 country code (upper case, e.g. RU)")
	}
	if !slices.Contains(MissionKinds, string(m.Kind)) {
		p.Add("kind", string(m.Kind), "must be one of "+oneOf(MissionKinds))
	}
	if !slices.Contains(MissionStatuses, string(m.Status)) {
		p.Add("status", string(m.Status), "must be one of "+oneOf(MissionStatuses))
	}
	if m.MinStaff < 0 || m.MinStaff > MaxCount {
		p.Add("min_staff", "", fmt.Sprintf("must be a whole number from 0 to %d", MaxCount))
	}
	return p
}

// Validate checks every field of the person on its own (that the mission
// exists is checked against the registry by the caller).
func (ps *Person) Validate() Problems {
	var p Problems
	if !IsID(ps.ID) {
		p.Add("id", clip(ps.ID), IDPattern)
	}
	if !IsID(ps.Household) {
		p.Add("household", clip(ps.Household), IDPattern)
	}
	if strings.TrimSpace(ps.GivenName) == "" {
		p.Add("given_name", ps.GivenName, "is required")
	} else {
		p.Line("given_name", ps.GivenName, MaxName)
	}
	if strings.TrimSpace(ps.FamilyName) == "" {
		p.Add("family_name", ps.FamilyName, "is required")
	} else {
		p.Line("family_name", ps.FamilyName, MaxName)
	}
	p.Line("passport", ps.Passport, MaxLabel)
	for _, d := range []struct {
		field string
		d     Date
	}{{"birth_date", ps.BirthDate}, {"ready", ps.Ready}} {
		if d.d != "" {
			if _, err := ParseDate(string(d.d)); err != nil {
				p.Add(d.field, string(d.d), err.Error())
			}
		}
	}
	if !IsCountry(ps.Nationality) {
		p.Add("nationality", ps.Nationality, "is not an ISO 3166-1 alpha-2 country code (upper case, e.g. RU)")
	}
	if !IsCode(ps.Mission) {
		p.Add("mission", ps.Mission, "must be a mission code")
	}
	if !slices.Contains(Categories, string(ps.Category)) {
		p.Add("category", string(ps.Category), "must be one of "+oneOf(Categories))
	}
	if ps.Medical < 0 || ps.Medical > 3 {
		p.Add("medical", "", "must be 0, 1, 2 or 3")
	}
	if !ps.Since.IsZero() && !TimeInWindow(ps.Since) {
		p.Add("since", ps.Since.Format(time.RFC3339), "out of range: "+DateWindow)
	}
	if !slices.Contains(Statuses, string(ps.Status)) {
		p.Add("status", string(ps.Status), "must be one of "+oneOf(Statuses))
	}
	return p
}

// Validate checks every field of the departure on its own.
func (d *Departure) Validate() Problems {
	var p Problems
	if !IsID(d.ID) {
		p.Add("id", clip(d.ID), IDPattern)
	}
	if blank(d.Route) {
		p.Add("route", d.Route, "is required")
	} else {
		p.Line("route", d.Route, MaxName)
	}
	if !TimeInWindow(d.Departs) {
		p.Add("departs", d.Departs.Format(time.RFC3339), "out of range: "+DateWindow)
	}
	if d.Seats < 1 || d.Seats > MaxCount {
		p.Add("seats", fmt.Sprint(d.Seats), fmt.Sprintf("must be a whole number from 1 to %d", MaxCount))
	}
	if d.Crossing != "" && !IsCode(d.Crossing) {
		p.Add("crossing", clip(d.Crossing), "must be 1 to 32 letters, digits, '-' or '_'")
	}
	for _, n := range d.Eligible {
		if !IsCountry(n) {
			p.Add("eligible", clip(n), "is not an ISO 3166-1 alpha-2 country code")
		}
	}
	return p
}

// Validate checks every field of the restriction on its own.
func (x *Restriction) Validate() Problems {
	var p Problems
	if !IsID(x.ID) {
		p.Add("id", clip(x.ID), IDPattern)
	}
	if !slices.Contains(RestrictionKinds, x.Kind) {
		p.Add("kind", clip(x.Kind), "must be one of "+oneOf(RestrictionKinds))
	}
	if x.Crossing != "" && !IsCode(x.Crossing) {
		p.Add("crossing", clip(x.Crossing), "must be 1 to 32 letters, digits, '-' or '_'")
	}
	if _, err := ParseDate(string(x.Starts)); err != nil {
		p.Add("starts", clip(string(x.Starts)), err.Error())
	}
	if x.Ends != "" {
		if _, err := ParseDate(string(x.Ends)); err != nil {
			p.Add("ends", clip(string(x.Ends)), err.Error())
		}
	}
	if x.Days < 0 || x.Days > MaxRangeDays {
		p.Add("days", fmt.Sprint(x.Days), fmt.Sprintf("must be a whole number from 0 to %d", MaxRangeDays))
	}
	p.Text("note", x.Note, MaxNote)
	p.Line("source", x.Source, MaxName)
	return p
}

// Validate checks a checkpoint on its own: the person's id, the
// checkpoint, a time within the window and the note. That the time is not
// before the person's registration is the store's to check, and that it is
// not far ahead of the clock the caller's (CheckEventTime).
func (tr *Track) Validate() Problems {
	var p Problems
	if !IsID(tr.Person) {
		p.Add("person", clip(tr.Person), IDPattern)
	}
	if !slices.Contains(Checkpoints, string(tr.Checkpoint)) {
		p.Add("checkpoint", clip(string(tr.Checkpoint)), "must be one of "+oneOf(Checkpoints))
	}
	if msg := CheckEventTime(tr.At, time.Time{}, time.Time{}); msg != "" {
		p.Add("at", tr.At.Format(time.RFC3339), msg)
	}
	p.Text("note", tr.Note, MaxNote)
	return p
}
