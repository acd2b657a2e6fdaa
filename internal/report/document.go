package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// document is a report laid out independently of its format: the three
// writers only walk it, so every format says the same thing.
type document struct {
	Title     string
	Scope     string
	DateLine  string
	Generated string
	Summary   []string
	Sections  []section
	// Charts are the charts that sections refer to, by name.
	Charts map[string]*chart
}

type section struct {
	ID, Title string
	Blocks    []block
}

type blockKind int

const (
	bPara    blockKind = iota // a paragraph
	bNote                     // a remark in a quieter voice, e.g. "None."
	bHeading                  // a sub-heading
	bTable
	bChart // a chart, by name; Markdown leaves it out
	bMap   // the evacuation map (Input.Map); Markdown leaves it out
)

type block struct {
	Kind  blockKind
	Text  string
	Table *table
	Chart string
}

type table struct {
	Cols []column
	Rows [][]cell
}

type column struct {
	Title string
	Num   bool
	// Width is the share of the page width in the PDF (the shares of a
	// table add up to 1).
	Width float64
}

type cell struct {
	Text string
	// Warn marks a figure that needs attention (a shortage, people who
	// need help).
	Warn bool
	Link string
}

func (s *section) para(format string, args ...any) {
	s.Blocks = append(s.Blocks, block{Kind: bPara, Text: fmt.Sprintf(format, args...)})
}

func (s *section) note(text string) { s.Blocks = append(s.Blocks, block{Kind: bNote, Text: text}) }

func (s *section) heading(text string) {
	s.Blocks = append(s.Blocks, block{Kind: bHeading, Text: text})
}

func (s *section) table(t *table) { s.Blocks = append(s.Blocks, block{Kind: bTable, Table: t}) }

func (s *section) chart(name string) { s.Blocks = append(s.Blocks, block{Kind: bChart, Chart: name}) }

func newTable(cols ...column) *table { return &table{Cols: cols} }

func (t *table) row(cells ...cell) { t.Rows = append(t.Rows, cells) }

func txt(s string) cell { return cell{Text: s} }

func num(n int) cell { return cell{Text: thousands(n)} }

func col(title string, width float64) column { return column{Title: title, Width: width} }

func ncol(title string, width float64) column { return column{Title: title, Num: true, Width: width} }

// build lays out the report of in.
func build(in Input) *document {
	d := &document{Title: "Situation report", Charts: map[string]*chart{}}
	if in.Mission != nil {
		d.Scope = in.Mission.Name + " (" + in.Mission.Code + ")"
	} else {
		d.Scope = "Diplomatic corps (all missions)"
	}
	d.DateLine = "End of " + longDate(in.Date) + " · times in " + in.AsOf.Location().String()
	if !in.Generated.IsZero() {
		d.Generated = "Generated " + in.Generated.In(in.AsOf.Location()).Format("2 January 2006 15:04") + " by Outpost"
	}
	d.Summary = summary(in)
	d.Sections = []section{
		censusSection(in, d), departuresSection(in), supplySection(in, d), rollCallSection(in),
		medicalSection(in), restrictionSection(in), statementSection(in),
	}
	if in.Map != nil {
		d.Sections = append(d.Sections, mapSection(in.Map))
	}
	return d
}

