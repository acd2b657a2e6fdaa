// Package registry is the registry capability: missions and their
// headcount, people and their presence history, departure checkpoints,
// the audit log, and the users and API tokens who may read them. It
// decides, once, who may see and change what; the JSON API, the web UI and
// the command line call it.
package registry

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	count "github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
)

// Store is what the registry reads and writes.
type Store interface {
	outpost.RegistryStore
	outpost.CorrectionStore
	outpost.ExitDocStore
	User(ctx context.Context, name string) (outpost.User, error)
	Users(ctx context.Context) ([]outpost.User, error)
	SetPassword(ctx context.Context, name, passwordHash string) error
	Tokens(ctx context.Context) ([]outpost.Token, error)
	RevokeToken(ctx context.Context, id int64) error
	PasswordHash(ctx context.Context, name string) (string, error)
	CreateSession(ctx context.Context, s outpost.Session) error
	DeleteSession(ctx context.Context, hash string) error
	CreateUser(ctx context.Context, u outpost.User, passwordHash string) (outpost.User, error)
	SetDisabled(ctx context.Context, name string, disabled bool) error
	CreateToken(ctx context.Context, t outpost.Token) (outpost.Token, error)
	Visit(ctx context.Context, user string, now time.Time, gap time.Duration) (time.Time, error)
}

// Service is the registry's use cases.
type Service struct {
	store  Store
	census *censusservice.Service
	// group writes checkpoints recorded at the same time in one
	// transaction.
	group *groupCommit
	// Now is the clock.
	Now func() time.Time
}

// New returns the registry over store; census provides the snapshot that
// missions are counted from.
func New(store Store, census *censusservice.Service, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	// PostgreSQL takes several transactions at once; SQLite has one
	// writer.
	lanes := 1
	if store.Engine() == "postgres" {
		lanes = 4
	}
	return &Service{store: store, census: census, Now: now, group: newGroupCommit(store, lanes)}
}

// MissionSummary is a mission with its headcount now: an aggregate that
// every signed-in role may read.
type MissionSummary struct {
	outpost.Mission
	InCountry              int  `json:"in_country"`
	InTransit              int  `json:"in_transit"`
	Left                   int  `json:"left"`
	HeadOfMissionInCountry bool `json:"head_of_mission_in_country"`
}

// PeoplePage is one page of a listing of people. Next is the cursor of
// the following page (pass it as after), empty on the last page.
type PeoplePage struct {
	People []outpost.Person `json:"people"`
	Next   string           `json:"next,omitempty"`
}

// PersonDetail is a person with their presence history: the events that
// count, and those corrections took out (voided or amended).
type PersonDetail struct {
	Person    outpost.Person           `json:"person"`
	Events    []outpost.Event          `json:"events"`
	Corrected []outpost.CorrectedEvent `json:"corrected"`
}

// TrackRequest records a checkpoint; At is a time or a date (default now).
type TrackRequest struct {
	Checkpoint string `json:"checkpoint"`
	At         string `json:"at,omitempty"`
	Note       string `json:"note,omitempty"`
}

// Summaries returns every mission with its headcount in the census c.
func Summaries(snap *censusservice.Snapshot, c count.Census) []MissionSummary {
	byCode := map[string]count.MissionCount{}
	for _, m := range c.ByMission {
		byCode[m.Code] = m
	}
	out := make([]MissionSummary, 0, len(snap.Missions))
	for _, m := range snap.Missions {
		mc := byCode[m.Code]
		if mc.Status != "" {
			// The status of the census's moment, not today's.
			m.Status = outpost.MissionStatus(mc.Status)
		}
		out = append(out, MissionSummary{Mission: m, InCountry: mc.InCountry, InTransit: mc.InTransit,
			Left: mc.Left, HeadOfMissionInCountry: mc.HeadOfMissionInCountry})
	}
	return out
}

// MayReadMissions refuses a caller who may not read the missions.
func MayReadMissions(caller outpost.User) error {
	if !caller.Can(outpost.ReadMissions, "") {
		return outpost.Errorf(outpost.EFORBIDDEN, "you may not read the missions")
	}
	return nil
}

// Missions returns every mission with its headcount at the moment at
// resolves to in the post's time zone.
func (s *Service) Missions(ctx context.Context, caller outpost.User, at censusservice.Moment) ([]MissionSummary, error) {
	if err := MayReadMissions(caller); err != nil {
		return nil, err
	}
	snap, err := s.census.Snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("read census snapshot: %w", err)
	}
	return MissionsIn(caller, snap, at)
}

