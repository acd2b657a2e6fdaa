package importer

import (
	"math"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// Missions is the kind for missions.csv, with a status_since date
// starting at its midnight in UTC (MissionsIn gives the post's zone).
func Missions() Kind[outpost.Mission] { return MissionsIn(time.UTC) }

// MissionsIn is the kind for missions.csv; loc is the post's time zone
// (a `status_since` date starts at its midnight there).
func MissionsIn(loc *time.Location) Kind[outpost.Mission] {
	return Kind[outpost.Mission]{
		Name:     "missions",
		Columns:  []string{"code", "name", "country", "kind", "status", "min_staff", "status_since"},
		Required: []string{"code", "name", "kind", "status"},
		Key:      "code",
		Parse: func(r *Row) (outpost.Mission, bool) {
			m := outpost.Mission{
				Code:     r.Code("code"),
				Name:     r.Required("name"),
				Country:  r.Country("country", false),
				Kind:     outpost.MissionKind(r.Enum("kind", outpost.MissionKinds, "")),
				Status:   outpost.MissionStatus(r.Enum("status", outpost.MissionStatuses, "")),
				MinStaff: r.Int("min_staff", 0, math.MaxInt32, 0),
			}
			if d := r.Date("status_since"); d != "" {
				m.StatusSince = d.Start(loc)
			}
			return m, r.OK()
		},
		Check: func(m outpost.Mission) outpost.Problems { return m.Validate() },
	}
}

// People is the kind for people.csv. mission reports whether a mission
// code exists; loc is the post's time zone (a `since` date starts at its
// midnight there); now is the import time, the default `since`.
func People(mission func(string) bool, loc *time.Location, now time.Time) Kind[outpost.PersonRecord] {
	return Kind[outpost.PersonRecord]{
		Name: "people",
		Columns: []string{"id", "household", "given_name", "family_name", "nationality", "mission",
			"category", "birth_date", "essential", "medical", "status", "since", "ready", "passport",
			// Exit documents: optional additions (docs/import.md).
			"sex", "passport_expiry", "permit_status", "permit_number", "permit_from", "permit_to",
			"permit_authority", "quarantine_until", "staying"},
		Required: []string{"id", "household", "given_name", "family_name", "nationality", "mission", "category"},
		Key:      "id",
		Parse: func(r *Row) (outpost.PersonRecord, bool) {
			p := outpost.PersonRecord{Line: r.Line()}
			p.ID = r.ID("id")
			p.Household = r.ID("household")
			p.GivenName = r.Required("given_name")
			p.FamilyName = r.Required("family_name")
			p.Nationality = r.Country("nationality", true)
			p.Mission = r.Code("mission")
			if p.Mission != "" && outpost.IsCode(p.Mission) && !mission(p.Mission) {
				r.Problem("mission", p.Mission, "no such mission: import it with `outpost import missions` first")
			}
			p.Category = outpost.Category(r.Enum("category", outpost.Categories, ""))
			p.BirthDate = r.Date("birth_date")
			p.Essential = r.Bool("essential")
			p.Medical = r.Int("medical", 0, 3, 0)
			p.Status = outpost.Status(r.Enum("status", outpost.Statuses, string(outpost.InCountry)))
			if d := r.Date("since"); d != "" {
				p.Since, p.SinceGiven = d.Start(loc), true
			} else {
				p.Since = now.Truncate(time.Second)
			}
			p.Ready = r.Date("ready")
			p.Passport = r.Str("passport")
			if d, cols := exitDocs(r); d != nil {
				d.Person = p.ID
				p.Documents, p.DocColumns = d, cols
			}
			if p.BirthDate != "" && p.BirthDate > outpost.DateOf(now.In(loc)) {
				r.Problem("birth_date", string(p.BirthDate), "is in the future")
			}
			return p, r.OK()
		},
		Check: func(p outpost.PersonRecord) outpost.Problems {
			probs := p.Validate()
			switch {
			case p.Documents != nil && p.DocColumns == nil:
				probs = append(probs, p.Documents.Validate()...)
			case p.Documents != nil:
				// The fields against each other once merged with those
				// recorded, by the store.
				probs = append(probs, p.Documents.ValidateFields()...)
			}
			return probs
		},
	}
}
