package api

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/transport"
	"github.com/outpost-org/outpost/internal/welfare"
)

// RollCallView is a roll call and its answers as one user may see them:
// every count, by mission, for everyone who may read roll calls; who
// answered what only for the people whose answers the user may read.
type RollCallView struct {
	ID        int64      `json:"id"`
	Title     string     `json:"title"`
	Mission   string     `json:"mission,omitempty"`
	Status    string     `json:"status"`
	StartedAt time.Time  `json:"started_at"`
	StartedBy string     `json:"started_by,omitempty"`
	ClosedAt  *time.Time `json:"closed_at,omitempty"`
	// EscalateAfter is how long after the start non-responders are sent
	// to their mission's manager, in seconds; 0 never.
	EscalateAfter int64      `json:"escalate_after_seconds"`
	EscalatedAt   *time.Time `json:"escalated_at,omitempty"`
	Expected      int        `json:"expected"`
	Safe          int        `json:"safe"`
	NeedHelp      int        `json:"need_help"`
	NoResponse    int        `json:"no_response"`
	// NoResponseIDs and NeedHelpIDs list the people of Shown only.
	NoResponseIDs []string                    `json:"no_response_ids"`
	NeedHelpIDs   []string                    `json:"need_help_ids"`
	ByMission     []outpost.RollCallByMission `json:"by_mission"`
	// Shown says whose answers People lists: "all", one mission's code,
	// or "" for nobody's (counts only).
	Shown  string               `json:"shown"`
	People []outpost.ScopeEntry `json:"people"`
}

// RollCallList is the answer of GET /api/v1/rollcalls.
type RollCallList struct {
	RollCalls []RollCallView `json:"rollcalls"`
}

// RollCallRequest starts a roll call. Mission "" is, for a manager, their
// own mission and, for the admin, everyone in the country.
// EscalateAfter is a duration such as "2h" (empty: never).
type RollCallRequest struct {
	Title         string `json:"title"`
	Mission       string `json:"mission,omitempty"`
	EscalateAfter string `json:"escalate_after,omitempty"`
}

// CheckinRequest is one person's answer: status "safe" or "need_help".
type CheckinRequest struct {
	Person string `json:"person"`
	Status string `json:"status"`
	Note   string `json:"note,omitempty"`
}

// welfareRoutes are the routes of roll calls and check-ins.
func (a *API) welfareRoutes() []Route {
	rcParam := Param{Name: "rollcall", In: "path", Required: true, Type: "integer", Description: "the roll call's id"}
	tags := []string{"welfare"}
	return []Route{
		{Method: "GET", Path: "/api/v1/rollcalls", Handler: a.rollCalls, Doc: Op{
			Summary: "Roll calls, newest first, with their counts", Tags: tags,
			Description: "A mission's users see the roll calls over everyone and their own mission's; the admin and the coordinator every one. Counts only: the answers are on each roll call.",
			Params:      []Param{{Name: "limit", In: "query", Type: "integer", Description: "at most this many, 1 to 100 (default 20)"}},
			Response:    RollCallList{}, Errors: []int{400, 403}}},
		{Method: "POST", Path: "/api/v1/rollcalls", Handler: a.startRollCall, Doc: Op{
			Summary: "Start a roll call", Tags: tags,
			Description: "Over everyone in the country (the admin, mission empty) or one mission's people (the admin, or that mission's manager). escalate_after (e.g. \"2h\") sends each mission's non-responders to its manager once that time has passed.",
			Body:        RollCallRequest{}, Response: RollCallView{}, Status: http.StatusCreated, Errors: []int{400, 403, 404}}},
		{Method: "GET", Path: "/api/v1/rollcalls/{rollcall}", Handler: a.rollCall, Doc: Op{
			Summary: "A roll call's status: counts by mission, and the answers the caller may read", Tags: tags,
			Description: "The shape of `outpost rollcall status --json` and more. The coordinator and press get counts only; a mission's manager and staff their own mission's answers and non-responders; the admin everyone's.",
			Params:      []Param{rcParam}, Response: RollCallView{}, Errors: []int{404}}},
		{Method: "POST", Path: "/api/v1/rollcalls/{rollcall}/close", Handler: a.closeRollCall, Doc: Op{
			Summary: "Close a roll call: it takes no more answers", Tags: tags,
			Params: []Param{rcParam}, Response: RollCallView{}, Errors: []int{403, 404, 409}}},
		{Method: "POST", Path: "/api/v1/rollcalls/{rollcall}/checkins", Handler: a.checkIn, Doc: Op{
			Summary: "Record a person's answer", Tags: tags,
			Description: "status is safe or need_help; a later answer of the same person replaces the earlier one (the answer with the latest at is kept). Managers and staff for their mission's people, the admin for anyone. Answers of many clients are written together in few transactions; each request returns once its answer is committed.",
			Params:      []Param{rcParam}, Body: CheckinRequest{}, Response: outpost.Checkin{}, Status: http.StatusCreated,
			Errors: []int{400, 403, 404, 409}}},
		{Method: "GET", Path: "/api/v1/rollcalls/{rollcall}/links", Handler: a.rollCallLinks, Doc: Op{
			Summary: "Export the one-tap check-in links as CSV", Tags: tags,
			Description: "One row per person in scope (a manager: their mission's people): person, given_name, family_name, mission, link. A link needs no sign-in and works while the roll call is open.",
			Params: []Param{rcParam, {Name: "base_url", In: "query",
				Description: "where people reach the server, e.g. https://outpost.post.example (default: the address of this request)"}},
			Errors: []int{400, 403, 404}}},
	}
}

