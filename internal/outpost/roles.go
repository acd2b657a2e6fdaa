package outpost

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Role names what a user of the server may see and do.
type Role string

// The roles of INTERFACES.md.
const (
	// RoleAdmin may do everything, for every mission.
	RoleAdmin Role = "admin"
	// RoleCoordinator sees the aggregates of every mission (the census,
	// the missions) and never a person's record.
	RoleCoordinator Role = "coordinator"
	// RoleManager runs one mission: its people, tracking and audit log.
	RoleManager Role = "manager"
	// RoleStaff works for one mission: its people and tracking.
	RoleStaff Role = "staff"
	// RolePress is one mission's press officer: its people (without
	// passports) and statements.
	RolePress Role = "press"
)

// Roles lists every valid Role, in documentation order.
var Roles = []string{"admin", "coordinator", "manager", "staff", "press"}

// MissionBound reports whether a user of the role belongs to one mission.
func (r Role) MissionBound() bool {
	return r == RoleManager || r == RoleStaff || r == RolePress
}

// User is someone who signs in to the server. Mission is set exactly for
// the mission-bound roles.
type User struct {
	ID      int64     `json:"id"`
	Name    string    `json:"name"`
	Role    Role      `json:"role"`
	Mission string    `json:"mission,omitempty"`
	Created time.Time `json:"created"`
	// Disabled users cannot sign in; their sessions and tokens are gone.
	Disabled bool `json:"disabled,omitempty"`
}

// IsUserName reports whether s can name a user: 1 to 64 letters, digits,
// '.', '_', '-' or '@'.
func IsUserName(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == '@') {
			return false
		}
	}
	return true
}

// Validate checks the user's fields (that the mission exists is checked by
// the store).
func (u *User) Validate() Problems {
	var p Problems
	if !IsUserName(u.Name) {
		p.Add("name", u.Name, "must be 1 to 64 letters, digits, '.', '_', '-' or '@'")
	}
	if !slices.Contains(Roles, string(u.Role)) {
		p.Add("role", string(u.Role), "must be one of "+oneOf(Roles))
	}
	switch {
	case u.Role.MissionBound() && u.Mission == "":
		p.Add("mission", "", "is required for the role "+string(u.Role))
	case !u.Role.MissionBound() && u.Mission != "":
		p.Add("mission", u.Mission, "must be empty for the role "+string(u.Role)+", which is not bound to one mission")
	}
	return p
}

// Scope says whose data an Action touches.
type Scope int

const (
	// ScopeCorps actions touch aggregates of every mission, or no mission.
	ScopeCorps Scope = iota
	// ScopeMission actions touch one mission's records: a mission-bound
	// user may do them for their own mission only.
	ScopeMission
)

// Action is something the server lets some roles do. Capabilities declare
// their own actions next to their code; the admin may do every action.
type Action struct {
	Name  string
	Scope Scope
	// Roles besides admin that may do the action.
	Roles []Role
}

// The actions of the registry, the census and the server.
var (
	// ReadCensus is reading the census and its breakdowns.
	ReadCensus = Action{"read the census", ScopeCorps, []Role{RoleCoordinator, RoleManager, RoleStaff, RolePress}}
	// ReadMissions is reading the missions and their headcounts.
	ReadMissions = Action{"read the missions", ScopeCorps, []Role{RoleCoordinator, RoleManager, RoleStaff, RolePress}}
	// ReadPeople is reading a mission's people and their presence history.
	ReadPeople = Action{"read people", ScopeMission, []Role{RoleManager, RoleStaff, RolePress}}
	// ReadPassports is seeing the passport numbers of a mission's people.
	ReadPassports = Action{"read passports", ScopeMission, []Role{RoleManager, RoleStaff}}
	// TrackPeople is recording departure checkpoints for a mission's people.
	TrackPeople = Action{"track people", ScopeMission, []Role{RoleManager, RoleStaff}}
	// ReadAudit is reading a mission's audit log (the admin reads all of it).
	ReadAudit = Action{"read the audit log", ScopeMission, []Role{RoleManager}}
	// ManageUsers is creating users; only the admin may.
	ManageUsers = Action{"manage users", ScopeCorps, nil}
)

// Can reports whether u may do a on the data of mission. For ScopeMission
// actions a mission-bound user must belong to that mission; the
// coordinator never may.
func (u User) Can(a Action, mission string) bool {
	if u.Role == RoleAdmin {
		return true
	}
	if !slices.Contains(a.Roles, u.Role) {
		return false
	}
	if a.Scope == ScopeCorps {
		return true
	}
	return u.Role.MissionBound() && u.Mission != "" && mission == u.Mission
}

// CanSome reports whether u may do a for at least one mission: whether to
// offer it at all (a menu entry, a listing).
func (u User) CanSome(a Action) bool {
	if a.Scope == ScopeCorps || !u.Role.MissionBound() {
		return u.Can(a, "")
	}
	return u.Can(a, u.Mission)
}

// Restrict returns the mission filter that a listing for a must apply when
// u asks for the records of requested ("" = every mission they may see),
// and false when u may see none of them: the admin gets what was
// requested, a mission-bound user their own mission (nothing if they
// asked for another).
func (u User) Restrict(a Action, requested string) (string, bool) {
	if u.Role == RoleAdmin {
		return requested, true
	}
	if a.Scope == ScopeCorps {
		return requested, u.Can(a, "")
	}
	if requested != "" && requested != u.Mission {
		return "", false
	}
	return u.Mission, u.Can(a, u.Mission)
}

// RestrictPeople returns f restricted to what u may see in a listing of
// the people of requested ("" = every mission they may see): its mission
// filter as Restrict gives it for ReadPeople, and Passports set only when
// u may read the passport of every person that filter can return. This is
// the one place that decides which fields a search may match, so a
// search never finds anyone by a field its caller may not see. false
// means u may see nobody of the mission asked for.
func (u User) RestrictPeople(f PeopleFilter, requested string) (PeopleFilter, bool) {
	mission, ok := u.Restrict(ReadPeople, requested)
	f.Mission = mission
	// For the admin, mission may be "" (every mission): Can answers for
	// all of them. A mission-bound user's filter is their own mission.
	f.Passports = ok && u.Can(ReadPassports, mission)
	return f, ok
}

// Err returns nil when there are no problems, and otherwise an EINVALID
// error that lists them: "user: name: must be … (got "x")".
func (p Problems) Err(what string) error {
	if len(p) == 0 {
		return nil
	}
	e := &Error{Code: EINVALID}
	for _, f := range p {
		d := f.Field + ": " + f.Message
		if f.Got != "" {
			d += " (got " + strconv.Quote(f.Got) + ")"
		}
		e.Details = append(e.Details, d)
	}
	e.Message = what + ": " + strings.Join(e.Details, "; ")
	e.Details = nil
	return e
}

// Operator is the caller of a command-line command: whoever holds the
// database may do everything, so it is an admin; name is the actor the
// audit log records ("cli", "demo").
func Operator(name string) User { return User{Name: name, Role: RoleAdmin} }
