package outpost

import "time"

// Restriction is a measure of the host country: a border closure,
// quarantine, lockdown, limit on movement or on trade.
type Restriction struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Crossing string `json:"crossing,omitempty"`
	Starts   Date   `json:"starts"`
	// Ends is the last day in force (inclusive); empty means still in force.
	Ends Date `json:"ends,omitempty"`
	// Days is the quarantine length, for kind quarantine.
	Days   int    `json:"days,omitempty"`
	Note   string `json:"note,omitempty"`
	Source string `json:"source,omitempty"`
}

// RestrictionKinds lists the kinds of restriction.
var RestrictionKinds = []string{"border_closure", "quarantine", "lockdown", "movement", "trade"}

// InForce reports whether the restriction applies on day d.
func (r Restriction) InForce(d Date) bool {
	return r.Starts <= d && (r.Ends == "" || d <= r.Ends)
}

// Departure is a way out: a flight, train, bus or convoy with seats.
type Departure struct {
	ID       string    `json:"id"`
	Route    string    `json:"route"`
	Departs  time.Time `json:"departs"`
	Seats    int       `json:"seats"`
	Crossing string    `json:"crossing,omitempty"`
	// Eligible lists the nationalities admitted; empty admits anyone.
	Eligible []string `json:"eligible"`
}

// PlanDoc is a saved evacuation plan in the JSON shape of INTERFACES.md.
type PlanDoc struct {
	Plan               int64            `json:"plan"`
	Start              string           `json:"start"`
	Score              int64            `json:"score"`
	Bound              int64            `json:"bound"`
	Assignments        []PlanAssignment `json:"assignments"`
	Staying            []PlanStaying    `json:"staying"`
	Unassigned         []PlanUnassigned `json:"unassigned"`
	ExcludedDepartures []PlanExcluded   `json:"excluded_departures"`
	// LeftBehind (an addition to INTERFACES.md) lists every person of the
	// households left out, with a reason code and the reason in words.
	LeftBehind []PlanLeftBehind `json:"left_behind"`
	CreatedAt  time.Time        `json:"created_at"`
}

// PlanLeftBehind is a person the plan leaves in the country: Reason is a
// code ("exit_permit_expired", "staying_by_choice", "seats_taken", …),
// Text the same in plain words ("exit permit expires 24 Feb").
type PlanLeftBehind struct {
	Person    string `json:"person"`
	Household string `json:"household"`
	Reason    string `json:"reason"`
	Text      string `json:"text"`
}

// PlanAssignment puts one whole household on one departure.
type PlanAssignment struct {
	Departure string   `json:"departure"`
	Household string   `json:"household"`
	People    []string `json:"people"`
}

// PlanStaying is an essential person kept in the country.
type PlanStaying struct {
	Person string `json:"person"`
	Reason string `json:"reason"`
}

// PlanUnassigned is a household the plan leaves in the country, and why.
type PlanUnassigned struct {
	Household string `json:"household"`
	Reason    string `json:"reason"`
}

// PlanExcluded is a departure the plan could not use, and why.
type PlanExcluded struct {
	Departure string `json:"departure"`
	Reason    string `json:"reason"`
}

// PlanSummary is one line of the list of saved plans.
type PlanSummary struct {
	ID        int64     `json:"plan"`
	Start     string    `json:"start"`
	Score     int64     `json:"score"`
	Bound     int64     `json:"bound"`
	People    int       `json:"people"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
}