// summary is the handful of lines a reader needs if they read nothing
// else.
func summary(in Input) []string {
	var out []string
	day := shortDate(in.Date)
	if c := in.Census; c != nil {
		heads := countNoun(c.Now.HeadsOfMission, "head of mission", "heads of mission") + " present"
		if in.Mission != nil {
			heads = "the head of mission is not in the country"
			if c.Now.HeadsOfMission > 0 {
				heads = "the head of mission is present"
			}
		}
		out = append(out, fmt.Sprintf("%s in the country at the end of %s (%s since the day before); %s.",
			people(c.Now.InCountry), day, changeWords(c.Now.InCountry-c.Before.InCountry), heads))
		if c.Now.InTransit > 0 {
			out = append(out, fmt.Sprintf("%s in transit.", people(c.Now.InTransit)))
		}
	} else {
		out = append(out, "No people recorded yet.")
	}
	if dp := in.Departures; dp != nil {
		past, next := splitDepartures(dp.Rows, in.AsOf)
		if len(next) > 0 {
			n := next[0]
			out = append(out, fmt.Sprintf("Next departure: %s, %s, %s.", n.ID, when(n.Departs, in.AsOf.Location()), seatsWords(n)))
		} else {
			out = append(out, fmt.Sprintf("No departure planned in the next %d days.", Window))
		}
		if len(past) > 0 {
			var ids []string
			for _, d := range past[:min(3, len(past))] {
				ids = append(ids, d.ID+" ("+shortDate(dateIn(d.Departs, in.AsOf.Location()))+")")
			}
			if len(past) > 3 {
				ids = append(ids, fmt.Sprintf("%d more", len(past)-3))
			}
			out = append(out, fmt.Sprintf("%s in the last %d days: %s.", countNoun(len(past), "departure", "departures"),
				Window, joinWords(ids)))
		}
	}
	if s := in.Supply; s != nil && len(s.Rows) > 0 {
		out = append(out, supplySummary(in))
	}
	if r := in.RollCalls; r != nil {
		for _, rc := range r.Rows {
			if rc.Open || rc.NeedHelp > 0 {
				out = append(out, fmt.Sprintf("Roll call “%s”: %d safe, %d need help, %d not answered of %d.",
					rc.Title, rc.Safe, rc.NeedHelp, rc.NoResponse, rc.Expected))
			}
		}
	}
	if m := in.Medical; m != nil {
		total := m.Urgent + m.Priority + m.Routine
		if total > 0 {
			out = append(out, fmt.Sprintf("%s open: %d urgent, %d priority, %d routine.",
				countNoun(total, "medical case", "medical cases"), m.Urgent, m.Priority, m.Routine))
		}
	}
	if r := in.Restrictions; r != nil {
		out = append(out, fmt.Sprintf("%s in force.", countNoun(len(r.Rows), "restriction", "restrictions")))
	}
	if s := in.Statements; s != nil && len(s.Rows) > 0 {
		// A withdrawn statement is neither counted as published nor
		// named as the latest: it should no longer be read.
		var standing []Statement
		for _, r := range s.Rows {
			if r.Withdrawn.IsZero() {
				standing = append(standing, r)
			}
		}
		line := fmt.Sprintf("No statement published in the last %d days stands", Window)
		if len(standing) > 0 {
			line = fmt.Sprintf("%s published in the last %d days, the latest “%s”",
				countNoun(len(standing), "statement", "statements"), Window, standing[0].Title)
		}
		if n := len(s.Rows) - len(standing); n > 0 {
			line += fmt.Sprintf("; %s withdrawn", countNoun(n, "statement", "statements"))
		}
		out = append(out, line+".")
	}
	return out
}

func censusSection(in Input, d *document) section {
	s := section{ID: "census", Title: "People in the country"}
	c := in.Census
	if c == nil {
		s.note("No people recorded yet.")
		return s
	}
	before := shortDate(previousDay(in.Date))
	t := newTable(col("", 0.4), ncol("End of "+shortDate(in.Date), 0.22), ncol("End of "+before, 0.22), ncol("Change", 0.16))
	add := func(label string, now, was int) {
		t.row(txt(label), num(now), num(was), txt(signed(now-was)))
	}
	add("In the country", c.Now.InCountry, c.Before.InCountry)
	add("In transit", c.Now.InTransit, c.Before.InTransit)
	add("Left the country", c.Now.Left, c.Before.Left)
	add("Heads of mission present", c.Now.HeadsOfMission, c.Before.HeadsOfMission)
	s.table(t)
	if ch := headcountChart(c.Series); ch != nil {
		d.Charts["headcount"] = ch
		s.chart("headcount")
	}
	if len(c.MissionsByStatus) > 0 {
		var parts []string
		total := 0
		for _, m := range c.MissionsByStatus {
			parts = append(parts, fmt.Sprintf("%d %s", m.N, m.Status))
			total += m.N
		}
		s.para("%s: %s.", countNoun(total, "mission", "missions"), strings.Join(parts, ", "))
	}
	if len(c.ByMission) > 0 {
		s.heading("By mission")
		t := newTable(col("Mission", 0.1), col("Name", 0.34), col("Status", 0.11), ncol("In country", 0.1),
			ncol("Change", 0.09), ncol("In transit", 0.09), ncol("Left", 0.07), col("Head", 0.1))
		empty := 0
		for _, m := range c.ByMission {
			if m.InCountry == 0 && m.InTransit == 0 && m.InCountryBefore == 0 {
				empty++
				continue
			}
			head := ""
			if m.HeadOfMission {
				head = "present"
			}
			t.row(txt(m.Code), txt(m.Name), txt(m.Status), num(m.InCountry), txt(signed(m.InCountry-m.InCountryBefore)),
				num(m.InTransit), num(m.Left), txt(head))
		}
		if len(t.Rows) > 0 {
			s.table(t)
		}
		if empty > 0 {
			s.note(fmt.Sprintf("Not listed: %s with nobody in the country or in transit.", countNoun(empty, "mission", "missions")))
		}
	}
	if len(c.ByCategory) > 0 {
		s.heading("By category")
		t := newTable(col("Category", 0.5), ncol("In country", 0.25), ncol("Change", 0.25))
		for _, k := range c.ByCategory {
			t.row(txt(words(k.Category)), num(k.InCountry), txt(signed(k.InCountry-k.Before)))
		}
		s.table(t)
	}
	return s
}

