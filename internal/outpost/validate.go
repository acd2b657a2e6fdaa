package outpost

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
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

// IsID reports whether s can be a record id: 1 to 64 printable characters
// without spaces.
func IsID(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > 64 {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) < 0
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
	if m.MinStaff < 0 {
		p.Add("min_staff", "", "must be a whole number ≥ 0")
	}
	return p
}

// Validate checks every field of the person on its own (that the mission
// exists is checked against the registry by the caller).
func (ps *Person) Validate() Problems {
	var p Problems
	if !IsID(ps.ID) {
		p.Add("id", ps.ID, "must be 1 to 64 characters without spaces")
	}
	if !IsID(ps.Household) {
		p.Add("household", ps.Household, "must be 1 to 64 characters without spaces")
	}
	if strings.TrimSpace(ps.GivenName) == "" {
		p.Add("given_name", ps.GivenName, "is required")
	}
	if strings.TrimSpace(ps.FamilyName) == "" {
		p.Add("family_name", ps.FamilyName, "is required")
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
	if !slices.Contains(Statuses, string(ps.Status)) {
		p.Add("status", string(ps.Status), "must be one of "+oneOf(Statuses))
	}
	return p
}
