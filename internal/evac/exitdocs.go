package evac

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Documents are a person's exit documents as the planner reads them. The
// zero value records nothing: such a person plans as before exit
// documents existed, unless Input.PermitsRequired.
type Documents struct {
	// Staying is true for a person who chooses to stay: never placed.
	Staying bool
	// Permit is the exit permit's status: "" (none recorded),
	// "requested", "granted" or "refused". Only a granted permit lets a
	// person leave, on the days from PermitFrom to PermitTo inclusive.
	Permit               string
	PermitFrom, PermitTo time.Time
	// Passport tells whether a passport number is recorded; it binds only
	// when Input.PermitsRequired.
	Passport bool
	// PassportExpiry is the passport's last valid day; zero means not
	// recorded. A person leaves only on or before it.
	PassportExpiry time.Time
	// QuarantineUntil is the last day of a quarantine; the person leaves
	// only after it.
	QuarantineUntil time.Time
}

// The reason codes of a person left behind (Plan.LeftBehind): those of
// the exit documents, then those that come from the household.
const (
	LeftStaying          = "staying_by_choice"
	LeftNoPermit         = "no_exit_permit"
	LeftPermitRequested  = "exit_permit_requested"
	LeftPermitRefused    = "exit_permit_refused"
	LeftPermitNotYet     = "exit_permit_not_yet_valid"
	LeftPermitExpired    = "exit_permit_expired"
	LeftNoPassport       = "no_passport"
	LeftPassportExpired  = "passport_expired"
	LeftQuarantine       = "in_quarantine"
	LeftHouseholdMember  = "household_member_cannot_leave"
	LeftMinStaff         = "min_staff"
	LeftNoEligibleSeat   = "no_eligible_seat"
	LeftNotReady         = "not_ready"
	LeftTooLarge         = "larger_than_any_departure"
	LeftSeatsTaken       = "seats_taken"
	ReasonExitDocuments  = "exit documents"
	dayMonth             = "2 Jan"
	maxReasonsPerPerson  = 3
	leftHouseholdMessage = "travels with household %s, and %s cannot leave"
)

// LeftBehind is one person the plan does not place, with why: a reason
// code and the same in plain words ("exit permit expires 24 Feb").
type LeftBehind struct {
	Person    string
	Household string
	Reason    string
	Text      string
}

// blocked returns the code and text of what keeps the person whatever the
// day, or "" when the person may leave on some day.
func blocked(p *Person, required bool) (string, string) {
	d := &p.Docs
	switch {
	case d.Staying:
		return LeftStaying, "staying by choice"
	case d.Permit == "requested":
		return LeftPermitRequested, "exit permit requested, not granted"
	case d.Permit == "refused":
		return LeftPermitRefused, "exit permit refused"
	case d.Permit == "" && required:
		return LeftNoPermit, "no exit permit"
	case d.Permit != "" && d.Permit != "granted":
		return LeftNoPermit, "no exit permit"
	case required && !d.Passport:
		return LeftNoPassport, "no passport recorded"
	}
	return "", ""
}

// Barred returns why the person may not leave on day (a code and the
// same in words), or "" when they may: the exit-document rules, checked
// in the order blocked, permit dates, passport expiry, quarantine.
// required is Input.PermitsRequired.
func Barred(p Person, day time.Time, required bool) (string, string) {
	if code, text := blocked(&p, required); code != "" {
		return code, text
	}
	code, at := barredOn(&p, civil(day))
	return code, dateReason(code, at, day)
}

// barredOn is Barred for a person who is not blocked, on day number n:
// the code and the date the reason names, without the words.
func barredOn(p *Person, n int64) (string, time.Time) {
	d := &p.Docs
	switch {
	case d.Permit == "granted" && !d.PermitFrom.IsZero() && n < civil(d.PermitFrom):
		return LeftPermitNotYet, d.PermitFrom
	case d.Permit == "granted" && !d.PermitTo.IsZero() && n > civil(d.PermitTo):
		return LeftPermitExpired, d.PermitTo
	case !d.PassportExpiry.IsZero() && n > civil(d.PassportExpiry):
		return LeftPassportExpired, d.PassportExpiry
	case !d.QuarantineUntil.IsZero() && n <= civil(d.QuarantineUntil):
		return LeftQuarantine, d.QuarantineUntil
	}
	return "", time.Time{}
}

// dateReason says a dated reason in words: "exit permit expires 24 Feb",
// with the year only when it is not the departure's.
func dateReason(code string, at, day time.Time) string {
	date := at.Format(dayMonth)
	if at.Year() != day.Year() {
		date = at.Format(dayMonth + " 2006")
	}
	switch code {
	case LeftPermitNotYet:
		return "exit permit valid from " + date
	case LeftPermitExpired:
		return "exit permit expires " + date
	case LeftPassportExpired:
		return passportExpires + date
	case LeftQuarantine:
		return "in quarantine until " + date
	}
	return ""
}

// passportExpires begins the words of LeftPassportExpired, before the date.
const passportExpires = "passport expires "

