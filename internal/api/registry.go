package api

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/transport"
)

// MissionSummary is a mission with its headcount now: an aggregate that
// every signed-in role may read.
type MissionSummary struct {
	outpost.Mission
	InCountry              int  `json:"in_country"`
	InTransit              int  `json:"in_transit"`
	Left                   int  `json:"left"`
	HeadOfMissionInCountry bool `json:"head_of_mission_in_country"`
}

// MissionList is the answer of GET /api/v1/missions.
type MissionList struct {
	Missions []MissionSummary `json:"missions"`
}

// PeoplePage is one page of a listing of people. Next is the cursor of
// the following page (pass it as after), empty on the last page.
type PeoplePage struct {
	People []outpost.Person `json:"people"`
	Next   string           `json:"next,omitempty"`
}

// PersonDetail is a person with their presence history.
type PersonDetail struct {
	Person outpost.Person  `json:"person"`
	Events []outpost.Event `json:"events"`
}

// TrackRequest records a checkpoint; At is a time or a date (default now).
type TrackRequest struct {
	Checkpoint string `json:"checkpoint"`
	At         string `json:"at,omitempty"`
	Note       string `json:"note,omitempty"`
}

// AuditPage is a listing of the audit log, newest first.
type AuditPage struct {
	Entries []outpost.AuditEntry `json:"entries"`
}

// HeadcountSeries is the number of people in the country at the end of
// each day.
type HeadcountSeries struct {
	Days []census.DayCount `json:"days"`
}

var asOfParam = Param{Name: "as_of", In: "query",
	Description: "the moment: RFC 3339, YYYY-MM-DDTHH:MM in the post's time zone, or a date meaning the end of that day; default now"}

// registryRoutes are the routes of the registry and the census.
func (a *API) registryRoutes() []Route {
	notFound := []int{404}
	return []Route{
		{Method: "GET", Path: "/api/v1/census", Handler: a.census, Doc: Op{
			Summary: "The census: who is in the country at a moment", Tags: []string{"census"},
			Description: "Counts by status, heads of mission present, missions by status, and breakdowns by mission, nationality and category (INTERFACES.md). Any signed-in role may read it.",
			Params:      []Param{asOfParam}, Response: census.Census{}, Errors: []int{400}}},
		{Method: "GET", Path: "/api/v1/census/headcount", Handler: a.headcount, Doc: Op{
			Summary: "The daily headcount between two dates", Tags: []string{"census"},
			Params: []Param{
				{Name: "from", In: "query", Required: true, Description: "first date, YYYY-MM-DD"},
				{Name: "to", In: "query", Required: true, Description: "last date, YYYY-MM-DD, at most 3660 days after from"},
			}, Response: HeadcountSeries{}, Errors: []int{400}}},
		{Method: "GET", Path: "/api/v1/missions", Handler: a.missions, Doc: Op{
			Summary: "Every mission with its status and headcount", Tags: []string{"missions"},
			Params: []Param{asOfParam}, Response: MissionList{}, Errors: []int{400}}},
		{Method: "GET", Path: "/api/v1/missions/{code}", Handler: a.mission, Doc: Op{
			Summary: "One mission with its headcount", Tags: []string{"missions"},
			Params:   []Param{{Name: "code", In: "path", Required: true, Description: "the mission's code, e.g. RU"}, asOfParam},
			Response: MissionSummary{}, Errors: []int{400, 404}}},
		{Method: "GET", Path: "/api/v1/people", Handler: a.people, Doc: Op{
			Summary: "People, filtered and paginated by id", Tags: []string{"people"},
			Description: "Mission-bound roles see only their own mission's people; the coordinator sees none (403). " +
				"Passports are shown only to the admin and to the managers and staff of the person's mission.",
			Params: []Param{
				{Name: "mission", In: "query", Description: "only this mission's people"},
				{Name: "status", In: "query", Description: "only people with this current status", Enum: outpost.Statuses},
				{Name: "q", In: "query", Description: "search ids, names, households (and passports, for those who may see them)"},
				{Name: "after", In: "query", Description: "the cursor: next of the previous page"},
				{Name: "limit", In: "query", Type: "integer", Description: "page size, 1 to 500 (default 50)"},
			}, Response: PeoplePage{}, Errors: []int{400, 403}}},
		{Method: "GET", Path: "/api/v1/people/{id}", Handler: a.person, Doc: Op{
			Summary: "A person with their presence history", Tags: []string{"people"},
			Description: "A person of another mission answers 404, as if they did not exist.",
			Params:      []Param{{Name: "id", In: "path", Required: true, Description: "the person's id, e.g. RU-0001"}},
			Response:    PersonDetail{}, Errors: notFound}},
		{Method: "POST", Path: "/api/v1/people/{id}/track", Handler: a.track, Doc: Op{
			Summary: "Record a departure checkpoint for a person", Tags: []string{"people"},
			Description: "checkpoint is one of " + strings.Join(outpost.Checkpoints, ", ") +
				": departed makes the person in transit, crossed and arrived gone, returned back in the country. Managers and staff of the person's mission, and the admin.",
			Params: []Param{{Name: "id", In: "path", Required: true, Description: "the person's id"}},
			Body:   TrackRequest{}, Response: outpost.Event{}, Status: http.StatusCreated, Errors: []int{400, 403, 404}}},
		{Method: "GET", Path: "/api/v1/audit", Handler: a.audit, Doc: Op{
			Summary: "The audit log, newest first", Tags: []string{"audit"},
			Description: "Every write: who, when, what, the record before and after. The admin reads all of it, a manager their mission's.",
			Params: []Param{
				{Name: "mission", In: "query", Description: "only this mission's entries"},
				{Name: "entity", In: "query", Description: "only entries about this kind of record, e.g. person, user"},
				{Name: "limit", In: "query", Type: "integer", Description: "at most this many, 1 to 1000 (default 100)"},
			}, Response: AuditPage{}, Errors: []int{400, 403}}},
	}
}

