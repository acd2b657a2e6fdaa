package web

import (
	"net/http"

	"github.com/outpost-org/outpost/internal/api"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/transport"
)

// MissionsPage is the data of the missions list.
type MissionsPage struct {
	Missions []api.MissionSummary
	Counts   map[string]int
}

// MissionPage is the data of a mission's page.
type MissionPage struct {
	Mission api.MissionSummary
	// CanSeePeople is whether the caller may open the mission's people.
	CanSeePeople bool
}

func (h *Web) missions(w http.ResponseWriter, r *http.Request) error {
	if !transport.Caller(r).Can(outpost.ReadMissions, "") {
		return outpost.Errorf(outpost.EFORBIDDEN, "Your role may not read the missions.")
	}
	snap, err := h.Snapshot(r)
	if err != nil {
		return err
	}
	p := MissionsPage{Missions: api.Summaries(snap, snap.Census(h.Now())), Counts: map[string]int{}}
	for _, m := range p.Missions {
		p.Counts[string(m.Status)]++
	}
	return h.Render(w, r, http.StatusOK, "missions", p)
}

func (h *Web) mission(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
	if !u.Can(outpost.ReadMissions, "") {
		return outpost.Errorf(outpost.EFORBIDDEN, "Your role may not read the missions.")
	}
	snap, err := h.Snapshot(r)
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	for _, m := range api.Summaries(snap, snap.Census(h.Now())) {
		if m.Code == code {
			return h.Render(w, r, http.StatusOK, "mission", MissionPage{Mission: m, CanSeePeople: u.Can(outpost.ReadPeople, m.Code)})
		}
	}
	return outpost.Errorf(outpost.ENOTFOUND, "There is no mission %q.", code)
}
