package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/transport"
)

// correctionPages are the pages that correct presence events (amend,
// void), list the flagged ones, and record or undo a board's bulk
// action.
func (h *Web) correctionPages() []Page {
	return []Page{
		{Method: "POST", Path: "/people/{id}/events/{event}/amend", Handler: h.amendEvent},
		{Method: "POST", Path: "/people/{id}/events/{event}/void", Handler: h.voidEvent},
		{Method: "GET", Path: "/review", Handler: h.review},
		{Method: "POST", Path: "/evac/plans/{plan}/departures/{departure}/group", Handler: h.evacGroup},
		{Method: "POST", Path: "/evac/plans/{plan}/departures/{departure}/undo", Handler: h.evacUndo},
	}
}

// TimelineItem is one entry of a person's timeline: an event that counts,
// or one a correction took out (Corrected set), shown struck through.
type TimelineItem struct {
	outpost.Event
	Corrected *outpost.CorrectedEvent
	// Local is the time as a datetime-local value, for the amend form.
	Local string
}

// CorrectionForm is a refused correction's values and error, shown on
// the event it was for.
type CorrectionForm struct {
	Event                                 int64
	Kind                                  string // "amend" or "void"
	At, Checkpoint, Status, Reason, Error string
}

// timeline merges the events that count and the corrected ones in time
// order (the corrected one first in a tie: it came before).
func timeline(evs []outpost.Event, corrected []outpost.CorrectedEvent, loc *time.Location) []TimelineItem {
	out := make([]TimelineItem, 0, len(evs)+len(corrected))
	for _, e := range evs {
		out = append(out, TimelineItem{Event: e, Local: e.At.In(loc).Format(localMinute)})
	}
	for i := range corrected {
		out = append(out, TimelineItem{Event: corrected[i].Event, Corrected: &corrected[i]})
	}
	slices.SortStableFunc(out, func(a, b TimelineItem) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// localMinute is the layout of a datetime-local value, as the amend
// form shows and sends an event's time.
const localMinute = "2006-01-02T15:04"

// timelineLoc is the zone the timeline and its amend form show times in:
// the post's, or UTC when the snapshot cannot be read.
func (h *Web) timelineLoc(r *http.Request) *time.Location {
	if snap, err := h.Snapshot(r); err == nil {
		return snap.Loc
	}
	return time.UTC
}

// withTimeline fills the person page's correction parts.
func (h *Web) withTimeline(r *http.Request, p *PersonPage, d registry.PersonDetail) {
	p.Timeline = timeline(d.Events, d.Corrected, h.timelineLoc(r))
	p.CanCorrect = transport.Caller(r).Can(outpost.CorrectPresence, d.Person.Mission)
	p.Statuses = outpost.Statuses
	for _, e := range d.Events {
		if e.Flag != "" {
			p.Flagged++
		}
	}
}

// correctionDone are the confirmations of the person page's corrections.
var correctionDone = map[string]string{
	"amended": "Correction saved: the original is kept, struck through, with your reason.",
	"voided":  "Event voided: it is kept, struck through, and no longer counts.",
}

func (h *Web) amendEvent(w http.ResponseWriter, r *http.Request) error {
	return h.correct(w, r, "amend")
}

func (h *Web) voidEvent(w http.ResponseWriter, r *http.Request) error {
	return h.correct(w, r, "void")
}

// correct amends or voids an event of the person of the page; the
// registry decides who may (another mission's event is not found).
func (h *Web) correct(w http.ResponseWriter, r *http.Request, kind string) error {
	u := transport.Caller(r)
	id := r.PathValue("id")
	if _, err := h.Registry.VisiblePerson(r.Context(), u, id); err != nil {
		return err
	}
	ev, err := registry.EventID(r.PathValue("event"))
	if err != nil {
		return err
	}
	if err := form(w, r); err != nil {
		return err
	}
	f := CorrectionForm{Event: ev, Kind: kind, At: r.PostForm.Get("at"), Checkpoint: r.PostForm.Get("checkpoint"),
		Status: r.PostForm.Get("status"), Reason: r.PostForm.Get("reason")}
	// The event must be this person's: a form posted to another person's
	// page with an event id is not found.
	d, err := h.Registry.Person(r.Context(), u, id)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(d.Events, func(e outpost.Event) bool { return e.ID == ev && e.ID > 0 }) &&
		!slices.ContainsFunc(d.Corrected, func(e outpost.CorrectedEvent) bool { return e.ID == ev }) {
		return outpost.Errorf(outpost.ENOTFOUND, "no event %d of %s", ev, outpost.Clip(id))
	}
	done := "voided"
	if kind == "amend" {
		req := registry.AmendRequest{At: f.At, Checkpoint: f.Checkpoint, Status: f.Status, Reason: f.Reason}
		// The form sends every field; only those changed are amended.
		for _, e := range d.Events {
			if e.ID != ev {
				continue
			}
			if req.At == e.At.In(h.timelineLoc(r)).Format(localMinute) {
				req.At = ""
			}
			if req.Checkpoint == string(e.Checkpoint) {
				req.Checkpoint = ""
			}
			if req.Status == string(e.Status) || e.Checkpoint != "" {
				req.Status = ""
			}
		}
		if req.At == "" && req.Checkpoint == "" && req.Status == "" {
			err = outpost.Errorf(outpost.EINVALID, "Nothing to amend: change the time or the checkpoint, or void the event.")
		} else {
			_, err = h.Registry.Amend(r.Context(), u, ev, req)
		}
		done = "amended"
	} else {
		_, err = h.Registry.Void(r.Context(), u, ev, registry.VoidRequest{Reason: f.Reason})
	}
	if c := outpost.ErrorCode(err); c == outpost.EINVALID || c == outpost.ECONFLICT {
		p, perr := h.personPage(r, id)
		if perr != nil {
			return perr
		}
		f.Error = outpost.ErrorMessage(err)
		p.CorrForm = f
		return h.Render(w, r, http.StatusBadRequest, "person", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/people/"+url.PathEscape(id)+"?done="+done+"#timeline", http.StatusSeeOther)
	return nil
}

// ReviewPage is the list of events recorded out of order.
type ReviewPage struct {
	Events  []outpost.Event
	Mission string
	Max     int
}

func (h *Web) review(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
	mission := r.URL.Query().Get("mission")
	evs, err := h.Registry.Flagged(r.Context(), u, mission)
	if err != nil {
		return err
	}
	if u.Role.MissionBound() {
		mission = u.Mission
	}
	return h.Render(w, r, http.StatusOK, "review", ReviewPage{Events: evs, Mission: mission, Max: registry.MaxFlagged})
}

// BulkPanel is the board's form that records one checkpoint for a
// household or every passenger the caller may track, and the
// confirmation of the last one, with its undo.
type BulkPanel struct {
	Households []string
	// Done is the confirmation: "group" after an action, "undone" after
	// its undo.
	Done       string
	Action     int64
	Checkpoint string
	Group      string
	Recorded   int
	Flagged    int
	Voided     int
	NotUndone  []string
	// Others counts the events left standing of people of missions the
	// caller may not correct; they are never named.
	Others      int
	Checkpoints []string
}

// bulkCheckpoints are the checkpoints a group is marked with at once.
var bulkCheckpoints = []string{"assembled", "departed", "crossed", "arrived"}

// bulkPanel makes the board's bulk form from its rows and the
// confirmation from the query the last action redirected with.
func bulkPanel(r *http.Request, p BoardPage) *BulkPanel {
	b := &BulkPanel{Checkpoints: bulkCheckpoints}
	for _, row := range p.Rows {
		if row.CanTrack && !slices.Contains(b.Households, row.Household) {
			b.Households = append(b.Households, row.Household)
		}
	}
	if len(b.Households) == 0 {
		return nil
	}
	q := r.URL.Query()
	n := func(k string) int { v, _ := strconv.Atoi(q.Get(k)); return min(max(v, 0), registry.MaxBulk) }
	switch q.Get("done") {
	case "group":
		if slices.Contains(outpost.Checkpoints, q.Get("cp")) {
			b.Done, b.Checkpoint, b.Recorded, b.Flagged = "group", q.Get("cp"), n("n"), n("flagged")
			b.Action, _ = strconv.ParseInt(q.Get("action"), 10, 64)
			if g := q.Get("group"); g == "all" || slices.Contains(b.Households, g) {
				b.Group = g
			}
		}
	case "undone":
		b.Done, b.Voided, b.Others = "undone", n("voided"), n("others")
		for _, id := range strings.Split(q.Get("left"), ",") {
			if outpost.IsID(id) && len(b.NotUndone) < 50 {
				b.NotUndone = append(b.NotUndone, id)
			}
		}
	}
	return b
}

func (h *Web) boardWithBulk(r *http.Request) (BoardPage, error) {
	p, err := h.boardPage(r)
	if err != nil {
		return p, err
	}
	p.Bulk = bulkPanel(r, p)
	return p, nil
}

func (h *Web) boardURL(r *http.Request, query string) string {
	return fmt.Sprintf("/evac/plans/%s/departures/%s?%s#bulk", url.PathEscape(r.PathValue("plan")), url.PathEscape(r.PathValue("departure")), query)
}

// evacGroup records one checkpoint for a household of the board, or every
// passenger the caller may track, as one undoable action.
func (h *Web) evacGroup(w http.ResponseWriter, r *http.Request) error {
	if err := form(w, r); err != nil {
		return err
	}
	p, err := h.boardWithBulk(r)
	if err != nil {
		return err
	}
	u := transport.Caller(r)
	if err := registry.MayTrack(u); err != nil {
		return err
	}
	group, cp := r.PostForm.Get("group"), r.PostForm.Get("checkpoint")
	var people []string
	for _, row := range p.Rows {
		if row.CanTrack && (group == "all" || row.Household == group) {
			people = append(people, row.Person)
		}
	}
	what := "household " + group
	if group == "all" {
		what = "departure " + p.Board.Departure
	}
	var res registry.BulkResult
	switch {
	case len(people) == 0:
		err = outpost.Errorf(outpost.EINVALID, "Choose a household of this departure, or everyone.")
	case !slices.Contains(bulkCheckpoints, cp):
		err = outpost.Errorf(outpost.EINVALID, "Choose a checkpoint: %s.", strings.Join(bulkCheckpoints, ", "))
	default:
		res, err = h.Registry.TrackGroup(r.Context(), u, what, people, cp)
	}
	if outpost.ErrorCode(err) == outpost.EINVALID {
		p.Error = outpost.ErrorMessage(err)
		return h.Render(w, r, http.StatusBadRequest, "evac_board", p)
	}
	if err != nil {
		return err
	}
	q := url.Values{"done": {"group"}, "action": {strconv.FormatInt(res.Action.ID, 10)}, "cp": {cp}, "group": {group},
		"n": {strconv.Itoa(res.Recorded)}, "flagged": {strconv.Itoa(res.Flagged)}}
	http.Redirect(w, r, h.boardURL(r, q.Encode()), http.StatusSeeOther)
	return nil
}

// evacUndo undoes a bulk action from its confirmation on the board.
func (h *Web) evacUndo(w http.ResponseWriter, r *http.Request) error {
	if err := form(w, r); err != nil {
		return err
	}
	if _, err := h.boardPage(r); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PostForm.Get("action"), 10, 64)
	if err != nil || id <= 0 {
		return outpost.Errorf(outpost.ENOTFOUND, "no action %q", outpost.Clip(r.PostForm.Get("action")))
	}
	u, err := h.Registry.Undo(r.Context(), transport.Caller(r), id)
	if outpost.ErrorCode(err) == outpost.ECONFLICT {
		p, perr := h.boardWithBulk(r)
		if perr != nil {
			return perr
		}
		p.Error = outpost.ErrorMessage(err)
		return h.Render(w, r, http.StatusConflict, "evac_board", p)
	}
	if err != nil {
		return err
	}
	var left []string
	for _, s := range u.Skipped {
		if !slices.Contains(left, s.Event.Person) {
			left = append(left, s.Event.Person)
		}
	}
	q := url.Values{"done": {"undone"}, "voided": {strconv.Itoa(len(u.Voided))}}
	if u.Others > 0 {
		q.Set("others", strconv.Itoa(u.Others))
	}
	if len(left) > 0 {
		q.Set("left", strings.Join(left, ","))
	}
	http.Redirect(w, r, h.boardURL(r, q.Encode()), http.StatusSeeOther)
	return nil
}
