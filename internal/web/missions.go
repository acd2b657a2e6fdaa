package web

import (
	"net/http"

	"github.com/outpost-org/outpost/internal/outpost"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/transport"
)

// MissionsPage is the data of the missions list.
type MissionsPage struct {
	Missions []registry.MissionSummary
	Counts   map[string]int
}

// MissionPage is the data of a mission's page.
type MissionPage struct {
	Mission registry.MissionSummary
	// CanSeePeople is whether the caller may open the mission's people.
	CanSeePeople bool
}

// missionList is every mission with its headcount now, in the words of
// the web UI for a caller who may not read them.
func (h *Web) missionList(r *http.Request) ([]registry.MissionSummary, error) {
	u := transport.Caller(r)
	if registry.MayReadMissions(u) != nil {
		return nil, outpost.Errorf(outpost.EFORBIDDEN, "Your role may not read the missions.")
	}
	snap, err := h.Snapshot(r)
	if err != nil {
		return nil, err
	}
	return registry.MissionsIn(u, snap, censusservice.At(h.Now()))
}

func (h *Web) missions(w http.ResponseWriter, r *http.Request) error {
	list, err := h.missionList(r)
	if err != nil {
		return err
	}
	p := MissionsPage{Missions: list, Counts: map[string]int{}}
	for _, m := range p.Missions {
		p.Counts[string(m.Status)]++
	}
	return h.Render(w, r, http.StatusOK, "missions", p)
}

func (h *Web) mission(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
	list, err := h.missionList(r)
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	for _, m := range list {
		if m.Code == code {
			return h.Render(w, r, http.StatusOK, "mission", MissionPage{Mission: m, CanSeePeople: u.Can(outpost.ReadPeople, m.Code)})
		}
	}
	return outpost.Errorf(outpost.ENOTFOUND, "There is no mission %q.", code)
}
