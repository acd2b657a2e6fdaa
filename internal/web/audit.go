package web

import (
	"net/http"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/transport"
)

// AuditPage is the data of the audit log page.
type AuditPage struct {
	Entries []outpost.AuditEntry
	Mission string
	Entity  string
	// Missions are the choices of the mission filter (admin only).
	Missions   []outpost.Mission
	OwnMission string
	Limit      int
}

// auditPages are the audit log.
func (h *Web) auditPages() []Page {
	return []Page{{Method: "GET", Path: "/audit", Handler: h.audit, Nav: &NavItem{Label: "Audit log", Order: 90,
		Show: func(u outpost.User) bool { return u.CanSome(outpost.ReadAudit) }}}}
}

func (h *Web) audit(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
	if err := registry.MayReadAudit(u); err != nil {
		return err
	}
	limit, err := transport.QueryInt(r, "limit", 100, 1000)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f, ok, err := registry.AuditFilter(u, q.Get("mission"), q.Get("entity"), limit)
	if err != nil {
		return err
	}
	p := AuditPage{Mission: f.Mission, Entity: f.Entity, Limit: f.Limit, Entries: []outpost.AuditEntry{}}
	if u.Role.MissionBound() {
		p.OwnMission = u.Mission
	} else {
		if p.Missions, err = h.Registry.MissionList(r.Context(), u); err != nil {
			return err
		}
	}
	if ok {
		if p.Entries, err = h.Registry.Audit(r.Context(), u, f, ok); err != nil {
			return err
		}
	}
	return h.Render(w, r, http.StatusOK, "audit", p)
}
