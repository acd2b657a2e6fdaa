package outpost

import "time"

// Manifest is the passenger list of one departure in a saved plan. The
// evacuation service assembles it and cuts it down to what its reader may
// see; internal/report writes it as CSV or PDF.
type Manifest struct {
	Plan       int64
	Departure  string
	Route      string
	Departs    time.Time
	Seats      int
	Crossing   string
	Passengers []Passenger
}

// Passenger is one person on a manifest.
type Passenger struct {
	Household   string
	ID          string
	FamilyName  string
	GivenName   string
	Nationality string
	BirthDate   string
	// Passport is empty where the reader may not see it.
	Passport string
	// Medical is the level 0 to 3 (3: urgent evacuation).
	Medical int
	// Sex is M, F or X, or empty when not recorded.
	Sex string
	// PassportExpiry is passport data: empty where the reader may not
	// see the passport.
	PassportExpiry string
	// PermitNumber is the exit permit's number, if recorded.
	PermitNumber string
	// Mission is the code of the mission responsible for the passenger;
	// it is not a column of the manifest.
	Mission string
	// Withheld marks a passenger of another mission than the reader's:
	// only the household and id are given, the seat is still counted.
	Withheld bool
}
