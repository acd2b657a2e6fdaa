package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/transport"
)

// EvacPage is the data of the evacuation overview: departures, the
// restrictions in force today, the saved plans and the planning form.
type EvacPage struct {
	Today    outpost.Date
	Upcoming []evacuation.DepartureInfo
	Past     []evacuation.DepartureInfo
	// Seats counts the seats of the upcoming departures that are usable.
	Seats   int
	InForce []evacuation.RestrictionInfo
	// Restrictions counts every restriction recorded.
	Restrictions int
	Plans        []outpost.PlanSummary
	CanPlan      bool
	Form         PlanForm
	// Map is the evacuation map of ?map_on= (today) with the newest
	// plan's routes, nil for a caller who may not see it.
	Map *MapPart
}

// PlanForm is the planning form's value and its error.
type PlanForm struct {
	Start, Error string
}

// RestrictionsPage is the data of the list of restrictions.
type RestrictionsPage struct {
	List evacuation.RestrictionList
	// Asked is the day asked about, empty for today.
	Asked   string
	InForce int
}

// PlanPage is the data of a saved plan's page.
type PlanPage struct {
	View evacuation.PlanView
	// Gap says how far below its proven bound the plan may be, "0.04%".
	Gap   string
	Score string
	Bound string
	// Unplaced counts the households left out, Staying the essential
	// people kept for minimum staff.
	Unplaced, Staying int
	CanManifest       bool
	CanPlan           bool
	// Made is true right after the plan was made.
	Made bool
	// Map is the plan's routes on the map, its crossings as on ?map_on=
	// (the plan's first day).
	Map *MapPart
	// Previous is the plan made just before this one (0: none), to
	// compare with; CanJoint is true for who may print the joint
	// manifest of a shared convoy.
	Previous int64
	CanJoint bool
}

// evacPages are the evacuation pages: the overview with the planning
// form, the restrictions, a plan by departure, and each departure's
// tracking board with its manifest downloads.
func (h *Web) evacPages() []Page {
	return []Page{
		{Method: "GET", Path: "/evac", Handler: h.evac, Nav: &NavItem{Label: "Evacuation", Order: 91,
			Show: func(u outpost.User) bool { return u.CanSome(evacuation.ReadEvacuation) }}},
		{Method: "GET", Path: "/evac/restrictions", Handler: h.evacRestrictions},
		{Method: "POST", Path: "/evac/plans", Handler: h.evacMakePlan},
		{Method: "GET", Path: "/evac/plans/{plan}", Handler: h.evacPlan},
		{Method: "GET", Path: "/evac/plans/{plan}/departures/{departure}", Handler: h.evacBoard},
		{Method: "POST", Path: "/evac/plans/{plan}/departures/{departure}/track", Handler: h.evacTrack},
		{Method: "GET", Path: "/evac/plans/{plan}/departures/{departure}/manifest.csv", Handler: h.evacManifest("csv")},
		{Method: "GET", Path: "/evac/plans/{plan}/departures/{departure}/manifest.pdf", Handler: h.evacManifest("pdf")},
	}
}

func (h *Web) evacPage(r *http.Request) (EvacPage, error) {
	u := transport.Caller(r)
	deps, err := h.Evacuation.Departures(r.Context(), u)
	if err != nil {
		return EvacPage{}, err
	}
	rs, err := h.Evacuation.Restrictions(r.Context(), u, "", false)
	if err != nil {
		return EvacPage{}, err
	}
	p := EvacPage{Today: rs.On, Restrictions: len(rs.Restrictions), CanPlan: u.Can(evacuation.MakePlans, ""),
		Form: PlanForm{Start: string(rs.On)}}
	for _, d := range deps {
		if d.Past {
			p.Past = append([]evacuation.DepartureInfo{d}, p.Past...)
			continue
		}
		p.Upcoming = append(p.Upcoming, d)
		if d.Closed == "" {
			p.Seats += d.Seats
		}
	}
	for _, x := range rs.Restrictions {
		if x.InForce {
			p.InForce = append(p.InForce, x)
		}
	}
	if p.Plans, err = h.Evacuation.Plans(r.Context(), u); err != nil {
		return p, err
	}
	if p.Map, err = h.overviewMap(r); err != nil {
		return p, err
	}
	return p, nil
}

