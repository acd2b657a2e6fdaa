package evacuation

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/evac"
	"github.com/outpost-org/outpost/internal/outpost"
)

// Summary is a plan in plain words, as the plan page opens and as
// `outpost evac plan` prints it: one headline, who stays behind grouped by
// reason, and the departures the plan leaves unused. The wording is made
// here only (Explain), so the page and the command line say the same.
type Summary struct {
	// Headline is the plan in one sentence: "Everyone who is ready leaves
	// by 18 March; 14 people stay behind (9 for minimum staff, 5 with no
	// eligible seat); this plan is within 0.4 % of the best possible."
	Headline string `json:"headline"`
	// Gap is how far below the best possible the plan may be, "0.4 %";
	// empty when it is the best possible.
	Gap string `json:"gap,omitempty"`
	// Behind groups everyone the plan leaves in the country by reason,
	// the largest group first.
	Behind []StayGroup `json:"behind"`
	// Unused are the departures on or after the start that the plan puts
	// nobody on, by time.
	Unused []UnusedDeparture `json:"unused_departures"`
	// start is the plan's start: a date in its year is written without
	// the year.
	start outpost.Date
}

// StayGroup is the people left in the country for one reason: counted for
// everyone, named where the reader may read them.
type StayGroup struct {
	// Reason is the planner's reason ("kept for minimum staff"); Words
	// says it after a number ("for minimum staff").
	Reason string `json:"reason"`
	Words  string `json:"words"`
	People int    `json:"people"`
	// Named are those the reader may read, Hidden counts the others.
	Named  []PersonBrief `json:"named"`
	Hidden int           `json:"hidden"`
}

// UnusedDeparture is a departure the plan puts nobody on, and why when it
// is known: a closed crossing, or simply not needed.
type UnusedDeparture struct {
	Departure string    `json:"departure"`
	Departs   time.Time `json:"departs"`
	Seats     int       `json:"seats"`
	// Closed is the closure's reason ("crossing closed: R-12"), empty
	// when the departure was usable but not needed.
	Closed string `json:"closed,omitempty"`
}

// Why says why the departure is unused, in words.
func (u UnusedDeparture) Why() string {
	if u.Closed != "" {
		return u.Closed
	}
	return "not needed"
}

// Facts are what a summary is written from, counted for everyone.
type Facts struct {
	Start outpost.Date
	// Placed counts the people on departures; Last is when the last
	// departure used leaves, in the post's zone.
	Placed int
	Last   time.Time
	// Usable counts the departures on or after the start whose crossing
	// is open (used or not).
	Usable       int
	Behind       []StayGroup
	Unused       []UnusedDeparture
	Score, Bound int64
}

// reasonWords says a planner's reason after a number of people; a reason
// not known here (a newer one) is given as it is, after a colon.
var reasonWords = map[string]string{
	evac.ReasonMinStaff:       "for minimum staff",
	evac.ReasonNoEligibleSeat: "with no eligible seat",
	evac.ReasonNotReady:       "not ready yet",
	evac.ReasonTooLarge:       "in households larger than any departure",
	evac.ReasonSeatsTaken:     "for lack of seats",
	evac.ReasonExitDocuments:  "whose exit documents do not allow it",
}

// ReasonWords says reason after a number of people: "for minimum staff".
func ReasonWords(reason string) string {
	if w, ok := reasonWords[reason]; ok {
		return w
	}
	return "— " + reason
}

// short reasons are those where seats ran out: then not everyone who
// could leave does.
func shortOfSeats(reason string) bool {
	return reason == evac.ReasonSeatsTaken || reason == evac.ReasonTooLarge
}

