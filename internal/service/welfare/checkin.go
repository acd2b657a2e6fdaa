package welfare

import (
	"context"
	"fmt"

	"github.com/outpost-org/outpost/internal/outpost"
)

// linkActor is the actor the audit log names for answers by link.
const linkActor = "check-in link"

// LinkHolder is what a valid one-tap check-in link shows its holder: the
// roll call's title and their own first name, nothing else.
type LinkHolder struct {
	Title     string
	GivenName string
}

// Link checks a one-tap check-in link: its MAC first, so that a forged
// link reads nothing, then that the person is in the roll call's scope.
// ok is false for a link that is not valid, whatever the reason.
func (s *Service) Link(ctx context.Context, id int64, person, token string) (_ LinkHolder, ok bool) {
	if id <= 0 {
		return LinkHolder{}, false
	}
	links, err := s.Links(ctx, "", false)
	if err != nil || !links.Valid(id, person, token) {
		return LinkHolder{}, false
	}
	sc, err := s.Scope(ctx, id)
	if err != nil {
		return LinkHolder{}, false
	}
	sp, ok := sc.People[person]
	if !ok {
		return LinkHolder{}, false
	}
	return LinkHolder{Title: sc.RollCall.Title, GivenName: sp.GivenName}, true
}

// LinkOpen says whether a roll call whose link was checked (by Link)
// still takes answers, read afresh.
func (s *Service) LinkOpen(ctx context.Context, id int64) (bool, error) {
	rc, err := s.store.RollCall(ctx, id)
	if err != nil {
		return false, fmt.Errorf("read roll call %d: %w", id, err)
	}
	return rc.Status == outpost.RollCallOpen, nil
}

// AnswerByLink records the answer of the holder of a check-in link;
// the link is checked again (its MAC: the store checks the scope), so
// that no answer is written without one. A closed roll call is
// ECONFLICT, a link that is not valid ENOTFOUND.
func (s *Service) AnswerByLink(ctx context.Context, id int64, person, token, status, note string) (outpost.Checkin, error) {
	links, err := s.Links(ctx, "", false)
	if err != nil {
		return outpost.Checkin{}, err
	}
	if !links.Valid(id, person, token) {
		return outpost.Checkin{}, outpost.Errorf(outpost.ENOTFOUND, "not a valid check-in link")
	}
	return s.record(outpost.WithActor(ctx, linkActor), outpost.Checkin{RollCall: id, Person: person, Status: status, Note: note, Via: "link"})
}
