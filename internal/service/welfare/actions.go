package welfare

import "github.com/outpost-org/outpost/internal/outpost"

// The actions of roll calls and medical cases, for the server's roles.
// A roll call over everyone in the country belongs to no mission: only
// the admin starts or closes one, and each mission's users see their own
// people's answers in it and every other mission's as counts.
var (
	// ReadRollCalls is listing roll calls and reading their counts, by
	// mission: aggregates, never who answered what.
	ReadRollCalls = outpost.Action{Name: "read roll calls and their counts", Scope: outpost.ScopeCorps,
		Roles: []outpost.Role{outpost.RoleCoordinator, outpost.RoleManager, outpost.RoleStaff, outpost.RolePress}}
	// ReadAnswers is reading who of a mission answered what, and who has
	// not answered.
	ReadAnswers = outpost.Action{Name: "read a mission's roll-call answers", Scope: outpost.ScopeMission,
		Roles: []outpost.Role{outpost.RoleManager, outpost.RoleStaff}}
	// RunRollCalls is starting and closing a mission's roll calls.
	RunRollCalls = outpost.Action{Name: "start and close roll calls", Scope: outpost.ScopeMission,
		Roles: []outpost.Role{outpost.RoleManager}}
	// RecordAnswers is recording an answer for one of a mission's people
	// (who phoned in, or was seen).
	RecordAnswers = outpost.Action{Name: "record roll-call answers", Scope: outpost.ScopeMission,
		Roles: []outpost.Role{outpost.RoleManager, outpost.RoleStaff}}
	// ExportLinks is exporting a mission's one-tap check-in links.
	ExportLinks = outpost.Action{Name: "export check-in links", Scope: outpost.ScopeMission,
		Roles: []outpost.Role{outpost.RoleManager}}
	// CountCases is reading the number of open medical cases by mission
	// and precedence.
	CountCases = outpost.Action{Name: "count medical cases", Scope: outpost.ScopeCorps,
		Roles: []outpost.Role{outpost.RoleCoordinator, outpost.RoleManager, outpost.RoleStaff}}
	// ReadCases is reading a mission's medical cases.
	ReadCases = outpost.Action{Name: "read medical cases", Scope: outpost.ScopeMission,
		Roles: []outpost.Role{outpost.RoleManager, outpost.RoleStaff}}
	// ManageCases is opening, updating and closing a mission's medical
	// cases.
	ManageCases = outpost.Action{Name: "open, update and close medical cases", Scope: outpost.ScopeMission,
		Roles: []outpost.Role{outpost.RoleManager, outpost.RoleStaff}}
)

// CanSee reports whether u may know that the roll call exists: the admin
// and the coordinator see every one, a mission's users those over
// everyone and their own mission's.
func CanSee(u outpost.User, rc outpost.RollCall) bool {
	if !u.Can(ReadRollCalls, "") {
		return false
	}
	if !u.Role.MissionBound() {
		return true
	}
	return rc.Mission == "" || rc.Mission == u.Mission
}