// rollCallID reads a roll call id from the path; anything that is not one
// answers 404, like a roll call that does not exist.
func rollCallID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, NoRollCall(s)
	}
	return id, nil
}

// VisibleRollCall returns the roll call with this id if the caller may
// know of it; another mission's roll call is ENOTFOUND, exactly as one
// that does not exist.
func VisibleRollCall(r *http.Request, s outpost.WelfareStore, idText string) (outpost.RollCall, error) {
	id, err := rollCallID(idText)
	if err != nil {
		return outpost.RollCall{}, err
	}
	notFound := NoRollCall(idText)
	if !transport.Caller(r).CanSome(welfare.ReadRollCalls) {
		return outpost.RollCall{}, notFound
	}
	rc, err := s.RollCall(r.Context(), id)
	if outpost.ErrorCode(err) == outpost.ENOTFOUND || (err == nil && !welfare.CanSee(transport.Caller(r), rc)) {
		return outpost.RollCall{}, notFound
	}
	return rc, err
}

// RollCallStatus counts a roll call's answers and lists those the caller
// may read.
func RollCallStatus(r *http.Request, s outpost.WelfareStore, rc outpost.RollCall) (RollCallView, error) {
	scope, err := s.RollCallScope(r.Context(), rc.ID)
	if err != nil {
		return RollCallView{}, err
	}
	return rollCallView(transport.Caller(r), rc, scope, true), nil
}

// rollCallView counts scope and, with answers, lists what u may read.
func rollCallView(u outpost.User, rc outpost.RollCall, scope []outpost.ScopeEntry, answers bool) RollCallView {
	v := RollCallView{ID: rc.ID, Title: rc.Title, Mission: rc.Mission, Status: rc.Status, StartedAt: rc.StartedAt,
		StartedBy: rc.StartedBy, ClosedAt: rc.ClosedAt, EscalateAfter: int64(rc.EscalateAfter / time.Second),
		EscalatedAt: rc.EscalatedAt, NoResponseIDs: []string{}, NeedHelpIDs: []string{},
		ByMission: []outpost.RollCallByMission{}, People: []outpost.ScopeEntry{}}
	switch {
	case !answers:
	case u.Role == outpost.RoleAdmin:
		v.Shown = "all"
	case u.Role.MissionBound() && u.Can(welfare.ReadAnswers, u.Mission):
		v.Shown = u.Mission
	}
	idx := map[string]int{}
	for _, e := range scope {
		i, ok := idx[e.Mission]
		if !ok {
			i = len(v.ByMission)
			idx[e.Mission] = i
			v.ByMission = append(v.ByMission, outpost.RollCallByMission{Mission: e.Mission})
		}
		m := &v.ByMission[i]
		v.Expected++
		m.Expected++
		shown := v.Shown != "" && u.Can(welfare.ReadAnswers, e.Mission)
		switch e.Status {
		case outpost.Safe:
			v.Safe++
			m.Safe++
		case outpost.NeedHelp:
			v.NeedHelp++
			m.NeedHelp++
			if shown {
				v.NeedHelpIDs = append(v.NeedHelpIDs, e.Person)
			}
		default:
			v.NoResponse++
			m.NoResponse++
			if shown {
				v.NoResponseIDs = append(v.NoResponseIDs, e.Person)
			}
		}
		if shown {
			v.People = append(v.People, e)
		}
	}
	return v
}

