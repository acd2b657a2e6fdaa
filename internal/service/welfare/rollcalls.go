package welfare

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
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

// RollCall returns the roll call with this id if the caller may know of
// it; another mission's roll call is ENOTFOUND, exactly as one that does
// not exist.
func (s *Service) RollCall(ctx context.Context, u outpost.User, id int64) (outpost.RollCall, error) {
	notFound := NoRollCall(idText(id))
	if id <= 0 || !u.CanSome(ReadRollCalls) {
		return outpost.RollCall{}, notFound
	}
	rc, err := s.store.RollCall(ctx, id)
	if outpost.ErrorCode(err) == outpost.ENOTFOUND || (err == nil && !CanSee(u, rc)) {
		return outpost.RollCall{}, notFound
	}
	if err != nil {
		return rc, fmt.Errorf("read roll call %d: %w", id, err)
	}
	return rc, nil
}

// RollCallStatus counts a roll call's answers and lists those the caller
// may read; rc is one the caller may see (from RollCall).
func (s *Service) RollCallStatus(ctx context.Context, u outpost.User, rc outpost.RollCall) (RollCallView, error) {
	scope, err := s.store.RollCallScope(ctx, rc.ID)
	if err != nil {
		return RollCallView{}, fmt.Errorf("read roll call scope %d: %w", rc.ID, err)
	}
	return rollCallView(u, rc, scope, true), nil
}

// rollCallView counts scope and, with answers, lists what u may read.
func rollCallView(u outpost.User, rc outpost.RollCall, scope []outpost.ScopeEntry, answers bool) RollCallView {
	v := RollCallView{ID: rc.ID, Title: rc.Title, Mission: rc.Mission, Status: rc.Status, StartedAt: rc.StartedAt,
		StartedBy: rc.StartedBy, ClosedAt: rc.ClosedAt, EscalateAfter: int64(rc.EscalateAfter / time.Second),
		EscalatedAt: rc.EscalatedAt, People: []outpost.ScopeEntry{}}
	switch {
	case !answers:
	case u.Role == outpost.RoleAdmin:
		v.Shown = "all"
	case u.Role.MissionBound() && u.Can(ReadAnswers, u.Mission):
		v.Shown = u.Mission
	}
	shown := func(mission string) bool { return v.Shown != "" && u.Can(ReadAnswers, mission) }
	var all outpost.RollCallByMission
	all, v.ByMission, v.NeedHelpIDs, v.NoResponseIDs = outpost.Tally(scope, shown)
	v.Expected, v.Safe, v.NeedHelp, v.NoResponse = all.Expected, all.Safe, all.NeedHelp, all.NoResponse
	for _, e := range scope {
		if shown(e.Mission) {
			v.People = append(v.People, e)
		}
	}
	return v
}

// RollCalls lists the roll calls the caller may see, newest first, at
// most limit, with their counts.
func (s *Service) RollCalls(ctx context.Context, u outpost.User, limit int) ([]RollCallView, error) {
	if !u.CanSome(ReadRollCalls) {
		return nil, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not read roll calls", u.Role)
	}
	mission := ""
	if u.Role.MissionBound() {
		mission = u.Mission
	}
	rcs, err := s.store.RollCalls(ctx, mission)
	if err != nil {
		return nil, fmt.Errorf("read roll calls: %w", err)
	}
	out := []RollCallView{}
	for _, rc := range rcs {
		if !CanSee(u, rc) {
			continue
		}
		if len(out) == limit {
			break
		}
		scope, err := s.store.RollCallScope(ctx, rc.ID)
		if err != nil {
			return nil, fmt.Errorf("read roll call scope %d: %w", rc.ID, err)
		}
		out = append(out, rollCallView(u, rc, scope, false))
	}
	return out, nil
}

// MayStart refuses a caller who may start no roll call at all.
func (s *Service) MayStart(u outpost.User) error {
	if !u.CanSome(RunRollCalls) {
		return outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not start roll calls", u.Role)
	}
	return nil
}

