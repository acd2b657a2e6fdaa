package web

import (
	"net/http"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/transport"
)

// ComparePage is the data of two plans side by side.
type ComparePage struct {
	C evacuation.Comparison
	// AGap and BGap say how close each plan is to the best possible.
	AGap, BGap string
}

// planPages are the pages that explain plans: two plans compared, and the
// joint manifest of a shared convoy.
func (h *Web) planPages() []Page {
	return []Page{
		{Method: "GET", Path: "/evac/plans/compare", Handler: h.evacCompare},
		{Method: "GET", Path: "/evac/plans/{plan}/departures/{departure}/joint-manifest.csv", Handler: h.evacJointManifest("csv")},
		{Method: "GET", Path: "/evac/plans/{plan}/departures/{departure}/joint-manifest.pdf", Handler: h.evacJointManifest("pdf")},
	}
}

// planExtras fills in what the plan page adds to a plan: the plan made
// just before it, to compare with, and whether the caller may print the
// joint manifest of a shared convoy.
func (h *Web) planExtras(r *http.Request, p *PlanPage) error {
	u := transport.Caller(r)
	p.CanJoint = u.Can(evacuation.PrintJointManifests, "")
	plans, err := h.Evacuation.Plans(r.Context(), u)
	if err != nil {
		return err
	}
	for _, x := range plans {
		if x.ID < p.View.Plan && x.ID > p.Previous {
			p.Previous = x.ID
		}
	}
	return nil
}

func (h *Web) evacCompare(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
	if err := evacuation.MayRead(u); err != nil {
		return err
	}
	q := r.URL.Query()
	a, b, err := evacuation.CompareIDs(q.Get("a"), q.Get("b"))
	if err != nil {
		return err
	}
	c, err := h.Evacuation.Compare(r.Context(), u, a, b)
	if err != nil {
		return err
	}
	p := ComparePage{C: c}
	p.AGap, _ = evacuation.Gap(c.A.Score, c.A.Bound)
	p.BGap, _ = evacuation.Gap(c.B.Score, c.B.Bound)
	return h.Render(w, r, http.StatusOK, "evac_compare", p)
}

func (h *Web) evacJointManifest(format string) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		u := transport.Caller(r)
		if _, err := evacuation.JointCut(outpost.Manifest{}, u); err != nil {
			return err
		}
		id, err := evacuation.PlanID(r.PathValue("plan"))
		if err != nil {
			return err
		}
		f, err := h.Evacuation.JointManifestFile(r.Context(), u, id, r.PathValue("departure"), format)
		if err != nil {
			return err
		}
		return transport.WriteAttachment(w, r, f.Name, f.ContentType, &f.Body)
	}
}