func (a *API) census(w http.ResponseWriter, r *http.Request) error {
	if !transport.Caller(r).Can(outpost.ReadCensus, "") {
		return outpost.Errorf(outpost.EFORBIDDEN, "you may not read the census")
	}
	snap, err := a.Snapshots.Snapshot(r.Context())
	if err != nil {
		return err
	}
	t, err := transport.AsOf(r, a.Now(), snap.Loc)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, snap.Census(t))
	return nil
}

func (a *API) headcount(w http.ResponseWriter, r *http.Request) error {
	if !transport.Caller(r).Can(outpost.ReadCensus, "") {
		return outpost.Errorf(outpost.EFORBIDDEN, "you may not read the census")
	}
	q := r.URL.Query()
	from, err := outpost.ParseDate(q.Get("from"))
	if err != nil {
		return outpost.Errorf(outpost.EINVALID, "from %q: %v", q.Get("from"), err)
	}
	to, err := outpost.ParseDate(q.Get("to"))
	if err != nil {
		return outpost.Errorf(outpost.EINVALID, "to %q: %v", q.Get("to"), err)
	}
	if msg := outpost.CheckDateRange(from, to); msg != "" {
		return outpost.Errorf(outpost.EINVALID, "from %s to %s: %s", from, to, msg)
	}
	snap, err := a.Snapshots.Snapshot(r.Context())
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, HeadcountSeries{Days: snap.Headcount(from, to)})
	return nil
}

// Summaries returns every mission with its headcount in the census c.
func Summaries(snap *Snapshot, c census.Census) []MissionSummary {
	byCode := map[string]census.MissionCount{}
	for _, m := range c.ByMission {
		byCode[m.Code] = m
	}
	out := make([]MissionSummary, 0, len(snap.Missions))
	for _, m := range snap.Missions {
		mc := byCode[m.Code]
		out = append(out, MissionSummary{Mission: m, InCountry: mc.InCountry, InTransit: mc.InTransit,
			Left: mc.Left, HeadOfMissionInCountry: mc.HeadOfMissionInCountry})
	}
	return out
}