// WithoutPassportExpiry rewords a left-behind text for a reader who may
// not read the person's passport (the expiry date is passport data, see
// outpost.ExitDocuments): each "passport expires DATE" becomes words
// without the date; the other reasons stay as they are.
func WithoutPassportExpiry(text string) string {
	if !strings.Contains(text, passportExpires) {
		return text
	}
	parts := strings.Split(text, "; ")
	for i, p := range parts {
		if strings.HasPrefix(p, passportExpires) {
			parts[i] = "passport not valid on the departure day"
		}
	}
	return strings.Join(parts, "; ")
}

// window is the days (offsets from the start date) on which a person's
// documents let them leave: lo to hi inclusive, or none when blocked.
type window struct {
	lo, hi  int64
	blocked bool
}

const farDay = int64(1) << 40

func docWindow(p *Person, start int64, required bool) window {
	w := window{lo: -farDay, hi: farDay}
	if code, _ := blocked(p, required); code != "" {
		w.blocked = true
		return w
	}
	d := &p.Docs
	if d.Permit == "granted" {
		if !d.PermitFrom.IsZero() {
			w.lo = max(w.lo, civil(d.PermitFrom)-start)
		}
		if !d.PermitTo.IsZero() {
			w.hi = min(w.hi, civil(d.PermitTo)-start)
		}
	}
	if !d.PassportExpiry.IsZero() {
		w.hi = min(w.hi, civil(d.PassportExpiry)-start)
	}
	if !d.QuarantineUntil.IsZero() {
		w.lo = max(w.lo, civil(d.QuarantineUntil)-start+1)
	}
	return w
}

// intersect narrows w to the days o allows too.
func (w window) intersect(o window) window {
	return window{lo: max(w.lo, o.lo), hi: min(w.hi, o.hi), blocked: w.blocked || o.blocked}
}

func (w window) allows(day int64) bool { return !w.blocked && w.lo <= day && day <= w.hi }

// householdReasonCode maps a household's Unassigned reason to the code
// and words of its members in LeftBehind.
var householdReasonCode = map[string][2]string{
	ReasonNoEligibleSeat: {LeftNoEligibleSeat, "no departure admits the household's nationalities"},
	ReasonNotReady:       {LeftNotReady, "not ready before the last departure"},
	ReasonTooLarge:       {LeftTooLarge, "household larger than any departure it could take"},
	ReasonMinStaff:       {LeftMinStaff, "household kept for the mission's minimum staff"},
	ReasonSeatsTaken:     {LeftSeatsTaken, "seats taken by higher priority"},
}

// leftBehind lists every person of the households left out, with the
// reason: their own documents where those keep them, else the
// household's reason.
func leftBehind(m *model, unassigned map[string]string, staying map[string]bool) []LeftBehind {
	var out []LeftBehind
	for h := range m.hh {
		hh := &m.hh[h]
		reason, ok := unassigned[hh.id]
		if !ok {
			continue
		}
		// The departures the household could take but for the documents.
		cands := m.classes[hh.class].cands
		own := make([][2]string, len(hh.members))
		for k, pi := range hh.members {
			per := &m.in.People[pi]
			if code, text := blocked(per, m.in.PermitsRequired); code != "" {
				own[k] = [2]string{code, text}
				continue
			}
			if reason != ReasonExitDocuments {
				continue
			}
			// The distinct reasons over the candidate days, in day order;
			// the words are made once per reason.
			var texts []string
			var code string
			type reason struct {
				code string
				at   int64
			}
			var seen []reason
			fine := false
			for _, j := range cands {
				day := m.in.Departures[m.depIdx[j]].Date
				c, at := barredOn(per, civil(day))
				if c == "" {
					fine = true
					break
				}
				key := reason{c, civil(at)}
				if slices.Contains(seen, key) {
					continue
				}
				seen = append(seen, key)
				if code == "" {
					code = c
				}
				texts = append(texts, dateReason(c, at, day))
			}
			if !fine && code != "" {
				own[k] = [2]string{code, strings.Join(texts[:min(len(texts), maxReasonsPerPerson)], "; ")}
			}
		}
		firstBarred := ""
		for k, pi := range hh.members {
			if own[k][0] != "" {
				firstBarred = m.in.People[pi].ID
				break
			}
		}
		for k, pi := range hh.members {
			per := &m.in.People[pi]
			lb := LeftBehind{Person: per.ID, Household: hh.id}
			switch {
			case own[k][0] != "":
				lb.Reason, lb.Text = own[k][0], own[k][1]
			case reason == ReasonExitDocuments && firstBarred != "":
				lb.Reason, lb.Text = LeftHouseholdMember, fmt.Sprintf(leftHouseholdMessage, hh.id, firstBarred)
			case reason == ReasonExitDocuments:
				// Each member may leave on some day, but no one day suits them all.
				lb.Reason, lb.Text = LeftHouseholdMember, "no departure day suits every member's exit documents"
			case reason == ReasonMinStaff && staying[per.ID]:
				lb.Reason, lb.Text = LeftMinStaff, "kept for the mission's minimum staff"
			default:
				rc := householdReasonCode[reason]
				lb.Reason, lb.Text = rc[0], rc[1]
			}
			out = append(out, lb)
		}
	}
	slices.SortFunc(out, func(a, b LeftBehind) int { return strings.Compare(a.Person, b.Person) })
	return out
}
