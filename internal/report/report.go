// Package report writes the documents Outpost hands to people: the daily
// situation report (sitrep) in Markdown, HTML and PDF with its charts, the
// passenger manifests of departures (manifest.go), and the Markdown of
// public statements rendered safely (statement.go).
//
// It is pure: it takes a plain Input, filled by the caller from whatever
// the store holds, and never reads a database or a clock. Each section of
// Input is a pointer: nil means that the data does not exist yet (the
// capability is not in use), and the report says so plainly ("No stock
// recorded yet.") instead of leaving the section out, so that a report
// works from the first day of use. An empty but non-nil section means that
// the data exists and there is nothing to report for the period.
//
// The sitrep's three formats are written from one document model
// (document.go), so they always carry the same figures; HTML and PDF add
// two charts drawn with gonum.org/v1/plot: the headcount over time and
// the items with the fewest days of supply. The reports service
// (internal/service/reports) gathers an Input from the store.
package report

import (
	"time"

	"github.com/outpost-org/outpost/internal/mapsvg"
)

// Window is how many days back (and, for departures, ahead) the report
// looks for departures, roll calls and statements.
const Window = 7

// Input is everything one situation report shows.
type Input struct {
	// Date is the day reported on, YYYY-MM-DD: figures are at its end.
	Date string `json:"date"`
	// AsOf is the end of Date in the post's time zone, whose name
	// AsOf.Location() gives.
	AsOf time.Time `json:"as_of"`
	// Generated is when the report was made.
	Generated time.Time `json:"generated"`
	// Mission is the mission the report is about; nil for the whole corps.
	Mission *Mission `json:"mission,omitempty"`

	Census       *Census       `json:"census,omitempty"`
	Departures   *Departures   `json:"departures,omitempty"`
	Supply       *Supply       `json:"supply,omitempty"`
	RollCalls    *RollCalls    `json:"roll_calls,omitempty"`
	Medical      *Medical      `json:"medical,omitempty"`
	Restrictions *Restrictions `json:"restrictions,omitempty"`
	Statements   *Statements   `json:"statements,omitempty"`
	// Map is the evacuation map of the day (crossings and the newest
	// plan's routes) as the reader may see it; nil leaves the section out.
	Map *mapsvg.Map `json:"map,omitempty"`
}

// Mission names the mission a report is about.
type Mission struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

// Counts are the census figures at one moment.
type Counts struct {
	InCountry int `json:"in_country"`
	InTransit int `json:"in_transit"`
	Left      int `json:"left"`
	// HeadsOfMission counts the heads of mission in the country.
	HeadsOfMission int `json:"heads_of_mission"`
}

// Census is the headcount at the end of the day and of the day before.
type Census struct {
	Now    Counts `json:"now"`
	Before Counts `json:"before"`
	// MissionsByStatus counts the missions by status (corps reports),
	// in the order to print.
	MissionsByStatus []StatusCount `json:"missions_by_status,omitempty"`
	// ByMission is each mission's headcount (corps reports).
	ByMission []MissionCount `json:"by_mission,omitempty"`
	// ByCategory is the headcount by category of person.
	ByCategory []CategoryCount `json:"by_category,omitempty"`
	// Series is the headcount at the end of each day, oldest first, for
	// the chart; it normally ends on the report's date.
	Series []Day `json:"series,omitempty"`
}

// StatusCount is the number of missions with one status.
type StatusCount struct {
	Status string `json:"status"`
	N      int    `json:"n"`
}

// MissionCount is one mission's headcount at the end of the day, with
// its in-country figure of the day before.
type MissionCount struct {
	Code            string `json:"code"`
	Name            string `json:"name"`
	Status          string `json:"status"`
	InCountry       int    `json:"in_country"`
	InTransit       int    `json:"in_transit"`
	Left            int    `json:"left"`
	InCountryBefore int    `json:"in_country_before"`
	HeadOfMission   bool   `json:"head_of_mission"`
}

// CategoryCount is the number of people of one category in the country,
// at the end of the day and of the day before.
type CategoryCount struct {
	Category  string `json:"category"`
	InCountry int    `json:"in_country"`
	Before    int    `json:"before"`
}

// Day is the headcount at the end of one day.
type Day struct {
	Date           string `json:"date"`
	InCountry      int    `json:"in_country"`
	HeadsOfMission int    `json:"heads_of_mission"`
}

// Departures are the departures of the Window days before and after the
// report's moment.
type Departures struct {
	Rows []Departure `json:"rows,omitempty"`
}