func (a *API) missions(w http.ResponseWriter, r *http.Request) error {
	if !transport.Caller(r).Can(outpost.ReadMissions, "") {
		return outpost.Errorf(outpost.EFORBIDDEN, "you may not read the missions")
	}
	snap, err := a.Snapshots.Snapshot(r.Context())
	if err != nil {
		return err
	}
	t, err := transport.AsOf(r, a.Now(), snap.Loc)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, MissionList{Missions: Summaries(snap, snap.Census(t))})
	return nil
}

func (a *API) mission(w http.ResponseWriter, r *http.Request) error {
	if !transport.Caller(r).Can(outpost.ReadMissions, "") {
		return outpost.Errorf(outpost.EFORBIDDEN, "you may not read the missions")
	}
	snap, err := a.Snapshots.Snapshot(r.Context())
	if err != nil {
		return err
	}
	t, err := transport.AsOf(r, a.Now(), snap.Loc)
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	for _, m := range Summaries(snap, snap.Census(t)) {
		if m.Code == code {
			WriteJSON(w, http.StatusOK, m)
			return nil
		}
	}
	return outpost.Errorf(outpost.ENOTFOUND, "no mission %q", code)
}

// PeopleFilter reads the filters of a people listing from the query and
// restricts them to what the caller may see; false means they may see
// nobody of the mission asked for.
func PeopleFilter(r *http.Request) (outpost.PeopleFilter, bool, error) {
	q := r.URL.Query()
	f := outpost.PeopleFilter{Query: strings.TrimSpace(q.Get("q")), After: q.Get("after"), Mission: q.Get("mission")}
	if err := f.Check(); err != nil {
		return f, false, err
	}
	f.Mission = ""
	if s := q.Get("status"); s != "" {
		if !slices.Contains(outpost.Statuses, s) {
			return f, false, outpost.Errorf(outpost.EINVALID, "status %q: want one of %s", s, strings.Join(outpost.Statuses, ", "))
		}
		f.Status = outpost.Status(s)
	}
	u := transport.Caller(r)
	if !u.CanSome(outpost.ReadPeople) {
		return f, false, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) sees the aggregates of every mission, not people's records", u.Role)
	}
	f, ok := u.RestrictPeople(f, q.Get("mission"))
	return f, ok, nil
}

// ListPeople returns one page of people for the caller of r, limit at
// most, with the cursor of the next page, passports removed where the
// caller may not see them.
func ListPeople(r *http.Request, s outpost.RegistryStore, f outpost.PeopleFilter, limit int) (PeoplePage, error) {
	page := PeoplePage{People: []outpost.Person{}}
	f.Limit = limit + 1
	list, err := s.People(r.Context(), f)
	if err != nil {
		return page, err
	}
	if len(list) > limit {
		list = list[:limit]
		page.Next = list[limit-1].ID
	}
	u := transport.Caller(r)
	for _, p := range list {
		if !u.Can(outpost.ReadPeople, p.Mission) {
			continue // the filter already excludes them; this is the second lock
		}
		if !u.Can(outpost.ReadPassports, p.Mission) {
			p.Passport = ""
		}
		page.People = append(page.People, p)
	}
	return page, nil
}

func (a *API) people(w http.ResponseWriter, r *http.Request) error {
	f, ok, err := PeopleFilter(r)
	if err != nil {
		return err
	}
	limit, err := transport.QueryInt(r, "limit", 50, 500)
	if err != nil {
		return err
	}
	if !ok {
		WriteJSON(w, http.StatusOK, PeoplePage{People: []outpost.Person{}})
		return nil
	}
	page, err := ListPeople(r, a.Store, f, limit)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, page)
	return nil
}

// VisiblePerson returns the person with this id if the caller may read
// their record, with the passport removed unless they may see it; a person
// of another mission is ENOTFOUND, exactly as one who does not exist.
func VisiblePerson(r *http.Request, s outpost.RegistryStore, id string) (outpost.Person, error) {
	u := transport.Caller(r)
	notFound := NoPerson(id)
	if !u.CanSome(outpost.ReadPeople) || !outpost.IsID(id) {
		return outpost.Person{}, notFound
	}
	p, err := s.Person(r.Context(), id)
	if err != nil {
		if outpost.ErrorCode(err) == outpost.ENOTFOUND {
			return outpost.Person{}, notFound
		}
		return outpost.Person{}, err
	}
	if !u.Can(outpost.ReadPeople, p.Mission) {
		return outpost.Person{}, notFound
	}
	if !u.Can(outpost.ReadPassports, p.Mission) {
		p.Passport = ""
	}
	return p, nil
}