// RollCalls lists the roll calls the caller may see, newest first, at
// most limit, with their counts.
func RollCalls(r *http.Request, s outpost.WelfareStore, limit int) ([]RollCallView, error) {
	u := transport.Caller(r)
	if !u.CanSome(welfare.ReadRollCalls) {
		return nil, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not read roll calls", u.Role)
	}
	mission := ""
	if u.Role.MissionBound() {
		mission = u.Mission
	}
	rcs, err := s.RollCalls(r.Context(), mission)
	if err != nil {
		return nil, err
	}
	out := []RollCallView{}
	for _, rc := range rcs {
		if !welfare.CanSee(u, rc) {
			continue
		}
		if len(out) == limit {
			break
		}
		scope, err := s.RollCallScope(r.Context(), rc.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, rollCallView(u, rc, scope, false))
	}
	return out, nil
}

func (a *API) rollCalls(w http.ResponseWriter, r *http.Request) error {
	limit, err := transport.QueryInt(r, "limit", 20, 100)
	if err != nil {
		return err
	}
	list, err := RollCalls(r, a.Store, limit)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, RollCallList{RollCalls: list})
	return nil
}

// StartRollCall starts a roll call for a caller who may: the admin over
// everyone or one mission, a manager over their own mission.
func StartRollCall(r *http.Request, s outpost.WelfareStore, req RollCallRequest) (outpost.RollCall, error) {
	u := transport.Caller(r)
	if !u.CanSome(welfare.RunRollCalls) {
		return outpost.RollCall{}, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not start roll calls", u.Role)
	}
	mission := strings.TrimSpace(req.Mission)
	if mission == "" && u.Role.MissionBound() {
		mission = u.Mission
	}
	if !u.Can(welfare.RunRollCalls, mission) {
		if mission == "" {
			return outpost.RollCall{}, outpost.Errorf(outpost.EFORBIDDEN, "only the admin starts a roll call over everyone in the country")
		}
		return outpost.RollCall{}, outpost.Errorf(outpost.EFORBIDDEN, "you may start roll calls of your own mission only")
	}
	title := strings.TrimSpace(req.Title)
	if title == "" {
		return outpost.RollCall{}, outpost.Errorf(outpost.EINVALID, "title: a roll call needs a title, e.g. \"Morning check\"")
	}
	if len(title) > 200 {
		return outpost.RollCall{}, outpost.Errorf(outpost.EINVALID, "title: at most 200 characters")
	}
	var after time.Duration
	if e := strings.TrimSpace(req.EscalateAfter); e != "" {
		d, err := time.ParseDuration(e)
		if err != nil || d < time.Minute {
			return outpost.RollCall{}, outpost.Errorf(outpost.EINVALID, "escalate_after %q: want a duration of at least a minute, such as 30m or 2h", e)
		}
		after = d
	}
	return s.StartRollCall(transport.Actor(r), outpost.RollCall{Title: title, Mission: mission, EscalateAfter: after})
}

func (a *API) startRollCall(w http.ResponseWriter, r *http.Request) error {
	if u := transport.Caller(r); !u.CanSome(welfare.RunRollCalls) {
		return outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not start roll calls", u.Role)
	}
	var req RollCallRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	rc, err := StartRollCall(r, a.Store, req)
	if err != nil {
		return err
	}
	v, err := RollCallStatus(r, a.Store, rc)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, v)
	return nil
}

func (a *API) rollCall(w http.ResponseWriter, r *http.Request) error {
	rc, err := VisibleRollCall(r, a.Store, r.PathValue("rollcall"))
	if err != nil {
		return err
	}
	v, err := RollCallStatus(r, a.Store, rc)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, v)
	return nil
}

// CloseRollCall closes a roll call the caller may run.
func CloseRollCall(r *http.Request, s outpost.WelfareStore, idText string) (outpost.RollCall, error) {
	rc, err := VisibleRollCall(r, s, idText)
	if err != nil {
		return rc, err
	}
	if !transport.Caller(r).Can(welfare.RunRollCalls, rc.Mission) {
		return rc, outpost.Errorf(outpost.EFORBIDDEN, "only the admin, or the manager of the roll call's own mission, closes it")
	}
	return s.CloseRollCall(transport.Actor(r), rc.ID)
}

