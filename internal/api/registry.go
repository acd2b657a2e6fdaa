package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/transport"
)

// The registry's request and answer types are the service's: their json
// tags are the API's.
type (
	MissionSummary = registry.MissionSummary
	PeoplePage     = registry.PeoplePage
	PersonDetail   = registry.PersonDetail
	TrackRequest   = registry.TrackRequest
)

// MissionList is the answer of GET /api/v1/missions.
type MissionList struct {
	Missions []MissionSummary `json:"missions"`
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
	snap, err := a.Census.Read(r.Context(), transport.Caller(r))
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
	q := r.URL.Query()
	days, err := a.Census.Headcount(r.Context(), transport.Caller(r), outpost.Date(q.Get("from")), outpost.Date(q.Get("to")))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, HeadcountSeries{Days: days})
	return nil
}

// asOf is the moment of the request's as_of in the post's time zone.
func (a *API) asOf(r *http.Request) censusservice.Moment {
	return func(loc *time.Location) (time.Time, error) { return transport.AsOf(r, a.Now(), loc) }
}

func (a *API) missions(w http.ResponseWriter, r *http.Request) error {
	list, err := a.Registry.Missions(r.Context(), transport.Caller(r), a.asOf(r))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, MissionList{Missions: list})
	return nil
}

func (a *API) mission(w http.ResponseWriter, r *http.Request) error {
	m, err := a.Registry.Mission(r.Context(), transport.Caller(r), r.PathValue("code"), a.asOf(r))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, m)
	return nil
}

// peopleQuery is the listing of people a request asks for.
func peopleQuery(r *http.Request) registry.PeopleQuery {
	q := r.URL.Query()
	return registry.PeopleQuery{Query: q.Get("q"), After: q.Get("after"), Mission: q.Get("mission"), Status: q.Get("status")}
}

// PeopleFilter reads the filters of a people listing from the query and
// restricts them to what the caller may see; false means they may see
// nobody of the mission asked for.
func PeopleFilter(r *http.Request) (outpost.PeopleFilter, bool, error) {
	return registry.PeopleFilter(transport.Caller(r), peopleQuery(r))
}

func (a *API) people(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
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
	page, err := a.Registry.ListPeople(r.Context(), u, f, limit)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, page)
	return nil
}

func (a *API) person(w http.ResponseWriter, r *http.Request) error {
	d, err := a.Registry.Person(r.Context(), transport.Caller(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, d)
	return nil
}

func (a *API) track(w http.ResponseWriter, r *http.Request) error {
	// Look the person up before reading the body, so that a person of
	// another mission answers 404 whatever was sent.
	u := transport.Caller(r)
	if _, err := a.Registry.VisiblePerson(r.Context(), u, r.PathValue("id")); err != nil {
		return err
	}
	var req TrackRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	ev, err := a.Registry.Track(r.Context(), u, r.PathValue("id"), req)
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
	if err := registry.MayReadAudit(u); err != nil {
		return outpost.AuditFilter{}, false, err
	}
	limit, err := transport.QueryInt(r, "limit", 100, 1000)
	if err != nil {
		return outpost.AuditFilter{}, false, err
	}
	q := r.URL.Query()
	return registry.AuditFilter(u, q.Get("mission"), q.Get("entity"), limit)
}

func (a *API) audit(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
	f, ok, err := AuditFilter(r)
	if err != nil {
		return err
	}
	page := AuditPage{Entries: []outpost.AuditEntry{}}
	if ok {
		if page.Entries, err = a.Registry.Audit(r.Context(), u, f, ok); err != nil {
			return err
		}
	}
	WriteJSON(w, http.StatusOK, page)
	return nil
}