func (h *Web) evac(w http.ResponseWriter, r *http.Request) error {
	p, err := h.evacPage(r)
	if err != nil {
		return err
	}
	return h.Render(w, r, http.StatusOK, "evac", p)
}

func (h *Web) evacRestrictions(w http.ResponseWriter, r *http.Request) error {
	on := r.URL.Query().Get("on")
	list, err := h.Evacuation.Restrictions(r.Context(), transport.Caller(r), outpost.Date(on), false)
	if err != nil {
		return err
	}
	p := RestrictionsPage{List: list, Asked: on}
	for _, x := range list.Restrictions {
		if x.InForce {
			p.InForce++
		}
	}
	return h.Render(w, r, http.StatusOK, "evac_restrictions", p)
}

func (h *Web) evacMakePlan(w http.ResponseWriter, r *http.Request) error {
	if err := form(w, r); err != nil {
		return err
	}
	start := r.PostForm.Get("start")
	v, err := h.Evacuation.MakePlan(r.Context(), transport.Caller(r), outpost.Date(start))
	if outpost.ErrorCode(err) == outpost.EINVALID {
		p, perr := h.evacPage(r)
		if perr != nil {
			return perr
		}
		p.Form = PlanForm{Start: start, Error: outpost.ErrorMessage(err)}
		return h.Render(w, r, http.StatusBadRequest, "evac", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/evac/plans/%d?made=1", v.Plan), http.StatusSeeOther)
	return nil
}

// gap says how far below its bound a plan's score may be.
func gap(score, bound int64) string {
	if bound <= 0 || score >= bound {
		return "0%"
	}
	return fmt.Sprintf("%.2f%%", 100*float64(bound-score)/float64(bound))
}

func (h *Web) evacPlan(w http.ResponseWriter, r *http.Request) error {
	id, err := evacuation.PlanID(r.PathValue("plan"))
	if err != nil {
		return err
	}
	v, err := h.Evacuation.Plan(r.Context(), transport.Caller(r), id)
	if err != nil {
		return err
	}
	u := transport.Caller(r)
	p := PlanPage{View: v, Gap: gap(v.Score, v.Bound), Score: outpost.Thousands(int(v.Score)), Bound: outpost.Thousands(int(v.Bound)),
		CanManifest: u.CanSome(evacuation.ReadManifests), CanPlan: u.Can(evacuation.MakePlans, ""),
		Made: r.URL.Query().Get("made") != ""}
	for _, c := range v.UnassignedCounts {
		p.Unplaced += c.Households
	}
	for _, c := range v.StayingByMission {
		p.Staying += c.People
	}
	if p.Map, err = h.planMap(r, v); err != nil {
		return err
	}
	if err := h.planExtras(r, &p); err != nil {
		return err
	}
	return h.Render(w, r, http.StatusOK, "evac_plan", p)
}

// BoardPage is the data of a departure's tracking board.
type BoardPage struct {
	Board evacuation.Board
	Plan  int64
	// Stages are the counts to show, in the order of a journey.
	Stages []StageCount
	Rows   []BoardLine
	// Left is true once the departure has left; When says when it leaves
	// or left, in words.
	Left        bool
	When        string
	CanManifest bool
	Checkpoints []string
	// Tracked names the person whose checkpoint was just recorded.
	Tracked string
	Error   string
	// Bulk is the form that marks a household or everyone at once
	// (corrections.go); nil when the caller may track nobody here.
	Bulk *BulkPanel
}

// StageCount is one tile of the board.
type StageCount struct {
	Key, Label string
	Count      int
}

// BoardLine is a row of the board and whether the caller may record a
// checkpoint for it.
type BoardLine struct {
	evacuation.BoardRow
	CanTrack bool
	// Next is the checkpoint the form offers first.
	Next string
}

// nextCheckpoint is the checkpoint that usually follows the last one.
func nextCheckpoint(last string) string {
	switch last {
	case "assembled":
		return "departed"
	case "departed":
		return "crossed"
	case "crossed", "arrived":
		return "arrived"
	}
	return "assembled"
}

func (h *Web) boardPage(r *http.Request) (BoardPage, error) {
	id, err := evacuation.PlanID(r.PathValue("plan"))
	if err != nil {
		return BoardPage{}, err
	}
	b, err := h.Evacuation.Board(r.Context(), transport.Caller(r), id, r.PathValue("departure"))
	if err != nil {
		return BoardPage{}, err
	}
	now := h.Now()
	u := transport.Caller(r)
	p := BoardPage{Board: b, Plan: b.Plan, Left: now.After(b.Departs), When: until(now, b.Departs), CanManifest: u.CanSome(evacuation.ReadManifests),
		Checkpoints: outpost.Checkpoints}
	p.Stages = []StageCount{
		{"total", "On the manifest", b.Total},
		{"manifested", "Not yet assembled", b.Counts["manifested"]},
		{"assembled", "Assembled", b.Counts["assembled"]},
		{"departed", "Departed", b.Counts["departed"]},
		{"crossed", "Crossed the border", b.Counts["crossed"]},
		{"arrived", "Arrived", b.Counts["arrived"]},
	}
	if n := b.Counts["returned"]; n > 0 {
		p.Stages = append(p.Stages, StageCount{"returned", "Returned", n})
	}
	p.Stages = append(p.Stages, StageCount{"unaccounted", "Unaccounted for", b.Counts["unaccounted"]})
	for _, row := range b.People {
		p.Rows = append(p.Rows, BoardLine{BoardRow: row, CanTrack: u.Can(outpost.TrackPeople, row.Mission), Next: nextCheckpoint(row.Checkpoint)})
	}
	return p, nil
}

func (h *Web) evacBoard(w http.ResponseWriter, r *http.Request) error {
	p, err := h.boardPage(r)
	if err != nil {
		return err
	}
	if t := r.URL.Query().Get("tracked"); p.Board.HasPassenger(t) {
		p.Tracked = t
	}
	p.Bulk = bulkPanel(r, p)
	return h.Render(w, r, http.StatusOK, "evac_board", p)
}

func (h *Web) evacTrack(w http.ResponseWriter, r *http.Request) error {
	if err := form(w, r); err != nil {
		return err
	}
	person := r.PostForm.Get("person")
	req := registry.TrackRequest{Checkpoint: r.PostForm.Get("checkpoint"), Note: r.PostForm.Get("note")}
	_, err := h.trackOnBoard(r, person, req)
	if outpost.ErrorCode(err) == outpost.EINVALID {
		p, perr := h.boardPage(r)
		if perr != nil {
			return perr
		}
		p.Error = outpost.ErrorMessage(err)
		return h.Render(w, r, http.StatusBadRequest, "evac_board", p)
	}
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/evac/plans/%s/departures/%s?tracked=%s#row-%s", url.PathEscape(r.PathValue("plan")),
		url.PathEscape(r.PathValue("departure")), url.QueryEscape(person), url.PathEscape(person))
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func (h *Web) evacManifest(format string) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		u := transport.Caller(r)
		id, err := evacuation.ManifestPlanID(u, r.PathValue("plan"))
		if err != nil {
			return err
		}
		f, err := h.Evacuation.ManifestFile(r.Context(), u, id, r.PathValue("departure"), format)
		if err != nil {
			return err
		}
		return transport.WriteAttachment(w, r, f.Name, f.ContentType, &f.Body)
	}
}

// trackOnBoard records a checkpoint for a passenger of the board the
// form was sent from.
func (h *Web) trackOnBoard(r *http.Request, person string, req registry.TrackRequest) (outpost.Event, error) {
	id, err := evacuation.PlanID(r.PathValue("plan"))
	if err != nil {
		return outpost.Event{}, err
	}
	return h.Evacuation.TrackOnBoard(r.Context(), transport.Caller(r), id, r.PathValue("departure"), person,
		func(ctx context.Context) (outpost.Event, error) {
			return h.Registry.Track(ctx, transport.Caller(r), person, req)
		})
}

// until says how long until t, or how long ago it was, in words.
func until(now, t time.Time) string {
	d := t.Sub(now)
	ago := d < 0
	if ago {
		d = -d
	}
	var s string
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		s = units(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		s = units(int(d/time.Hour), "hour")
	default:
		s = units(int(d/(24*time.Hour)), "day")
	}
	if ago {
		return s + " ago"
	}
	return "in " + s
}

// units writes n of a unit, "1 hour", "3 days".
func units(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