// MissionsIn is Missions counted in a snapshot the caller already holds
// (a web page reads the snapshot once for its page and its layout).
func MissionsIn(caller outpost.User, snap *censusservice.Snapshot, at censusservice.Moment) ([]MissionSummary, error) {
	if err := MayReadMissions(caller); err != nil {
		return nil, err
	}
	t, err := at(snap.Loc)
	if err != nil {
		return nil, err
	}
	return Summaries(snap, snap.Census(t)), nil
}

// Mission returns one mission with its headcount at the moment at
// resolves to.
func (s *Service) Mission(ctx context.Context, caller outpost.User, code string, at censusservice.Moment) (MissionSummary, error) {
	list, err := s.Missions(ctx, caller, at)
	if err != nil {
		return MissionSummary{}, err
	}
	for _, m := range list {
		if m.Code == code {
			return m, nil
		}
	}
	return MissionSummary{}, outpost.Errorf(outpost.ENOTFOUND, "no mission %q", code)
}

// PeopleQuery is a listing of people as asked: the words searched, the
// cursor, a mission and a status ("" for any).
type PeopleQuery struct {
	Query, After, Mission, Status string
}

// PeopleFilter checks a listing of people and restricts it to what the
// caller may see; false means they may see nobody of the mission asked for.
func PeopleFilter(caller outpost.User, q PeopleQuery) (outpost.PeopleFilter, bool, error) {
	f := outpost.PeopleFilter{Query: strings.TrimSpace(q.Query), After: q.After, Mission: q.Mission}
	if err := f.Check(); err != nil {
		return f, false, err
	}
	f.Mission = ""
	if st := q.Status; st != "" {
		if !slices.Contains(outpost.Statuses, st) {
			return f, false, outpost.Errorf(outpost.EINVALID, "status %q: want one of %s", st, strings.Join(outpost.Statuses, ", "))
		}
		f.Status = outpost.Status(st)
	}
	if !caller.CanSome(outpost.ReadPeople) {
		return f, false, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) sees the aggregates of every mission, not people's records", caller.Role)
	}
	f, ok := caller.RestrictPeople(f, q.Mission)
	return f, ok, nil
}

// ListPeople returns one page of people for the caller, limit at most,
// with the cursor of the next page, passports removed where the caller
// may not see them. f is a filter PeopleFilter made; the caller's
// rights are checked again on every person.
func (s *Service) ListPeople(ctx context.Context, caller outpost.User, f outpost.PeopleFilter, limit int) (PeoplePage, error) {
	page := PeoplePage{People: []outpost.Person{}}
	f.Limit = limit + 1
	list, err := s.store.People(ctx, f)
	if err != nil {
		return page, fmt.Errorf("read people: %w", err)
	}
	if len(list) > limit {
		list = list[:limit]
		page.Next = list[limit-1].ID
	}
	for _, p := range list {
		if !caller.Can(outpost.ReadPeople, p.Mission) {
			continue // the filter already excludes them; this is the second lock
		}
		if !caller.Can(outpost.ReadPassports, p.Mission) {
			p.Passport = ""
		}
		page.People = append(page.People, p)
	}
	return page, nil
}

// NoPerson is the answer for a person whose record the caller may not
// read: the same as for one who does not exist (see the not-found answers
// of the other capabilities).
func NoPerson(id string) error {
	return outpost.Errorf(outpost.ENOTFOUND, "no person %q", outpost.Clip(id))
}

// Readable is the registry's rule of who may see a person: the whole
// record of the person with this id when the caller may read it; a person
// of another mission is ENOTFOUND, exactly as one who does not exist. The
// passport is left in: VisiblePerson removes it for those who may not see
// it. Other capabilities that act on a person (a medical case) use it too.
func Readable(ctx context.Context, people interface {
	Person(ctx context.Context, id string) (outpost.Person, error)
}, caller outpost.User, id string) (outpost.Person, error) {
	notFound := NoPerson(id)
	if !caller.CanSome(outpost.ReadPeople) || !outpost.IsID(id) {
		return outpost.Person{}, notFound
	}
	p, err := people.Person(ctx, id)
	if err != nil {
		if outpost.ErrorCode(err) == outpost.ENOTFOUND {
			return outpost.Person{}, notFound
		}
		return outpost.Person{}, fmt.Errorf("read person %s: %w", id, err)
	}
	if !caller.Can(outpost.ReadPeople, p.Mission) {
		return outpost.Person{}, notFound
	}
	return p, nil
}