func (a *API) closeRollCall(w http.ResponseWriter, r *http.Request) error {
	rc, err := CloseRollCall(r, a.Store, r.PathValue("rollcall"))
	if err != nil {
		return err
	}
	v, err := RollCallStatus(r, a.Store, rc)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, v)
	return nil
}

// RecordAnswer records a person's answer, sent by the caller through via
// ("api", "web"), for someone in the roll call's scope whom the caller
// may answer for; anyone else is ENOTFOUND.
func RecordAnswer(r *http.Request, d *WelfareDesk, idText string, req CheckinRequest, via string) (outpost.Checkin, error) {
	id, err := rollCallID(idText)
	if err != nil {
		return outpost.Checkin{}, err
	}
	u := transport.Caller(r)
	notFound := NoRollCall(idText)
	if !u.CanSome(welfare.ReadRollCalls) {
		return outpost.Checkin{}, notFound
	}
	sc, err := d.Scope(r.Context(), id)
	if outpost.ErrorCode(err) == outpost.ENOTFOUND || (err == nil && !welfare.CanSee(u, sc.RollCall)) {
		return outpost.Checkin{}, notFound
	}
	if err != nil {
		return outpost.Checkin{}, err
	}
	if !u.CanSome(welfare.RecordAnswers) {
		return outpost.Checkin{}, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not record answers", u.Role)
	}
	person := strings.TrimSpace(req.Person)
	p, ok := sc.People[person]
	if !ok || !u.Can(welfare.RecordAnswers, p.Mission) {
		return outpost.Checkin{}, outpost.Errorf(outpost.ENOTFOUND, "person %q: not among the people of roll call %d whom you may answer for", person, id)
	}
	c := outpost.Checkin{RollCall: id, Person: person, Status: req.Status, Note: strings.TrimSpace(req.Note), Via: via}
	if err := c.Validate(); err != nil {
		return c, err
	}
	return d.Record(transport.Actor(r), c)
}

func (a *API) checkIn(w http.ResponseWriter, r *http.Request) error {
	var req CheckinRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	c, err := RecordAnswer(r, a.Welfare, r.PathValue("rollcall"), req, "api")
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, c)
	return nil
}

// RequestBase is the scheme and host that links sent out should use: the
// server's public URL, or the request's own address (see auth.BaseURL).
func RequestBase(r *http.Request) string { return auth.BaseURL(r) }

// WriteLinks writes, as a CSV download, the check-in links of a roll
// call's people whom the caller may export; baseURL "" is the request's
// own address.
func WriteLinks(w http.ResponseWriter, r *http.Request, d *WelfareDesk, rc outpost.RollCall, baseURL string) error {
	u := transport.Caller(r)
	if !u.CanSome(welfare.ExportLinks) {
		return outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not export check-in links", u.Role)
	}
	if baseURL == "" {
		baseURL = RequestBase(r)
	} else if b, err := auth.ParseOrigin(baseURL); err != nil {
		return outpost.Errorf(outpost.EINVALID, "base_url %v", err)
	} else {
		baseURL = b
	}
	if rc.Status != outpost.RollCallOpen {
		return outpost.Errorf(outpost.ECONFLICT, "roll call %d is closed: its links no longer work", rc.ID)
	}
	scope, err := d.store.RollCallScope(r.Context(), rc.ID)
	if err != nil {
		return err
	}
	links, err := d.Links(r.Context(), baseURL, true)
	if err != nil {
		return err
	}
	var mine []outpost.ScopeEntry
	for _, e := range scope {
		if u.Can(welfare.ExportLinks, e.Mission) {
			mine = append(mine, e)
		}
	}
	var buf bytes.Buffer
	if err := welfare.WriteLinks(&buf, links, rc.ID, mine); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="checkin-links-`+strconv.FormatInt(rc.ID, 10)+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = buf.WriteTo(w)
	return err
}

func (a *API) rollCallLinks(w http.ResponseWriter, r *http.Request) error {
	rc, err := VisibleRollCall(r, a.Store, r.PathValue("rollcall"))
	if err != nil {
		return err
	}
	return WriteLinks(w, r, a.Welfare, rc, r.URL.Query().Get("base_url"))
}