func splitDepartures(rows []Departure, asOf time.Time) (past, next []Departure) {
	for _, r := range rows {
		if r.Departs.After(asOf) {
			next = append(next, r)
		} else {
			past = append(past, r)
		}
	}
	sort.SliceStable(past, func(i, j int) bool { return past[i].Departs.After(past[j].Departs) })
	sort.SliceStable(next, func(i, j int) bool { return next[i].Departs.Before(next[j].Departs) })
	return past, next
}

func departuresSection(in Input) section {
	s := section{ID: "departures", Title: "Departures"}
	if in.Departures == nil {
		s.note("No departures recorded yet.")
		return s
	}
	loc := in.AsOf.Location()
	past, next := splitDepartures(in.Departures.Rows, in.AsOf)
	d0 := in.AsOf.AddDate(0, 0, -Window+1)
	d1 := in.AsOf.AddDate(0, 0, 1)
	d2 := in.AsOf.AddDate(0, 0, Window)
	for _, part := range []struct {
		title string
		rows  []Departure
		none  string
	}{
		{fmt.Sprintf("Last %d days (%s)", Window, span(d0, in.AsOf)), past, "No departure in the last 7 days."},
		{fmt.Sprintf("Next %d days (%s)", Window, span(d1, d2)), next, "No departure planned in the next 7 days."},
	} {
		s.heading(part.title)
		if len(part.rows) == 0 {
			s.note(part.none)
			continue
		}
		t := newTable(col("Departure", 0.19), col("Route", 0.33), col("When", 0.18), ncol("Seats", 0.08),
			ncol("Planned", 0.09), col("Note", 0.13))
		for _, r := range part.rows {
			aboard := "—"
			if r.Passengers >= 0 {
				aboard = thousands(r.Passengers)
			}
			note := r.Note
			if r.Eligible != "" {
				note = strings.TrimPrefix(note+"; only "+r.Eligible, "; ")
			}
			t.row(txt(r.ID), txt(r.Route), txt(when(r.Departs, loc)), num(r.Seats), txt(aboard), txt(note))
		}
		s.table(t)
	}
	return s
}

func rollCallSection(in Input) section {
	s := section{ID: "rollcalls", Title: "Roll calls"}
	if in.RollCalls == nil {
		s.note("No roll calls recorded yet.")
		return s
	}
	if len(in.RollCalls.Rows) == 0 {
		s.note(fmt.Sprintf("No roll call open, or started in the last %d days.", Window))
		return s
	}
	t := newTable(col("Roll call", 0.25), col("Scope", 0.1), col("Started", 0.17), col("State", 0.08),
		ncol("Expected", 0.11), ncol("Safe", 0.08), ncol("Need help", 0.1), ncol("No answer", 0.11))
	for _, r := range in.RollCalls.Rows {
		scope := r.Mission
		if scope == "" {
			scope = "everyone"
		}
		state := "closed"
		if r.Open {
			state = "open"
		}
		t.row(txt(fmt.Sprintf("#%d %s", r.ID, r.Title)), txt(scope), txt(when(r.Started, in.AsOf.Location())), txt(state),
			num(r.Expected), num(r.Safe), cell{Text: thousands(r.NeedHelp), Warn: r.NeedHelp > 0},
			cell{Text: thousands(r.NoResponse), Warn: r.NoResponse > 0})
	}
	s.table(t)
	return s
}