// VisiblePerson returns the person with this id if the caller may read
// their record, with the passport removed unless they may see it; a person
// of another mission is ENOTFOUND, exactly as one who does not exist.
func (s *Service) VisiblePerson(ctx context.Context, caller outpost.User, id string) (outpost.Person, error) {
	p, err := Readable(ctx, s.store, caller, id)
	if err != nil {
		return outpost.Person{}, err
	}
	if !caller.Can(outpost.ReadPassports, p.Mission) {
		p.Passport = ""
	}
	if err := withExitDocs(ctx, s.store, caller, &p); err != nil {
		return outpost.Person{}, err
	}
	return p, nil
}

// Person returns a person the caller may read with their presence
// history.
func (s *Service) Person(ctx context.Context, caller outpost.User, id string) (PersonDetail, error) {
	p, err := s.VisiblePerson(ctx, caller, id)
	if err != nil {
		return PersonDetail{}, err
	}
	h, err := s.store.History(ctx, p.ID)
	if err != nil {
		return PersonDetail{}, fmt.Errorf("events of %s: %w", p.ID, err)
	}
	return PersonDetail{Person: p, Events: h.Events, Corrected: h.Corrected}, nil
}

// mayImport refuses a caller who is not the admin: an import rewrites
// missions and people of every mission.
func mayImport(caller outpost.User) error {
	if !caller.Can(outpost.ManageUsers, "") {
		return outpost.Errorf(outpost.EFORBIDDEN, "only the admin imports missions and people")
	}
	return nil
}

// ImportMissions inserts or updates missions by code, all or nothing.
func (s *Service) ImportMissions(ctx context.Context, caller outpost.User, b outpost.Batch[outpost.Mission]) (outpost.ImportStats, error) {
	if err := mayImport(caller); err != nil {
		return outpost.ImportStats{}, err
	}
	v, err := s.store.ImportMissions(outpost.WithActor(ctx, caller.Name), b)
	if err != nil {
		return v, fmt.Errorf("import missions: %w", err)
	}
	return v, nil
}

// ImportPeople inserts or updates people by id, and the status each row
// asserts, all or nothing.
func (s *Service) ImportPeople(ctx context.Context, caller outpost.User, b outpost.Batch[outpost.PersonRecord]) (outpost.ImportStats, error) {
	if err := mayImport(caller); err != nil {
		return outpost.ImportStats{}, err
	}
	v, err := s.store.ImportPeople(outpost.WithActor(ctx, caller.Name), b)
	if err != nil {
		return v, fmt.Errorf("import people: %w", err)
	}
	return v, nil
}

// MissionOf returns the mission of a person the caller may read (one
// VisiblePerson returned).
func (s *Service) MissionOf(ctx context.Context, caller outpost.User, p outpost.Person) (outpost.Mission, error) {
	if !caller.Can(outpost.ReadPeople, p.Mission) {
		return outpost.Mission{}, NoPerson(p.ID)
	}
	v, err := s.store.Mission(ctx, p.Mission)
	if err != nil {
		return v, fmt.Errorf("read mission %s: %w", p.Mission, err)
	}
	return v, nil
}

// MissionList returns every mission record (without headcounts), for
// the choices of a filter.
func (s *Service) MissionList(ctx context.Context, caller outpost.User) ([]outpost.Mission, error) {
	if err := MayReadMissions(caller); err != nil {
		return nil, err
	}
	v, err := s.store.Missions(ctx)
	if err != nil {
		return v, fmt.Errorf("read missions: %w", err)
	}
	return v, nil
}

// Track records a checkpoint for a person the caller may track, with the
// caller as the actor; At is read in the post's time zone.
func (s *Service) Track(ctx context.Context, caller outpost.User, id string, req TrackRequest) (outpost.Event, error) {
	loc, err := censusservice.Location(ctx, s.store)
	if err != nil {
		return outpost.Event{}, fmt.Errorf("read location: %w", err)
	}
	return s.TrackIn(ctx, caller, loc, id, req)
}

// trackable returns the person with this id if the caller may record
// the checkpoint for them.
func (s *Service) trackable(ctx context.Context, caller outpost.User, id, checkpoint string) (outpost.Person, error) {
	p, err := s.VisiblePerson(ctx, caller, id)
	if err != nil {
		return outpost.Person{}, err
	}
	if !caller.Can(outpost.TrackPeople, p.Mission) {
		return outpost.Person{}, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not record checkpoints", caller.Role)
	}
	if !slices.Contains(outpost.Checkpoints, checkpoint) {
		return outpost.Person{}, outpost.Errorf(outpost.EINVALID, "checkpoint %q: want one of %s", checkpoint, strings.Join(outpost.Checkpoints, ", "))
	}
	return p, nil
}

