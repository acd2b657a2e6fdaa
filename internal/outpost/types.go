package outpost

import "time"

// MissionKind says what sort of body a mission is.
type MissionKind string

// The kinds of mission.
const (
	KindEmbassy   MissionKind = "embassy"
	KindConsulate MissionKind = "consulate"
	KindUNAgency  MissionKind = "un_agency"
	KindNGO       MissionKind = "ngo"
	KindOther     MissionKind = "other"
)

// MissionKinds lists every valid MissionKind, in documentation order.
var MissionKinds = []string{"embassy", "consulate", "un_agency", "ngo", "other"}

// MissionStatus says how far a mission still operates.
type MissionStatus string

// The statuses of a mission.
const (
	MissionOpen      MissionStatus = "open"
	MissionReduced   MissionStatus = "reduced"
	MissionSuspended MissionStatus = "suspended"
	MissionClosed    MissionStatus = "closed"
)

// MissionStatuses lists every valid MissionStatus, in documentation order.
var MissionStatuses = []string{"open", "reduced", "suspended", "closed"}

// Mission is an embassy, consulate, international organisation or NGO
// present in the country.
type Mission struct {
	Code     string        `json:"code"`
	Name     string        `json:"name"`
	Country  string        `json:"country"`
	Kind     MissionKind   `json:"kind"`
	Status   MissionStatus `json:"status"`
	MinStaff int           `json:"min_staff"`
	// StatusSince, when not zero, is when an imported Status took effect
	// (the missions file's status_since); the history before it is kept.
	StatusSince time.Time `json:"-"`
}

// Category is a person's role with respect to their mission.
type Category string

// The categories of people.
const (
	HeadOfMission Category = "head_of_mission"
	Diplomat      Category = "diplomat"
	Staff         Category = "staff"
	Dependent     Category = "dependent"
	National      Category = "national"
	OrgStaff      Category = "org_staff"
)

// Categories lists every valid Category, in documentation order.
var Categories = []string{"head_of_mission", "diplomat", "staff", "dependent", "national", "org_staff"}

// Status is where a person is with respect to the country.
type Status string

// The presence statuses.
const (
	InCountry Status = "in_country"
	InTransit Status = "in_transit"
	Left      Status = "left"
)

// Statuses lists every valid Status, in documentation order.
var Statuses = []string{"in_country", "in_transit", "left"}

// Person is someone a mission is responsible for: staff, family, or a
// registered national.
type Person struct {
	ID          string   `json:"id"`
	Household   string   `json:"household"`
	GivenName   string   `json:"given_name"`
	FamilyName  string   `json:"family_name"`
	Nationality string   `json:"nationality"`
	Mission     string   `json:"mission"`
	Category    Category `json:"category"`
	BirthDate   Date     `json:"birth_date,omitempty"`
	Essential   bool     `json:"essential"`
	Medical     int      `json:"medical"`
	Ready       Date     `json:"ready,omitempty"`
	Passport    string   `json:"passport,omitempty"`
	// Status is the person's latest status (derived from their events).
	Status Status `json:"status"`
	// Since is when the latest status took effect.
	Since time.Time `json:"since"`
	// Documents are the exit documents, where the reader asked for them
	// (a single person's record) and some are recorded; an import row
	// sets them only when its file has their columns.
	Documents *ExitDocuments `json:"exit_documents,omitempty"`
}

// PersonRecord is one imported person: the record plus the status event the
// row asserts. SinceGiven is false when the row left `since` empty, in which
// case Since is the import time and the event is only recorded if the status
// differs from the person's current one.
type PersonRecord struct {
	Person
	SinceGiven bool
	Line       int
	// DocColumns are the exit-document columns of the row's file when it
	// has only some of them (nil: all, or none when Documents is nil):
	// the import sets those fields and keeps the others as recorded.
	DocColumns []string
}

// Checkpoint is a stage of a person's departure that tracking records.
type Checkpoint string

// The checkpoints of a departure.
const (
	Assembled Checkpoint = "assembled"
	Departed  Checkpoint = "departed"
	Crossed   Checkpoint = "crossed"
	Arrived   Checkpoint = "arrived"
	Returned  Checkpoint = "returned"
)

// Checkpoints lists every valid Checkpoint, in order of a journey.
var Checkpoints = []string{"assembled", "departed", "crossed", "arrived", "returned"}

// StatusAfter returns the status a person has after passing checkpoint c,
// and false when the checkpoint leaves the status as it was (assembled).
func (c Checkpoint) StatusAfter() (Status, bool) {
	switch c {
	case Departed:
		return InTransit, true
	case Crossed, Arrived:
		return Left, true
	case Returned:
		return InCountry, true
	}
	return "", false
}

// Event is one entry of a person's presence history: an imported status or
// a tracked checkpoint.
type Event struct {
	ID         int64      `json:"id"`
	Person     string     `json:"person"`
	At         time.Time  `json:"at"`
	Status     Status     `json:"status"`
	Checkpoint Checkpoint `json:"checkpoint,omitempty"`
	Source     string     `json:"source"`
	Note       string     `json:"note,omitempty"`
	// Flag says why the checkpoint cannot follow the status before it
	// (crossed while in the country): recorded, but to be reviewed.
	Flag string `json:"flag,omitempty"`
	// Amends is the event this one replaced, Action the bulk action
	// that recorded it.
	Amends int64 `json:"amends,omitempty"`
	Action int64 `json:"action,omitempty"`
}

// PeopleFilter narrows a listing of people; zero fields do not filter.
type PeopleFilter struct {
	Mission string
	Status  Status
	// Query matches id, names and household, case-insensitively, and
	// the passport too when Passports is set.
	Query string
	// Passports lets Query match passport numbers. A listing for a
	// caller sets it from User.RestrictPeople, never by hand: a match on
	// a field the caller may not see would show in the page, its cursor
	// and its count.
	Passports bool
	// After is the id to continue after (cursor pagination).
	After string
	Limit int
}

// ImportStats reports what an import wrote.
type ImportStats struct {
	Rows     int `json:"rows"`
	Inserted int `json:"inserted"`
	Updated  int `json:"updated"`
	Events   int `json:"events"`
}
