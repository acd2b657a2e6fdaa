package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/transport"
)

// MissionsPage is the data of the missions list.
type MissionsPage struct {
	Missions []registry.MissionSummary
	Counts   map[string]int
	// AsOf is the moment the statuses and headcounts are of; Asked is
	// the as_of asked for, empty for the default.
	AsOf  time.Time
	Asked string
}

// MissionPage is the data of a mission's page.
type MissionPage struct {
	Mission registry.MissionSummary
	// CanSeePeople is whether the caller may open the mission's people.
	CanSeePeople bool
	// AsOf is the moment the page shows the mission at; Asked is the
	// as_of asked for, empty for the default.
	AsOf  time.Time
	Asked string
	// History is the mission's status history, newest first.
	History []outpost.MissionStatusChange
	// CanSetStatus is whether the caller may record a status change;
	// Form is that form, Statuses its choices, Done the confirmation.
	CanSetStatus bool
	Form         StatusForm
	Statuses     []string
	Done         string
}

// missionList is every mission with its headcount and status at the
// moment the request asks for (as_of, by default now or the server's
// page day), and that moment; for a caller who may not read them, an
// error in the words of the web UI.
func (h *Web) missionList(r *http.Request) ([]registry.MissionSummary, time.Time, error) {
	u := transport.Caller(r)
	if registry.MayReadMissions(u) != nil {
		return nil, time.Time{}, outpost.Errorf(outpost.EFORBIDDEN, "Your role may not read the missions.")
	}
	snap, err := h.Snapshot(r)
	if err != nil {
		return nil, time.Time{}, err
	}
	t, err := transport.AsOf(r, h.Now(), snap.Loc)
	if err != nil {
		return nil, time.Time{}, err
	}
	list, err := registry.MissionsIn(u, snap, censusservice.At(t))
	return list, t, err
}

// asked is the as_of the request asked for, or the server's page day
// (the demo's): the day the page names instead of "now".
func asked(r *http.Request) string {
	if s := r.URL.Query().Get("as_of"); s != "" {
		return s
	}
	d, _ := outpost.PageDayFrom(r.Context())
	return string(d)
}

func (h *Web) missions(w http.ResponseWriter, r *http.Request) error {
	list, t, err := h.missionList(r)
	if err != nil {
		return err
	}
	p := MissionsPage{Missions: list, Counts: map[string]int{}, AsOf: t, Asked: asked(r)}
	for _, m := range p.Missions {
		p.Counts[string(m.Status)]++
	}
	return h.Render(w, r, http.StatusOK, "missions", p)
}

func (h *Web) mission(w http.ResponseWriter, r *http.Request) error {
	p, err := h.missionPage(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("done") == "status" {
		p.Done = "Status recorded. The census of every date from then on shows it."
	}
	return h.Render(w, r, http.StatusOK, "mission", p)
}

// missionPage is the page of the mission the path names, as of the
// moment the request asks for.
func (h *Web) missionPage(r *http.Request) (MissionPage, error) {
	u := transport.Caller(r)
	list, t, err := h.missionList(r)
	if err != nil {
		return MissionPage{}, err
	}
	code := r.PathValue("code")
	for _, m := range list {
		if m.Code != code {
			continue
		}
		hist, err := h.Registry.MissionHistory(r.Context(), u, code)
		if err != nil {
			return MissionPage{}, err
		}
		slices.Reverse(hist)
		return MissionPage{Mission: m, CanSeePeople: u.Can(outpost.ReadPeople, m.Code), AsOf: t,
			Asked: asked(r), History: hist, CanSetStatus: u.CanSetMissionStatus(code),
			Statuses: outpost.MissionStatuses, Form: StatusForm{Status: string(m.Status)}}, nil
	}
	return MissionPage{}, outpost.Errorf(outpost.ENOTFOUND, "There is no mission %q.", code)
}