func (a *API) person(w http.ResponseWriter, r *http.Request) error {
	p, err := VisiblePerson(r, a.Store, r.PathValue("id"))
	if err != nil {
		return err
	}
	evs, err := a.Store.Events(r.Context(), p.ID)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, PersonDetail{Person: p, Events: evs})
	return nil
}

// Track records a checkpoint for a person the caller may track, with the
// caller as the actor; loc reads a local time or date.
func Track(r *http.Request, s outpost.Store, now time.Time, loc *time.Location, id string, req TrackRequest) (outpost.Event, error) {
	p, err := VisiblePerson(r, s, id)
	if err != nil {
		return outpost.Event{}, err
	}
	if !transport.Caller(r).Can(outpost.TrackPeople, p.Mission) {
		return outpost.Event{}, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not record checkpoints", transport.Caller(r).Role)
	}
	if !slices.Contains(outpost.Checkpoints, req.Checkpoint) {
		return outpost.Event{}, outpost.Errorf(outpost.EINVALID, "checkpoint %q: want one of %s", req.Checkpoint, strings.Join(outpost.Checkpoints, ", "))
	}
	at := now.In(loc).Truncate(time.Second)
	if req.At != "" {
		t, err := outpost.ParseTime(req.At, loc)
		if err != nil {
			return outpost.Event{}, outpost.Errorf(outpost.EINVALID, "at %q: %v", req.At, err)
		}
		at = t
	}
	if msg := outpost.CheckEventTime(at, time.Time{}, now); msg != "" {
		return outpost.Event{}, outpost.Errorf(outpost.EINVALID, "at %q: %s", req.At, msg)
	}
	if len(req.Note) > 500 {
		return outpost.Event{}, outpost.Errorf(outpost.EINVALID, "note: at most 500 characters")
	}
	if msg := outpost.CheckText(req.Note, 500); msg != "" {
		return outpost.Event{}, outpost.Errorf(outpost.EINVALID, "note: %s", msg)
	}
	return s.Track(transport.Actor(r), outpost.Track{Person: p.ID, Checkpoint: outpost.Checkpoint(req.Checkpoint), At: at, Note: req.Note})
}

func (a *API) track(w http.ResponseWriter, r *http.Request) error {
	// Look the person up before reading the body, so that a person of
	// another mission answers 404 whatever was sent.
	if _, err := VisiblePerson(r, a.Store, r.PathValue("id")); err != nil {
		return err
	}
	var req TrackRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	loc, err := Location(r.Context(), a.Store)
	if err != nil {
		return err
	}
	ev, err := Track(r, a.Store, a.Now(), loc, r.PathValue("id"), req)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, ev)
	return nil
}

// AuditFilter reads the filters of an audit listing and restricts them to
// what the caller may see; false means nothing.
func AuditFilter(r *http.Request) (outpost.AuditFilter, bool, error) {
	u := transport.Caller(r)
	if !u.CanSome(outpost.ReadAudit) {
		return outpost.AuditFilter{}, false, outpost.Errorf(outpost.EFORBIDDEN, "only the admin and a mission's manager read the audit log")
	}
	limit, err := transport.QueryInt(r, "limit", 100, 1000)
	if err != nil {
		return outpost.AuditFilter{}, false, err
	}
	q := r.URL.Query()
	mission, ok := u.Restrict(outpost.ReadAudit, q.Get("mission"))
	return outpost.AuditFilter{Mission: mission, Entity: q.Get("entity"), Limit: limit}, ok, nil
}

func (a *API) audit(w http.ResponseWriter, r *http.Request) error {
	f, ok, err := AuditFilter(r)
	if err != nil {
		return err
	}
	page := AuditPage{Entries: []outpost.AuditEntry{}}
	if ok {
		if page.Entries, err = a.Store.Audit(r.Context(), f); err != nil {
			return err
		}
	}
	WriteJSON(w, http.StatusOK, page)
	return nil
}
