package outpost

import "time"

// RollCall asks everyone in scope "are you safe?": every person in the
// country when it started, or one mission's.
type RollCall struct {
	ID      int64  `json:"id"`
	Title   string `json:"title"`
	Mission string `json:"mission,omitempty"`
	// Status is "open" or "closed"; a closed roll call takes no answers.
	Status    string     `json:"status"`
	StartedAt time.Time  `json:"started_at"`
	ClosedAt  *time.Time `json:"closed_at,omitempty"`
	// EscalateAfter is how long after the start non-responders are
	// escalated to their mission's manager; zero never.
	EscalateAfter time.Duration `json:"escalate_after_seconds"`
	EscalatedAt   *time.Time    `json:"escalated_at,omitempty"`
	StartedBy     string        `json:"started_by,omitempty"`
	// Expected is the number of people in scope.
	Expected int `json:"expected"`
}

// The states of a roll call.
const (
	RollCallOpen   = "open"
	RollCallClosed = "closed"
)

// Answers a person can give to a roll call.
const (
	Safe     = "safe"
	NeedHelp = "need_help"
)

// Checkin is one person's answer to a roll call.
type Checkin struct {
	RollCall int64     `json:"rollcall"`
	Person   string    `json:"person"`
	Status   string    `json:"status"`
	Note     string    `json:"note,omitempty"`
	At       time.Time `json:"at"`
	// Via says how the answer came: cli, link, api or web.
	Via string `json:"via,omitempty"`
}

// Validate checks the answer itself (scope and state are the store's).
func (c *Checkin) Validate() error {
	if c.Status != Safe && c.Status != NeedHelp {
		return Errorf(EINVALID, "answer must be safe or need_help (got %q)", c.Status)
	}
	if len(c.Note) > 2000 {
		return Errorf(EINVALID, "note is too long: at most 2000 characters (got %d)", len(c.Note))
	}
	if msg := CheckText(c.Note, MaxNote); msg != "" {
		return Errorf(EINVALID, "note %s", msg)
	}
	return nil
}

// RollCallReport counts a roll call's answers, in the shape of
// INTERFACES.md plus a line per mission.
type RollCallReport struct {
	ID            int64               `json:"id"`
	Title         string              `json:"title"`
	Mission       string              `json:"mission,omitempty"`
	Status        string              `json:"status"`
	Expected      int                 `json:"expected"`
	Safe          int                 `json:"safe"`
	NeedHelp      int                 `json:"need_help"`
	NoResponse    int                 `json:"no_response"`
	NoResponseIDs []string            `json:"no_response_ids"`
	NeedHelpIDs   []string            `json:"need_help_ids"`
	ByMission     []RollCallByMission `json:"by_mission"`
}

// RollCallByMission is one mission's line of a roll call.
type RollCallByMission struct {
	Mission    string `json:"mission"`
	Expected   int    `json:"expected"`
	Safe       int    `json:"safe"`
	NeedHelp   int    `json:"need_help"`
	NoResponse int    `json:"no_response"`
}

// ScopeEntry is one person a roll call expects, with their answer so far.
type ScopeEntry struct {
	Person     string `json:"person"`
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	Mission    string `json:"mission"`
	Status     string `json:"status,omitempty"`
	Note       string `json:"note,omitempty"`
}

// Precedence is the urgency of a medical case, as evacuation medicine
// ranks it.
type Precedence string

// The precedences of a medical case.
const (
	Urgent   Precedence = "urgent"
	Priority Precedence = "priority"
	Routine  Precedence = "routine"
)

// Precedences lists the valid precedences, most urgent first.
var Precedences = []string{"urgent", "priority", "routine"}

// MedicalLevel is the planner's medical level an open case of this
// precedence gives: urgent 3, priority 2, routine 1.
func (p Precedence) MedicalLevel() int {
	switch p {
	case Urgent:
		return 3
	case Priority:
		return 2
	case Routine:
		return 1
	}
	return 0
}

// MedicalCase is a person's medical need that the mission follows; an open
// case raises the person's medical level for the evacuation planner.
type MedicalCase struct {
	ID         int64      `json:"id"`
	Person     string     `json:"person"`
	Mission    string     `json:"mission"`
	Precedence Precedence `json:"precedence"`
	Need       string     `json:"need"`
	Status     string     `json:"status"`
	OpenedAt   time.Time  `json:"opened_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	ClosedAt   *time.Time `json:"closed_at,omitempty"`
}

// CaseFilter narrows a listing of medical cases.
type CaseFilter struct {
	Mission string
	// All includes closed cases.
	All bool
}

// CaseUpdate changes a case; nil fields stay as they are.
type CaseUpdate struct {
	Precedence *Precedence
	Need       *string
}

// Tally counts the answers of a roll call's scope, in all and by mission
// (in the order missions first appear), and lists the people who need
// help or have not answered among those whose mission list accepts.
func Tally(scope []ScopeEntry, list func(mission string) bool) (all RollCallByMission, byMission []RollCallByMission, needHelp, noResponse []string) {
	byMission, needHelp, noResponse = []RollCallByMission{}, []string{}, []string{}
	idx := map[string]int{}
	for _, e := range scope {
		i, ok := idx[e.Mission]
		if !ok {
			i = len(byMission)
			idx[e.Mission] = i
			byMission = append(byMission, RollCallByMission{Mission: e.Mission})
		}
		m := &byMission[i]
		all.Expected++
		m.Expected++
		switch e.Status {
		case Safe:
			all.Safe++
			m.Safe++
		case NeedHelp:
			all.NeedHelp++
			m.NeedHelp++
			if list(e.Mission) {
				needHelp = append(needHelp, e.Person)
			}
		default:
			all.NoResponse++
			m.NoResponse++
			if list(e.Mission) {
				noResponse = append(noResponse, e.Person)
			}
		}
	}
	return all, byMission, needHelp, noResponse
}
