package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/transport"
)

// PeopleListPage is the data of the people list.
type PeopleListPage struct {
	Q, Mission, Status string
	// Missions are the choices of the mission filter; empty when the
	// caller sees one mission only (OwnMission).
	Missions   []outpost.Mission
	OwnMission string
	Statuses   []string
	People     []outpost.Person
	// After is the cursor of this page, Next of the following one.
	After, Next string
}

// PersonPage is the data of a person's page.
type PersonPage struct {
	Person       outpost.Person
	Mission      outpost.Mission
	Events       []outpost.Event
	ShowPassport bool
	CanTrack     bool
	Checkpoints  []string
	// Tracked is the checkpoint just recorded, for the confirmation.
	Tracked string
	Form    TrackForm
	// The timeline with its corrections (corrections.go).
	Timeline   []TimelineItem
	CanCorrect bool
	Statuses   []string
	Flagged    int
	CorrForm   CorrectionForm
	Done       string
}

// TrackForm is the tracking form's values and its error.
type TrackForm struct {
	Checkpoint, At, Note string
	Error                string
}

const pageSize = 50

func (h *Web) people(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	u := transport.Caller(r)
	f, ok, err := registry.PeopleFilter(u, registry.PeopleQuery{Query: q.Get("q"), After: q.Get("after"),
		Mission: q.Get("mission"), Status: q.Get("status")})
	if err != nil {
		return err
	}
	p := PeopleListPage{Q: f.Query, Mission: q.Get("mission"), Status: string(f.Status), Statuses: outpost.Statuses,
		After: f.After, People: []outpost.Person{}}
	if u.Role.MissionBound() {
		p.OwnMission, p.Mission = u.Mission, u.Mission
	} else if snap, err := h.Snapshot(r); err == nil {
		p.Missions = snap.Missions
	} else {
		return err
	}
	if ok {
		page, err := h.Registry.ListPeople(r.Context(), u, f, pageSize)
		if err != nil {
			return err
		}
		p.People, p.Next = page.People, page.Next
	}
	return h.Render(w, r, http.StatusOK, "people", p)
}

func (h *Web) personPage(r *http.Request, id string) (PersonPage, error) {
	u := transport.Caller(r)
	d, err := h.Registry.Person(r.Context(), u, id)
	if err != nil {
		return PersonPage{}, err
	}
	person := d.Person
	p := PersonPage{Person: person, ShowPassport: u.Can(outpost.ReadPassports, person.Mission),
		CanTrack: u.Can(outpost.TrackPeople, person.Mission), Checkpoints: outpost.Checkpoints, Events: d.Events}
	if p.Mission, err = h.Registry.MissionOf(r.Context(), u, person); err != nil {
		return p, err
	}
	h.withTimeline(r, &p, d)
	return p, nil
}

func (h *Web) person(w http.ResponseWriter, r *http.Request) error {
	p, err := h.personPage(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	if t := r.URL.Query().Get("tracked"); slices.Contains(outpost.Checkpoints, t) {
		p.Tracked = t
	}
	p.Done = correctionDone[r.URL.Query().Get("done")]
	return h.Render(w, r, http.StatusOK, "person", p)
}

func (h *Web) track(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	u := transport.Caller(r)
	if _, err := h.Registry.VisiblePerson(r.Context(), u, id); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return outpost.Errorf(outpost.EINVALID, "the form could not be read")
	}
	req := registry.TrackRequest{Checkpoint: r.PostForm.Get("checkpoint"), At: r.PostForm.Get("at"), Note: r.PostForm.Get("note")}
	snap, err := h.Snapshot(r)
	if err != nil {
		return err
	}
	_, err = h.Registry.TrackIn(r.Context(), u, snap.Loc, id, req)
	if outpost.ErrorCode(err) == outpost.EINVALID {
		p, perr := h.personPage(r, id)
		if perr != nil {
			return perr
		}
		p.Form = TrackForm{Checkpoint: req.Checkpoint, At: req.At, Note: req.Note, Error: outpost.ErrorMessage(err)}
		return h.Render(w, r, http.StatusBadRequest, "person", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/people/"+url.PathEscape(id)+"?tracked="+url.QueryEscape(req.Checkpoint), http.StatusSeeOther)
	return nil
}