// Explain writes the summary of a plan from its facts; dates are written
// in the zone of f.Last and the unused departures' times.
func Explain(f Facts) Summary {
	s := Summary{Behind: f.Behind, Unused: f.Unused, start: f.Start}
	if s.Behind == nil {
		s.Behind = []StayGroup{}
	}
	if s.Unused == nil {
		s.Unused = []UnusedDeparture{}
	}
	behind, short := 0, false
	for _, g := range f.Behind {
		behind += g.People
		short = short || shortOfSeats(g.Reason)
	}
	var parts []string
	switch {
	case f.Placed == 0 && f.Usable == 0:
		parts = append(parts, "No departure on or after "+Day(f.Start.Start(time.UTC), f.Start)+" could be used")
	case f.Placed == 0 && behind == 0:
		parts = append(parts, "Nobody was in the country to place")
	case f.Placed == 0:
		parts = append(parts, "Nobody is placed on a departure")
	case behind == 0:
		parts = append(parts, "Everyone leaves by "+Day(f.Last, f.Start))
	case !short:
		parts = append(parts, "Everyone who is ready leaves by "+Day(f.Last, f.Start))
	default:
		parts = append(parts, fmt.Sprintf("%s %s by %s", People(f.Placed), outpost.Plural(f.Placed, "leaves", "leave"), Day(f.Last, f.Start)))
	}
	if behind > 0 {
		var why []string
		for _, g := range f.Behind {
			why = append(why, fmt.Sprintf("%s %s", outpost.Thousands(g.People), g.Words))
		}
		parts = append(parts, fmt.Sprintf("%s %s behind (%s)", People(behind), outpost.Plural(behind, "stays", "stay"), strings.Join(why, ", ")))
	}
	gap, best := Gap(f.Score, f.Bound)
	switch {
	case f.Placed == 0 && f.Usable == 0:
	case f.Placed == 0 && best:
		parts = append(parts, "no valid plan could place anyone")
	case best:
		parts = append(parts, "this is the best possible plan")
	default:
		s.Gap = gap
		parts = append(parts, "this plan is within "+gap+" of the best possible")
	}
	s.Headline = strings.Join(parts, "; ") + "."
	return s
}

// Lines is the summary as the command line prints it: the headline, a
// line per group of people staying behind (at most a dozen names each),
// and the departures left unused.
func (s Summary) Lines() []string {
	out := []string{s.Headline}
	for _, g := range s.Behind {
		var names []string
		for i, p := range g.Named {
			if i == 12 {
				break
			}
			names = append(names, strings.TrimSpace(p.GivenName+" "+p.FamilyName))
		}
		more := len(g.Named) - len(names) + g.Hidden
		line := fmt.Sprintf("Staying behind %s (%s)", g.Words, outpost.Thousands(g.People))
		switch {
		case len(names) > 0 && more > 0:
			line += ": " + strings.Join(names, ", ") + fmt.Sprintf(" and %s more", outpost.Thousands(more))
		case len(names) > 0:
			line += ": " + strings.Join(names, ", ")
		}
		out = append(out, line+".")
	}
	if len(s.Unused) > 0 {
		var deps []string
		for _, u := range s.Unused {
			deps = append(deps, fmt.Sprintf("%s on %s (%s)", u.Departure, Day(u.Departs, s.start), u.Why()))
		}
		out = append(out, fmt.Sprintf("%s not used: %s.", outpost.Plural(len(s.Unused), "Departure", "Departures"), strings.Join(deps, ", ")))
	}
	return out
}

// Gap says how far below its proven bound a score may be, rounded up so
// that "within" stays true ("0.4 %", "0.04 %", "12 %"), and true when the
// score reaches the bound: the plan is the best possible.
func Gap(score, bound int64) (string, bool) {
	if score >= bound || bound <= 0 {
		return "", true
	}
	d := bound - score
	// Tenths of a per cent, then hundredths below 0.1 %, rounded up.
	tenths := (1000*d + bound - 1) / bound
	switch {
	case tenths >= 100:
		return strconv.FormatInt((100*d+bound-1)/bound, 10) + " %", false
	case tenths%10 == 0:
		return strconv.FormatInt(tenths/10, 10) + " %", false
	case 1000*d >= bound: // at least 0.1 %
		return fmt.Sprintf("%d.%d %%", tenths/10, tenths%10), false
	}
	hundredths := (10000*d + bound - 1) / bound
	return fmt.Sprintf("0.%02d %%", hundredths), false
}