func medicalSection(in Input) section {
	s := section{ID: "medical", Title: "Open medical cases"}
	m := in.Medical
	if m == nil {
		s.note("No medical cases recorded yet.")
		return s
	}
	total := m.Urgent + m.Priority + m.Routine
	if total == 0 {
		s.note("No open medical cases.")
		return s
	}
	t := newTable(ncol("Urgent", 0.25), ncol("Priority", 0.25), ncol("Routine", 0.25), ncol("Total", 0.25))
	t.row(cell{Text: thousands(m.Urgent), Warn: m.Urgent > 0}, num(m.Priority), num(m.Routine), num(total))
	s.table(t)
	if in.Mission == nil && len(m.ByMission) > 0 {
		s.heading("By mission")
		t := newTable(col("Mission", 0.2), ncol("Urgent", 0.2), ncol("Priority", 0.2), ncol("Routine", 0.2), ncol("Total", 0.2))
		for _, c := range m.ByMission {
			t.row(txt(c.Mission), cell{Text: thousands(c.Urgent), Warn: c.Urgent > 0}, num(c.Priority), num(c.Routine),
				num(c.Urgent+c.Priority+c.Routine))
		}
		s.table(t)
		s.note("A corps report gives counts only; each mission's report lists its own cases.")
	}
	if in.Mission != nil && len(m.Cases) > 0 {
		s.heading("Cases")
		t := newTable(col("Person", 0.3), col("Precedence", 0.14), col("Need", 0.4), col("Opened", 0.16))
		for _, c := range m.Cases {
			who := c.Person
			if c.Name != "" {
				who = c.Name + " (" + c.Person + ")"
			}
			opened := ""
			if !c.Opened.IsZero() {
				opened = c.Opened.In(in.AsOf.Location()).Format("2 Jan 2006")
			}
			t.row(txt(who), cell{Text: c.Precedence, Warn: c.Precedence == "urgent"}, txt(c.Need), txt(opened))
		}
		s.table(t)
	}
	return s
}

func restrictionSection(in Input) section {
	s := section{ID: "restrictions", Title: "Restrictions in force"}
	if in.Restrictions == nil {
		s.note("No restrictions recorded yet.")
		return s
	}
	if len(in.Restrictions.Rows) == 0 {
		s.note("No restriction in force.")
		return s
	}
	t := newTable(col("Since", 0.13), col("Until", 0.11), col("Kind", 0.13), col("What", 0.4), col("Source", 0.23))
	for _, r := range in.Restrictions.Rows {
		until := "no end set"
		if r.Ends != "" {
			until = shortDateYear(r.Ends)
		}
		what := r.Note
		if r.Crossing != "" {
			what = strings.TrimSuffix("At "+r.Crossing+". "+what, " ")
		}
		if r.Kind == "quarantine" && r.Days > 0 && !strings.Contains(what, strconv.Itoa(r.Days)) {
			what = strings.TrimSpace(fmt.Sprintf("%s (%d days)", what, r.Days))
		}
		t.row(txt(shortDateYear(r.Starts)), txt(until), txt(words(r.Kind)), txt(what), txt(r.Source))
	}
	s.table(t)
	return s
}

func statementSection(in Input) section {
	s := section{ID: "statements", Title: "Statements published"}
	if in.Statements == nil {
		s.note("No statements recorded yet.")
		return s
	}
	if len(in.Statements.Rows) == 0 {
		s.note(fmt.Sprintf("No statement published in the last %d days.", Window))
		return s
	}
	t := newTable(col("Published", 0.2), col("By", 0.12), col("Title", 0.68))
	for _, r := range in.Statements.Rows {
		by := r.Mission
		if by == "" {
			by = "corps"
		}
		title := r.Title
		if !r.Withdrawn.IsZero() {
			title += " (withdrawn " + when(r.Withdrawn, in.AsOf.Location()) + ")"
		}
		t.row(txt(when(r.Published, in.AsOf.Location())), txt(by), cell{Text: title, Link: r.URL})
	}
	s.table(t)
	return s
}
