package store

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/outpost-org/outpost/internal/outpost"
)

// linearOutOfOrder is the journey check by a walk through the whole
// history, as a batch did it before it searched: the reference.
func linearOutOfOrder(hist []trackedAt, c outpost.Checkpoint, at int64) string {
	k := c.JourneyStage()
	if k < 0 {
		return ""
	}
	lo, hi := int64(-1<<62), int64(1<<62)
	for _, e := range hist {
		if e.checkpoint != outpost.Returned {
			continue
		}
		if e.at <= at && e.at > lo {
			lo = e.at
		}
		if e.at > at && e.at < hi {
			hi = e.at
		}
	}
	for _, e := range hist {
		s := e.checkpoint.JourneyStage()
		if e.checkpoint == "" || s < 0 || e.at < lo || e.at >= hi {
			continue
		}
		switch {
		case s < k && e.at > at:
			return fmt.Sprintf("%s at %s is before %s at %s", c, unixTime(at), e.checkpoint, unixTime(e.at))
		case s > k && e.at < at:
			return fmt.Sprintf("%s at %s is after %s at %s", c, unixTime(at), e.checkpoint, unixTime(e.at))
		}
	}
	return ""
}

// TestJournalAnswersAsAWalk: the journal's searches (duplicates, order,
// status at a time) answer what a walk through the history answers, for
// any history built by inserts in any order.
func TestJournalAnswersAsAWalk(t *testing.T) {
	cps := []outpost.Checkpoint{outpost.Assembled, outpost.Departed, outpost.Crossed, outpost.Arrived, outpost.Returned, ""}
	sts := []outpost.Status{outpost.InCountry, outpost.InTransit, outpost.Left}
	rapid.Check(t, func(t *rapid.T) {
		var h journal
		var hist []trackedAt // in (at, id) order, kept by a walk
		for id := range rapid.IntRange(0, 40).Draw(t, "events") {
			e := trackedAt{at: int64(rapid.IntRange(0, 30).Draw(t, "at")), id: int64(id + 1),
				checkpoint: rapid.SampledFrom(cps).Draw(t, "checkpoint"), status: rapid.SampledFrom(sts).Draw(t, "status")}
			if rapid.Bool().Draw(t, "indexed") {
				h.insert(e)
			} else {
				h.events = append(h.events, e)
				h.events = sortTracked(h.events)
				h = journal{events: h.events}
				h.index()
			}
			hist = sortTracked(append(hist, e))
		}
		c := rapid.SampledFrom(cps).Draw(t, "scan")
		at := int64(rapid.IntRange(-1, 31).Draw(t, "scan at"))
		if got, want := h.outOfOrder(c, at), linearOutOfOrder(hist, c, at); got != want {
			t.Fatalf("outOfOrder(%s, %d) = %q, want %q (history %+v)", c, at, got, want, hist)
		}
		has := false
		var st outpost.Status = "registered"
		for _, e := range hist {
			has = has || (e.at == at && e.checkpoint == c)
			if e.at <= at {
				st = e.status
			}
		}
		if got := h.has(at, c); got != has {
			t.Fatalf("has(%d, %s) = %v, want %v", at, c, got, has)
		}
		if got := h.statusAt(at, -100, "registered", "current"); got != st {
			t.Fatalf("statusAt(%d) = %s, want %s", at, got, st)
		}
	})
}

// sortTracked sorts a history by (at, id), by insertion.
func sortTracked(hs []trackedAt) []trackedAt {
	for i := 1; i < len(hs); i++ {
		for j := i; j > 0 && (hs[j].at < hs[j-1].at || hs[j].at == hs[j-1].at && hs[j].id < hs[j-1].id); j-- {
			hs[j], hs[j-1] = hs[j-1], hs[j]
		}
	}
	return hs
}