// Departure is one departure (a flight, a train, a convoy).
type Departure struct {
	ID       string    `json:"id"`
	Route    string    `json:"route"`
	Crossing string    `json:"crossing"`
	Departs  time.Time `json:"departs"`
	Seats    int       `json:"seats"`
	// Passengers is how many are on it (tracked or planned); -1 when not
	// known.
	Passengers int `json:"passengers"`
	// Eligible lists the nationalities it may carry; empty: anyone.
	Eligible string `json:"eligible"`
	// Note is a remark such as "crossing closed: R-12".
	Note string `json:"note"`
}

// Supply is the stock status of every (mission, item) at the end of the
// day.
type Supply struct {
	// Threshold is the shortage threshold in days.
	Threshold int     `json:"threshold"`
	Rows      []Stock `json:"rows,omitempty"`
	// Vacant lists the missions whose stock is left out of Rows because
	// nobody of theirs is in the country: their use has stopped.
	Vacant []string `json:"vacant,omitempty"`
}

// Stock is the status of one item at one mission.
type Stock struct {
	Mission   string  `json:"mission"`
	Item      string  `json:"item"`
	Name      string  `json:"name"`
	Unit      string  `json:"unit"`
	OnHand    float64 `json:"on_hand"`
	DailyRate float64 `json:"daily_rate"`
	// DaysOfSupply is nil when nothing is used.
	DaysOfSupply *int `json:"days_of_supply"`
	Shortage     bool `json:"shortage"`
	// NearExpiry30 and NearExpiry90 are the quantities on hand in lots
	// expiring within 30 and 90 days.
	NearExpiry30 float64 `json:"near_expiry_30d"`
	NearExpiry90 float64 `json:"near_expiry_90d"`
}

// RollCalls are the roll calls open at the report's moment or started in
// the Window days before it.
type RollCalls struct {
	Rows []RollCall `json:"rows,omitempty"`
}

// RollCall is one roll call's answers.
type RollCall struct {
	ID         int64     `json:"id"`
	Title      string    `json:"title"`
	Mission    string    `json:"mission"`
	Started    time.Time `json:"started"`
	Open       bool      `json:"open"`
	Expected   int       `json:"expected"`
	Safe       int       `json:"safe"`
	NeedHelp   int       `json:"need_help"`
	NoResponse int       `json:"no_response"`
}

// Medical counts the open medical cases by precedence. A corps report
// never lists cases, only counts.
type Medical struct {
	Urgent   int `json:"urgent"`
	Priority int `json:"priority"`
	Routine  int `json:"routine"`
	// ByMission counts each mission's open cases (corps reports).
	ByMission []MedicalCount `json:"by_mission,omitempty"`
	// Cases lists the open cases (mission reports only; a corps report
	// ignores them).
	Cases []MedicalCase `json:"cases,omitempty"`
}

// MedicalCount is one mission's open cases by precedence.
type MedicalCount struct {
	Mission  string `json:"mission"`
	Urgent   int    `json:"urgent"`
	Priority int    `json:"priority"`
	Routine  int    `json:"routine"`
}

// MedicalCase is one open medical case.
type MedicalCase struct {
	Person     string    `json:"person"`
	Name       string    `json:"name"`
	Precedence string    `json:"precedence"`
	Need       string    `json:"need"`
	Opened     time.Time `json:"opened"`
}

// Restrictions are the host country's restrictions in force at the end
// of the day.
type Restrictions struct {
	Rows []Restriction `json:"rows,omitempty"`
}

// Restriction is one restriction.
type Restriction struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Crossing string `json:"crossing"`
	// Starts and Ends are dates; Ends is empty while it has no end.
	Starts string `json:"starts"`
	Ends   string `json:"ends"`
	// Days is a quarantine's length.
	Days   int    `json:"days"`
	Note   string `json:"note"`
	Source string `json:"source"`
}

// Statements are the statements published in the Window days up to the
// end of the report's date.
type Statements struct {
	Rows []Statement `json:"rows,omitempty"`
}

// Statement is one published statement.
type Statement struct {
	ID        int64     `json:"id"`
	Mission   string    `json:"mission"`
	Title     string    `json:"title"`
	Published time.Time `json:"published"`
	// URL is where the public reads it; empty leaves the link out.
	URL string `json:"url"`
	// Withdrawn is when it was withdrawn, by the end of the report's
	// day (zero: it stands); the report marks it, never counts it as
	// published.
	Withdrawn time.Time `json:"withdrawn,omitzero"`
}