// Day writes a day as the summary does, "18 March", with the year when it
// is not the year of start (or start is empty).
func Day(t time.Time, start outpost.Date) string {
	if len(start) >= 4 && t.Format("2006") == string(start[:4]) {
		return t.Format("2 January")
	}
	return t.Format("2 January 2006")
}

// People counts people in words: "1 person", "14 people", "nobody".
func People(n int) string {
	switch n {
	case 0:
		return "nobody"
	case 1:
		return "1 person"
	}
	return outpost.Thousands(n) + " people"
}

// summaryOf writes the summary of doc for r's user: present says who was
// in the country at the plan's start (nil: everyone counts), the
// departures' times are in loc.
func summaryOf(doc outpost.PlanDoc, deps []outpost.Departure, r reader, present map[string]bool, loc *time.Location) Summary {
	f := Facts{Start: outpost.Date(doc.Start), Score: doc.Score, Bound: doc.Bound}
	used := map[string]bool{}
	for _, a := range doc.Assignments {
		used[a.Departure] = true
		f.Placed += len(a.People)
	}
	excluded := map[string]string{}
	for _, x := range doc.ExcludedDepartures {
		excluded[x.Departure] = x.Reason
	}
	from := outpost.Date(doc.Start).Start(loc)
	for _, d := range deps {
		at := d.Departs.In(loc)
		if used[d.ID] {
			if at.After(f.Last) {
				f.Last = at
			}
			f.Usable++
			continue
		}
		if at.Before(from) {
			continue
		}
		if excluded[d.ID] == "" {
			f.Usable++
		}
		f.Unused = append(f.Unused, UnusedDeparture{Departure: d.ID, Departs: at, Seats: d.Seats, Closed: excluded[d.ID]})
	}
	sort.SliceStable(f.Unused, func(i, j int) bool {
		if !f.Unused[i].Departs.Equal(f.Unused[j].Departs) {
			return f.Unused[i].Departs.Before(f.Unused[j].Departs)
		}
		return f.Unused[i].Departure < f.Unused[j].Departure
	})
	f.Behind = behind(doc, r, present)
	return Explain(f)
}

// behind groups the people of the households the plan leaves out (those
// in the country at its start) by reason: a person's own reason when the
// plan gives one other than minimum staff, else their household's.
func behind(doc outpost.PlanDoc, r reader, present map[string]bool) []StayGroup {
	own := map[string]string{}
	for _, x := range doc.Staying {
		if x.Reason != "" && x.Reason != evac.StayingMinStaff {
			own[x.Person] = x.Reason
		}
	}
	index := map[string]int{}
	var out []StayGroup
	add := func(id, reason string) {
		i, ok := index[reason]
		if !ok {
			i = len(out)
			index[reason] = i
			out = append(out, StayGroup{Reason: reason, Words: ReasonWords(reason), Named: []PersonBrief{}})
		}
		g := &out[i]
		g.People++
		if b, named := r.brief(id); named {
			g.Named = append(g.Named, b)
		} else {
			g.Hidden++
		}
	}
	seen := map[string]bool{}
	for _, x := range doc.Unassigned {
		for _, id := range r.members[x.Household] {
			if present != nil && !present[id] {
				continue
			}
			seen[id] = true
			reason := x.Reason
			if o := own[id]; o != "" {
				reason = o
			}
			add(id, reason)
		}
	}
	// A person staying for a reason of their own whose household is not
	// among those left out still stays behind.
	for _, x := range doc.Staying {
		if o := own[x.Person]; o != "" && !seen[x.Person] {
			seen[x.Person] = true
			add(x.Person, o)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].People != out[j].People {
			return out[i].People > out[j].People
		}
		return out[i].Reason < out[j].Reason
	})
	return out
}
