package web

import (
	"fmt"
	"net/http"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/welfare"
	"github.com/outpost-org/outpost/internal/transport"
)

// confirmCloseRollCall is the page that asks before a roll call closes:
// it says how many have not answered and, to whoever may read their
// answers, who, each linked to their page.
func (h *Web) confirmCloseRollCall(w http.ResponseWriter, r *http.Request) error {
	p, err := h.rollCallPage(r)
	if err != nil {
		return err
	}
	if !p.CanClose {
		if p.View.Status != outpost.RollCallOpen {
			return outpost.Errorf(outpost.ECONFLICT, "Roll call %d is already closed.", p.View.ID)
		}
		return outpost.Errorf(outpost.EFORBIDDEN, "Only the admin, or the manager of the roll call's own mission, closes it.")
	}
	return h.Render(w, r, http.StatusOK, "welfare_rollcall_close", p)
}

func (h *Web) reopenRollCall(w http.ResponseWriter, r *http.Request) error {
	id, err := welfare.RollCallID(r.PathValue("rollcall"))
	if err != nil {
		return err
	}
	rc, err := h.Welfare.ReopenRollCall(r.Context(), transport.Caller(r), id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/rollcalls/%d?done=reopened", rc.ID), http.StatusSeeOther)
	return nil
}
