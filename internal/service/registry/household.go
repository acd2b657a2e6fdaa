package registry

import (
	"context"
	"fmt"

	"github.com/outpost-org/outpost/internal/outpost"
)

// householdMembers returns every person the store holds in household
// id, of any mission: what a rename must take whole, whoever asks.
func (s *Service) householdMembers(ctx context.Context, id string) ([]outpost.Person, error) {
	list, err := s.store.People(ctx, outpost.PeopleFilter{Query: id})
	if err != nil {
		return nil, fmt.Errorf("read the people of household %s: %w", id, err)
	}
	out := list[:0]
	for _, p := range list {
		if p.Household == id {
			out = append(out, p)
		}
	}
	return out, nil
}

// mayEditAll says whether the caller may edit every one of people.
func mayEditAll(caller outpost.User, people []outpost.Person) bool {
	for _, p := range people {
		if !caller.Can(EditPeople, p.Mission) {
			return false
		}
	}
	return caller.CanSome(EditPeople)
}

// errMixedHousehold refuses a rename of a household that also has people
// the caller may not edit, without naming them: renaming only the
// caller's own would split the household in two.
func errMixedHousehold(id string) error {
	return outpost.Errorf(outpost.EFORBIDDEN, "the household %s also has people of another mission, whom you may not edit: renaming only yours would split it. Ask the admin to rename it, or move your people one by one", id)
}
