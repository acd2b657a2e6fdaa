package evacuation

import (
	"sort"

	"github.com/outpost-org/outpost/internal/evac"
	"github.com/outpost-org/outpost/internal/outpost"
)

// LeftBehindView is a person the plan leaves in the country, as the
// reader may see them, with the reason in a code and in words.
type LeftBehindView struct {
	PersonBrief
	Household string `json:"household"`
	Reason    string `json:"reason"`
	Text      string `json:"text"`
}

// PeopleCount counts the people left behind for one reason.
type PeopleCount struct {
	Reason string `json:"reason"`
	People int    `json:"people"`
}

// addLeftBehind counts everyone left behind by reason and lists those r
// may read: the reasons (a refused permit, a quarantine) are about the
// person, so they show only with the person's record.
func (v *PlanView) addLeftBehind(lb []outpost.PlanLeftBehind, r reader) {
	v.LeftBehind, v.LeftBehindCounts = []LeftBehindView{}, []PeopleCount{}
	counts := map[string]int{}
	for _, x := range lb {
		counts[x.Reason]++
		if b, named := r.brief(x.Person); named {
			text := x.Text
			if !r.u.Can(outpost.ReadPassports, b.Mission) {
				// As the person's record hides the expiry (registry/exitdocs.go).
				text = evac.WithoutPassportExpiry(text)
			}
			v.LeftBehind = append(v.LeftBehind, LeftBehindView{PersonBrief: b, Household: x.Household, Reason: x.Reason, Text: text})
		}
	}
	for reason, n := range counts {
		v.LeftBehindCounts = append(v.LeftBehindCounts, PeopleCount{Reason: reason, People: n})
	}
	sort.Slice(v.LeftBehindCounts, func(i, j int) bool { return v.LeftBehindCounts[i].Reason < v.LeftBehindCounts[j].Reason })
}
