package outpost

import (
	"context"
	"slices"
)

// ExitDocuments are what a person needs to leave the country besides a
// seat: their sex as the passport gives it, the passport's expiry, the
// host country's exit permit, a quarantine and whether they choose to
// stay. The zero value records nothing, and a person with nothing
// recorded plans as before these existed (see the "evac.permits" setting).
type ExitDocuments struct {
	// Person is the person's id; it is not part of the JSON (the person
	// the documents hang on names it).
	Person string `json:"-"`
	// Sex is M, F or X, or empty when not recorded.
	Sex string `json:"sex,omitempty"`
	// PassportExpiry is passport data: only the person's own mission sees
	// it, like the passport number.
	PassportExpiry Date `json:"passport_expiry,omitempty"`
	// PermitStatus is requested, granted or refused; empty means no exit
	// permit is recorded.
	PermitStatus    string `json:"permit_status,omitempty"`
	PermitNumber    string `json:"permit_number,omitempty"`
	PermitFrom      Date   `json:"permit_from,omitempty"`
	PermitTo        Date   `json:"permit_to,omitempty"`
	PermitAuthority string `json:"permit_authority,omitempty"`
	// QuarantineUntil is the last day of a quarantine (inclusive).
	QuarantineUntil Date `json:"quarantine_until,omitempty"`
	// Staying is true for a person who chooses to stay in the country.
	Staying bool `json:"staying"`
}

// Sexes lists the values of ExitDocuments.Sex (as in ICAO 9303).
var Sexes = []string{"M", "F", "X"}

// The exit permit's statuses.
const (
	PermitRequested = "requested"
	PermitGranted   = "granted"
	PermitRefused   = "refused"
)

// PermitStatuses lists every valid PermitStatus, in the order of an
// application.
var PermitStatuses = []string{PermitRequested, PermitGranted, PermitRefused}

// ExitDocColumns are the optional columns of a people file that carry
// exit documents (additions to the columns of INTERFACES.md).
var ExitDocColumns = []string{"sex", "passport_expiry", "permit_status", "permit_number",
	"permit_from", "permit_to", "permit_authority", "quarantine_until", "staying"}

// IsZero reports whether nothing is recorded.
func (d ExitDocuments) IsZero() bool {
	d.Person = ""
	return d == ExitDocuments{}
}

// Merge returns d with the fields of the columns cols (names of
// ExitDocColumns) taken from next, the others as in d; nil cols take
// every field. A people file with some of the columns sets those.
func (d ExitDocuments) Merge(next ExitDocuments, cols []string) ExitDocuments {
	if cols == nil {
		next.Person = d.Person
		return next
	}
	for _, c := range cols {
		switch c {
		case "sex":
			d.Sex = next.Sex
		case "passport_expiry":
			d.PassportExpiry = next.PassportExpiry
		case "permit_status":
			d.PermitStatus = next.PermitStatus
		case "permit_number":
			d.PermitNumber = next.PermitNumber
		case "permit_from":
			d.PermitFrom = next.PermitFrom
		case "permit_to":
			d.PermitTo = next.PermitTo
		case "permit_authority":
			d.PermitAuthority = next.PermitAuthority
		case "quarantine_until":
			d.QuarantineUntil = next.QuarantineUntil
		case "staying":
			d.Staying = next.Staying
		}
	}
	return d
}

// Validate checks every field and the fields against each other: the
// same rules for an import row, a form and the API.
func (d *ExitDocuments) Validate() Problems {
	p, bad := d.fields()
	return append(p, d.consistent(bad)...)
}

// ValidateFields checks each field on its own (a value of its list, a
// real date, a line of bounded length), not the fields against each
// other: the checks of a people row that has only some of the columns,
// whose other fields are those recorded (the store checks the whole
// once merged).
func (d *ExitDocuments) ValidateFields() Problems {
	p, _ := d.fields()
	return p
}

// fields is ValidateFields, and the dates that are not dates.
func (d *ExitDocuments) fields() (p Problems, bad map[string]bool) {
	if d.Sex != "" && !slices.Contains(Sexes, d.Sex) {
		p.Add("sex", clip(d.Sex), "must be one of M, F, X (or empty)")
	}
	if d.PermitStatus != "" && !slices.Contains(PermitStatuses, d.PermitStatus) {
		p.Add("permit_status", clip(d.PermitStatus), "must be one of "+oneOf(PermitStatuses)+" (or empty)")
	}
	p.Line("permit_number", d.PermitNumber, MaxLabel)
	p.Line("permit_authority", d.PermitAuthority, MaxName)
	dates := []struct {
		field string
		d     Date
	}{{"passport_expiry", d.PassportExpiry}, {"permit_from", d.PermitFrom}, {"permit_to", d.PermitTo},
		{"quarantine_until", d.QuarantineUntil}}
	bad = map[string]bool{}
	for _, f := range dates {
		if f.d == "" {
			continue
		}
		if _, err := ParseDate(string(f.d)); err != nil {
			p.Add(f.field, clip(string(f.d)), err.Error())
			bad[f.field] = true
		}
	}
	return p, bad
}

// consistent checks the fields against each other; bad are the dates
// that are not dates, which are not compared.
func (d *ExitDocuments) consistent(bad map[string]bool) Problems {
	var p Problems
	if d.PermitStatus == "" && (d.PermitNumber != "" || d.PermitFrom != "" || d.PermitTo != "" || d.PermitAuthority != "") {
		p.Add("permit_status", "", "is required when a permit number, dates or authority are given (requested, granted or refused)")
	}
	if d.PermitStatus == PermitGranted {
		if d.PermitFrom == "" {
			p.Add("permit_from", "", "is required for a granted permit")
		}
		if d.PermitTo == "" {
			p.Add("permit_to", "", "is required for a granted permit")
		}
	}
	if d.PermitFrom != "" && d.PermitTo != "" && !bad["permit_from"] && !bad["permit_to"] && d.PermitTo < d.PermitFrom {
		p.Add("permit_to", string(d.PermitTo), "is before permit_from "+string(d.PermitFrom))
	}
	return p
}

// ExitDocStore keeps each person's exit documents.
type ExitDocStore interface {
	// ExitDocuments returns a person's documents; the zero value (with
	// Person set) when none are recorded, ENOTFOUND for no such person.
	ExitDocuments(ctx context.Context, person string) (ExitDocuments, error)
	// AllExitDocuments returns every person's recorded documents by id.
	AllExitDocuments(ctx context.Context) (map[string]ExitDocuments, error)
	// SetExitDocuments replaces a person's documents (the zero value
	// clears them), audited with both versions; ENOTFOUND for no such
	// person, EINVALID for documents that do not validate.
	SetExitDocuments(ctx context.Context, d ExitDocuments) error
}

// Evacuation settings: the key and values of the rule for people with no
// exit permit recorded.
const (
	// ConfigPermits is the setting's key.
	ConfigPermits = "evac.permits"
	// PermitsIfRecorded (the default) plans a person with no exit permit
	// recorded as if permits did not exist: only a recorded permit binds.
	PermitsIfRecorded = "if_recorded"
	// PermitsRequired plans only people with a granted exit permit and a
	// passport.
	PermitsRequired = "required"
)