// Record records a checkpoint whose time is already read, for a person
// the caller may track, with the caller as the actor. The note may be as
// long as any note (outpost.MaxNote); a request over HTTP is held to 500
// characters by TrackIn.
func (s *Service) Record(ctx context.Context, caller outpost.User, t outpost.Track) (outpost.Event, error) {
	p, err := s.trackable(ctx, caller, t.Person, string(t.Checkpoint))
	if err != nil {
		return outpost.Event{}, err
	}
	if msg := outpost.CheckEventTime(t.At, time.Time{}, s.Now()); msg != "" {
		return outpost.Event{}, outpost.Errorf(outpost.EINVALID, "at %q: %s", t.At.Format(time.RFC3339), msg)
	}
	if msg := outpost.CheckText(t.Note, outpost.MaxNote); msg != "" {
		return outpost.Event{}, outpost.Errorf(outpost.EINVALID, "note: %s", msg)
	}
	t.Person, t.Missions = p.ID, trackMissions(caller)
	v, err := s.group.track(outpost.WithActor(ctx, caller.Name), t)
	if err != nil {
		return v, fmt.Errorf("track: %w", err)
	}
	return v, nil
}

// TrackIn is Track with the post's time zone already read.
func (s *Service) TrackIn(ctx context.Context, caller outpost.User, loc *time.Location, id string, req TrackRequest) (outpost.Event, error) {
	p, err := s.trackable(ctx, caller, id, req.Checkpoint)
	if err != nil {
		return outpost.Event{}, err
	}
	now := s.Now()
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
	ctx = outpost.WithActor(ctx, caller.Name)
	v, err := s.group.track(ctx, outpost.Track{Person: p.ID, Checkpoint: outpost.Checkpoint(req.Checkpoint), At: at, Note: req.Note, Missions: trackMissions(caller)})
	if err != nil {
		return v, fmt.Errorf("track: %w", err)
	}
	return v, nil
}

// People lists every person of f the caller may see, in one listing
// (f.Limit 0 is all of them), passports removed where the caller may not
// see them; f.Mission is the mission asked for.
func (s *Service) People(ctx context.Context, caller outpost.User, f outpost.PeopleFilter) ([]outpost.Person, error) {
	if !caller.CanSome(outpost.ReadPeople) {
		return nil, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) sees the aggregates of every mission, not people's records", caller.Role)
	}
	f, ok := caller.RestrictPeople(f, f.Mission)
	if !ok {
		return []outpost.Person{}, nil
	}
	list, err := s.store.People(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("read people: %w", err)
	}
	out := list[:0]
	for _, p := range list {
		if !caller.Can(outpost.ReadPeople, p.Mission) {
			continue
		}
		if !caller.Can(outpost.ReadPassports, p.Mission) {
			p.Passport = ""
		}
		out = append(out, p)
	}
	return out, nil
}

// MayReadAudit refuses a caller who may read none of the audit log.
func MayReadAudit(caller outpost.User) error {
	if !caller.CanSome(outpost.ReadAudit) {
		return outpost.Errorf(outpost.EFORBIDDEN, "only the admin and a mission's manager read the audit log")
	}
	return nil
}

// AuditFilter restricts a listing of the audit log to what the caller may
// see; false means nothing.
func AuditFilter(caller outpost.User, mission, entity string, limit int) (outpost.AuditFilter, bool, error) {
	if err := MayReadAudit(caller); err != nil {
		return outpost.AuditFilter{}, false, err
	}
	m, ok := caller.Restrict(outpost.ReadAudit, mission)
	return outpost.AuditFilter{Mission: m, Entity: entity, Limit: limit}, ok, nil
}

// Audit lists the audit entries of f (which AuditFilter made), newest
// first; never nil.
func (s *Service) Audit(ctx context.Context, caller outpost.User, f outpost.AuditFilter, ok bool) ([]outpost.AuditEntry, error) {
	if err := MayReadAudit(caller); err != nil {
		return nil, err
	}
	if !ok {
		return []outpost.AuditEntry{}, nil
	}
	v, err := s.store.Audit(ctx, f)
	if err != nil {
		return v, fmt.Errorf("read audit log: %w", err)
	}
	return v, nil
}

// trackMissions are the missions whose people caller may track, for the
// store to check again when it writes (an import may move a person
// between the check of the caller's rights and the write); nil for every
// mission.
func trackMissions(caller outpost.User) []string {
	if m, _ := caller.Restrict(outpost.TrackPeople, ""); m != "" {
		return []string{m}
	}
	return nil
}
