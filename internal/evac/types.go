// Package evac plans who leaves on which departure.
//
// It is a pure package: it takes plain values (the people in the country,
// the usable departures, the missions' minimum staff) and returns a plan
// together with a proven upper bound on the best possible score. It reads
// no clock, touches no database and gives the same plan for the same input.
//
// The problem, the validity rules and the score are those of the
// "Evacuation planning" section of INTERFACES.md.
package evac

import "time"

// Reasons given for a household that the plan leaves out.
const (
	// ReasonNoEligibleSeat means no departure admits every member's nationality.
	ReasonNoEligibleSeat = "no eligible seat"
	// ReasonNotReady means every departure that admits the household leaves
	// before some member's ready date.
	ReasonNotReady = "not ready"
	// ReasonTooLarge means the household has more members than any departure
	// it could otherwise take has seats.
	ReasonTooLarge = "larger than any departure"
	// ReasonMinStaff means the household has an essential member whose
	// mission must keep them to meet its minimum staff.
	ReasonMinStaff = "kept for minimum staff"
	// ReasonExitDocuments (exitdocs.go) means some member's exit
	// documents (a permit, the passport, a quarantine, staying by choice)
	// rule out every departure the household could otherwise take.
	//
	// ReasonSeatsTaken means the household could travel but the seats it
	// could use went to people of higher priority.
	ReasonSeatsTaken = "seats taken by higher priority"
	// StayingMinStaff is the reason given for an essential person kept in
	// the country for the mission's minimum staff.
	StayingMinStaff = "min_staff"
)

// Input is one planning problem: everyone in the country at the start date,
// the usable departures and the missions' minimum staff.
//
// Dates are civil dates: only the year, month and day of a time.Time in its
// own location are read.
type Input struct {
	// Start is the planning date; departure days are counted from it.
	Start time.Time
	// People are the people in the country at the start date.
	People []Person
	// Departures are the usable departures (see UsableDepartures); none may
	// leave before Start.
	Departures []Departure
	// Missions give the minimum staff of each mission; a person whose
	// mission is not listed counts toward no minimum.
	Missions []Mission
	// PermitsRequired places only people with a granted exit permit and a
	// passport; otherwise only recorded exit documents bind (see Barred).
	PermitsRequired bool
}

// Person is someone in the country who may be planned onto a departure.
type Person struct {
	// ID identifies the person; it must be unique.
	ID string
	// Household is the travel group: all its members leave together or not at all.
	Household string
	// Nationality is the alpha-2 code checked against a departure's eligible list.
	Nationality string
	// Mission is the code of the mission responsible for the person.
	Mission string
	// Essential people count toward their mission's minimum staff.
	Essential bool
	// Medical is the medical level, 0 (none) to 3 (urgent evacuation).
	Medical int
	// BirthDate is the date of birth; the zero time means unknown (adult).
	BirthDate time.Time
	// Ready is the earliest day the person can depart; zero means any day.
	Ready time.Time
	// Docs are the person's exit documents; the zero value binds nothing
	// unless Input.PermitsRequired.
	Docs Documents
}

// Departure is one usable departure.
type Departure struct {
	// ID identifies the departure; it must be unique.
	ID string
	// Date is the departure's date.
	Date time.Time
	// Seats is the number of seats, at least 1.
	Seats int
	// Crossing is the border crossing the departure uses, if any; only
	// UsableDepartures reads it.
	Crossing string
	// Eligible lists the nationalities admitted; empty admits anyone.
	Eligible []string
}

// Mission gives one mission's minimum staff.
type Mission struct {
	// Code identifies the mission, as in Person.Mission.
	Code string
	// MinStaff is the number of essential people who must stay.
	MinStaff int
}

// Options tune a call to Solve.
type Options struct {
	// Previous is an earlier plan's assignments to start from. Those that
	// are still valid for the input are kept as a starting point (dropping
	// the latest ones if seats or minimum staff no longer allow them all),
	// and the returned plan scores at least as much as what was kept. This
	// is what makes re-planning monotone: with more seats, or fewer people,
	// a re-plan from the previous plan never scores less.
	Previous []Assignment
	// Iterations is how many rounds of seat and mission prices the bound
	// gets; 0 chooses by size.
	Iterations int
}

// Plan is the planner's answer.
type Plan struct {
	// Score is the plan's score as defined in INTERFACES.md.
	Score int64
	// Bound is a proven upper bound on the score of every valid plan.
	Bound int64
	// Horizon is H: one more than the largest day offset among the departures.
	Horizon int
	// Assignments are sorted by departure, then household.
	Assignments []Assignment
	// Staying lists essential people kept for minimum staff, sorted by person.
	Staying []Staying
	// Unassigned lists every household left out, with its reason, sorted by household.
	Unassigned []Unassigned
	// LeftBehind lists every person of the households left out, with the
	// reason in a code and in plain words, sorted by person.
	LeftBehind []LeftBehind
}

// Assignment puts one whole household on one departure.
type Assignment struct {
	// Departure is the departure's ID.
	Departure string
	// Household is the household's ID.
	Household string
	// People are the household's members, sorted by ID.
	People []string
}

// Staying is an essential person the plan keeps in the country.
type Staying struct {
	// Person is the person's ID.
	Person string
	// Reason is why they stay; StayingMinStaff.
	Reason string
}

// Unassigned is a household the plan leaves out.
type Unassigned struct {
	// Household is the household's ID.
	Household string
	// Reason is one of the Reason constants.
	Reason string
}