// StartRollCall starts a roll call as a form or a JSON body asks, for a
// caller who may: the admin over everyone or one mission, a manager over
// their own mission.
func (s *Service) StartRollCall(ctx context.Context, u outpost.User, req RollCallRequest) (outpost.RollCall, error) {
	if err := s.MayStart(u); err != nil {
		return outpost.RollCall{}, err
	}
	mission := strings.TrimSpace(req.Mission)
	if mission == "" && u.Role.MissionBound() {
		mission = u.Mission
	}
	if err := mayRun(u, mission); err != nil {
		return outpost.RollCall{}, err
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
	v, err := s.store.StartRollCall(outpost.WithActor(ctx, u.Name), outpost.RollCall{Title: title, Mission: mission, EscalateAfter: after})
	if err != nil {
		return v, fmt.Errorf("start roll call: %w", err)
	}
	return v, nil
}

// mayRun refuses a caller who may not start or close the roll calls of
// mission ("" everyone in the country).
func mayRun(u outpost.User, mission string) error {
	if u.Can(RunRollCalls, mission) {
		return nil
	}
	if mission == "" {
		return outpost.Errorf(outpost.EFORBIDDEN, "only the admin starts a roll call over everyone in the country")
	}
	return outpost.Errorf(outpost.EFORBIDDEN, "you may start roll calls of your own mission only")
}

// CloseRollCall closes a roll call the caller may run.
func (s *Service) CloseRollCall(ctx context.Context, u outpost.User, id int64) (outpost.RollCall, error) {
	rc, err := s.RollCall(ctx, u, id)
	if err != nil {
		return rc, err
	}
	if !u.Can(RunRollCalls, rc.Mission) {
		return rc, outpost.Errorf(outpost.EFORBIDDEN, "only the admin, or the manager of the roll call's own mission, closes it")
	}
	v, err := s.store.CloseRollCall(outpost.WithActor(ctx, u.Name), rc.ID)
	if err != nil {
		return v, fmt.Errorf("close roll call %d: %w", rc.ID, err)
	}
	return v, nil
}

// RecordAnswer records a person's answer, sent by the caller through via
// ("api", "web"), for someone in the roll call's scope whom the caller
// may answer for; anyone else is ENOTFOUND. It reads the roll call's
// scope from the cache: this is the check-in path that must stay fast.
func (s *Service) RecordAnswer(ctx context.Context, u outpost.User, id int64, req CheckinRequest, via string) (outpost.Checkin, error) {
	notFound := NoRollCall(idText(id))
	if id <= 0 || !u.CanSome(ReadRollCalls) {
		return outpost.Checkin{}, notFound
	}
	sc, err := s.Scope(ctx, id)
	if outpost.ErrorCode(err) == outpost.ENOTFOUND || (err == nil && !CanSee(u, sc.RollCall)) {
		return outpost.Checkin{}, notFound
	}
	if err != nil {
		return outpost.Checkin{}, err
	}
	if !u.CanSome(RecordAnswers) {
		return outpost.Checkin{}, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not record answers", u.Role)
	}
	person := strings.TrimSpace(req.Person)
	p, ok := sc.People[person]
	if !ok || !u.Can(RecordAnswers, p.Mission) {
		return outpost.Checkin{}, outpost.Errorf(outpost.ENOTFOUND, "person %q: not among the people of roll call %d whom you may answer for", person, id)
	}
	c := outpost.Checkin{RollCall: id, Person: person, Status: req.Status, Note: strings.TrimSpace(req.Note), Via: via}
	if err := c.Validate(); err != nil {
		return c, err
	}
	return s.record(outpost.WithActor(ctx, u.Name), c)
}

// LinksCSV is the CSV file of the check-in links of a roll call's people
// whom the caller may export, under baseURL; rc is one the caller may see
// (from RollCall). baseURL "" is own, the address the request came to,
// taken as it is.
func (s *Service) LinksCSV(ctx context.Context, u outpost.User, rc outpost.RollCall, baseURL, own string) ([]byte, error) {
	if !u.CanSome(ExportLinks) {
		return nil, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not export check-in links", u.Role)
	}
	if baseURL == "" {
		baseURL = own
	} else if b, err := auth.ParseOrigin(baseURL); err != nil {
		return nil, outpost.Errorf(outpost.EINVALID, "base_url %v", err)
	} else {
		baseURL = b
	}
	if rc.Status != outpost.RollCallOpen {
		return nil, outpost.Errorf(outpost.ECONFLICT, "roll call %d is closed: its links no longer work", rc.ID)
	}
	scope, err := s.store.RollCallScope(ctx, rc.ID)
	if err != nil {
		return nil, fmt.Errorf("read roll call scope %d: %w", rc.ID, err)
	}
	links, err := s.Links(ctx, baseURL, true)
	if err != nil {
		return nil, err
	}
	var mine []outpost.ScopeEntry
	for _, e := range scope {
		if u.Can(ExportLinks, e.Mission) {
			mine = append(mine, e)
		}
	}
	var buf bytes.Buffer
	if err := WriteLinks(&buf, links, rc.ID, mine); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
