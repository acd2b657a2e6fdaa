package census

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"pgregory.net/rapid"
)

// TestApplyEqualsBuild checks that a population changed by Apply counts
// as one built afresh from the same people, at every moment, and that the
// population it was derived from still counts as before.
func TestApplyEqualsBuild(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		codes := []string{"RU", "CN", "WFP", "XX"}
		missions := func() []outpost.Mission {
			var ms []outpost.Mission
			for _, c := range codes[:3] {
				ms = append(ms, outpost.Mission{Code: c, Name: rapid.SampledFrom([]string{"", "a", "b"}).Draw(t, "name"),
					Status: rapid.SampledFrom([]outpost.MissionStatus{"open", "reduced", "closed"}).Draw(t, "mstatus")})
			}
			return ms
		}
		person := func(id string) outpost.Presence {
			var h []outpost.StatusAt
			at := int64(rapid.IntRange(0, 20).Draw(t, "start"))
			for j := rapid.IntRange(0, 4).Draw(t, "events"); j > 0; j-- {
				h = append(h, outpost.StatusAt{At: at, Status: rapid.SampledFrom(statuses).Draw(t, "status")})
				at += int64(rapid.IntRange(0, 10).Draw(t, "gap"))
			}
			return outpost.Presence{Person: id, Mission: rapid.SampledFrom(codes).Draw(t, "mission"),
				Nationality: rapid.SampledFrom([]string{"RU", "CN", "IT", "FR"}).Draw(t, "nat"),
				Category:    rapid.SampledFrom([]outpost.Category{outpost.Staff, outpost.HeadOfMission, outpost.Dependent}).Draw(t, "cat"), History: h}
		}
		ms := missions()
		people := map[string]outpost.Presence{}
		for i := range rapid.IntRange(0, chunkSize+40).Draw(t, "people") {
			id := fmt.Sprintf("p%04d", i)
			people[id] = person(id)
		}
		build := func() *Population {
			p, _ := Build(ms, func(fn func(outpost.Presence) error) error {
				for _, id := range slices.Sorted(mapsKeys(people)) {
					if err := fn(people[id]); err != nil {
						return err
					}
				}
				return nil
			})
			return p
		}
		p := build()
		for range rapid.IntRange(1, 8).Draw(t, "steps") {
			before := p.At(time.Unix(15, 0))
			var put []outpost.Presence
			var gone []string
			var newMissions []outpost.Mission
			for range rapid.IntRange(0, 4).Draw(t, "changes") {
				switch rapid.IntRange(0, 3).Draw(t, "kind") {
				case 0, 1:
					id := fmt.Sprintf("p%04d", rapid.IntRange(chunkSize-20, chunkSize+60).Draw(t, "who"))
					pr := person(id)
					people[id] = pr
					put = append(put, pr)
					gone = slices.DeleteFunc(gone, func(x string) bool { return x == id })
				case 2:
					id := fmt.Sprintf("p%04d", rapid.IntRange(chunkSize-20, chunkSize+60).Draw(t, "who"))
					delete(people, id)
					put = slices.DeleteFunc(put, func(x outpost.Presence) bool { return x.Person == id })
					gone = append(gone, id)
				case 3:
					ms = missions()
					newMissions = ms
				}
			}
			q := p.Apply(newMissions, put, gone)
			if got := p.At(time.Unix(15, 0)); !reflect.DeepEqual(got, before) {
				t.Fatalf("the old population changed: got %+v, want %+v", got, before)
			}
			p = q
			want := build()
			if p.Len() != want.Len() || p.LastEvent() != want.LastEvent() {
				t.Fatalf("len %d last %d, want %d %d", p.Len(), p.LastEvent(), want.Len(), want.LastEvent())
			}
			for at := int64(-1); at <= 70; at += 7 {
				tm := time.Unix(at, 0).UTC()
				if g, w := p.At(tm), want.At(tm); !reflect.DeepEqual(g, w) {
					t.Fatalf("at %d: got %+v, want %+v", at, g, w)
				}
			}
			if g, w := p.Latest(time.Unix(1, 0)), want.Latest(time.Unix(1, 0)); !reflect.DeepEqual(g, w) {
				t.Fatalf("latest: got %+v, want %+v", g, w)
			}
			for id, pr := range people {
				got, ok := p.Person(id)
				if !ok || got.Mission != pr.Mission || got.Nationality != pr.Nationality || got.Category != pr.Category ||
					len(got.History) != len(pr.History) || (len(pr.History) > 0 && !reflect.DeepEqual(got.History, pr.History)) {
					t.Fatalf("person %s: got %+v (%v), want %+v", id, got, ok, pr)
				}
			}
			for _, id := range gone {
				if _, ok := p.Person(id); ok && people[id].Person == "" {
					t.Fatalf("person %s removed but still there", id)
				}
			}
		}
	})
}

func mapsKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// BenchmarkApplyMillion compares applying one person's new event to a
// population of a million with building the population afresh.
func BenchmarkApplyMillion(b *testing.B) {
	p := million(b)
	p.Seal()
	pr, _ := p.Person("500000")
	pr.History = append(pr.History, outpost.StatusAt{At: pr.History[len(pr.History)-1].At + 60, Status: outpost.InTransit})
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	b.Run("apply-one", func(b *testing.B) {
		for b.Loop() {
			q := p.Apply(nil, []outpost.Presence{pr}, nil)
			q.At(now)
		}
	})
	b.Run("rebuild", func(b *testing.B) {
		var all []outpost.Presence
		for i := range 1_000_000 {
			x, _ := p.Person(fmt.Sprint(i))
			all = append(all, x)
		}
		for b.Loop() {
			q, _ := Build(nil, func(fn func(outpost.Presence) error) error {
				for _, x := range all {
					fn(x)
				}
				return nil
			})
			q.At(now)
		}
	})
}
