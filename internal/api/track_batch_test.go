package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/outpost-org/outpost/internal/api"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/storetest"
)

// mixedBatch is a scanner's queue with every kind of scan: good ones, a
// person who does not exist, a repeat in the batch, one out of order with
// a checkpoint recorded before, a person of another mission, an unknown
// checkpoint, a time too far ahead, none at all, and one before the
// person was registered.
const mixedBatch = `{"scans": [
 {"person": "RU-0001", "checkpoint": "assembled", "at": "2021-04-01T08:00:00Z", "scan_id": "g1-0"},
 {"person": "RU-0001", "checkpoint": "departed", "at": "2021-04-01T09:00:00Z", "scan_id": "g1-1"},
 {"person": "NOPE-0000", "checkpoint": "departed", "at": "2021-04-01T09:00:00Z", "scan_id": "g1-2"},
 {"person": "RU-0001", "checkpoint": "departed", "at": "2021-04-01T09:00:00Z", "scan_id": "g1-3"},
 {"person": "RU-0002", "checkpoint": "crossed", "at": "2021-04-01T07:00:00Z", "scan_id": "g1-4"},
 {"person": "SE-0001", "checkpoint": "departed", "at": "2021-04-01T09:00:00Z"},
 {"person": "RU-0003", "checkpoint": "boarded", "at": "2021-04-01T09:00:00Z"},
 {"person": "RU-0003", "checkpoint": "departed", "at": "2021-04-03T12:00:01Z"},
 {"person": "RU-0003", "checkpoint": "departed", "at": ""},
 {"person": "RU-0003", "checkpoint": "arrived", "at": "2019-01-01T00:00:00Z"},
 {"person": "RU-0003", "checkpoint": "departed", "at": "2021-04-01T11:00", "note": "gate 2"}
]}`

func TestTrackBatchRecordsWhatItCanAndListsTheRest(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		// RU-0002 departed at 10:00, so a crossing at 07:00 is out of order.
		if a := c.do("POST", "/api/v1/people/RU-0002/track", "staff", `{"checkpoint":"departed","at":"2021-04-01T10:00:00Z"}`); a.status != http.StatusCreated {
			t.Fatalf("track: %d %s", a.status, a.body)
		}
		want := registry.ScanReport{Recorded: 3, Duplicates: 1, Refused: 7, Refusals: []registry.ScanRefusal{
			{Index: 2, ScanID: "g1-2", Person: "NOPE-0000", Kind: "unknown_person", Reason: `no person "NOPE-0000"`},
			{Index: 4, ScanID: "g1-4", Person: "RU-0002", Kind: "out_of_order", Reason: "crossed at 2021-04-01T07:00:00Z is before departed at 2021-04-01T10:00:00Z"},
			{Index: 5, Person: "SE-0001", Kind: "unknown_person", Reason: `no person "SE-0001"`},
			{Index: 6, Person: "RU-0003", Kind: "invalid", Reason: `checkpoint "boarded": want one of assembled, departed, crossed, arrived, returned`},
			{Index: 7, Person: "RU-0003", Kind: "invalid", Reason: `at "2021-04-03T12:00:01Z": is more than a day in the future`},
			{Index: 8, Person: "RU-0003", Kind: "invalid", Reason: "at: required: the time the scan was taken"},
			{Index: 9, Person: "RU-0003", Kind: "invalid", Reason: "at 2019-01-01T00:00:00Z: is before the person was registered (2020-02-01T00:00:00Z)"},
		}}
		a := c.do("POST", "/api/v1/track", "staff", mixedBatch)
		if a.status != http.StatusOK {
			t.Fatalf("batch: %d %s", a.status, a.body)
		}
		if diff := cmp.Diff(want, decode[registry.ScanReport](t, a)); diff != "" {
			t.Errorf("first upload (-want +got):\n%s", diff)
		}
		events := func() map[string][]string {
			out := map[string][]string{}
			for _, id := range people {
				evs, err := c.store.Events(storetest.Ctx(), id)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range evs {
					out[id] = append(out[id], fmt.Sprintf("%s %s %s %s", e.At.UTC().Format("15:04"), e.Checkpoint, e.Status, e.Note))
				}
			}
			return out
		}
		wantEvents := map[string][]string{
			"RU-0001":  {"00:00  in_country ", "08:00 assembled in_country ", "09:00 departed in_transit "},
			"RU-0002":  {"00:00  in_country ", "10:00 departed in_transit "},
			"RU-0003":  {"00:00  in_country ", "11:00 departed in_transit gate 2"},
			"SE-0001":  {"00:00  in_country "},
			"SE-0002":  {"00:00  in_country "},
			"WFP-0001": {"00:00  in_country "},
		}
		if diff := cmp.Diff(wantEvents, events()); diff != "" {
			t.Errorf("events after the first upload (-want +got):\n%s", diff)
		}
		p, err := c.store.Person(storetest.Ctx(), "RU-0001")
		if err != nil || p.Status != outpost.InTransit {
			t.Errorf("RU-0001 after the batch: %+v %v, want in transit", p, err)
		}

		// The scanner lost the answer and sends its queue again: nothing
		// is recorded twice.
		want.Recorded, want.Duplicates = 0, 4
		if diff := cmp.Diff(want, decode[registry.ScanReport](t, c.do("POST", "/api/v1/track", "staff", mixedBatch))); diff != "" {
			t.Errorf("second upload (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantEvents, events()); diff != "" {
			t.Errorf("events after the second upload (-want +got):\n%s", diff)
		}
		entries, err := c.store.Audit(storetest.Ctx(), outpost.AuditFilter{Entity: "person", Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		tracked := 0
		for _, e := range entries {
			if e.Action == "track" && e.Actor == "staff" {
				tracked++
			}
		}
		if tracked != 4 {
			t.Errorf("audit: %d checkpoints by staff, want 4 (one single, three in the batch)", tracked)
		}

		// The admin's batch may track anyone; another mission's manager
		// sees RU's people as nobody.
		rep := decode[registry.ScanReport](t, c.do("POST", "/api/v1/track", "se-manager",
			`{"scans":[{"person":"RU-0003","checkpoint":"crossed","at":"2021-04-01T11:30:00Z"},{"person":"SE-0002","checkpoint":"assembled","at":"2021-04-01T11:30:00Z"}]}`))
		if rep.Recorded != 1 || len(rep.Refusals) != 1 || rep.Refusals[0].Reason != `no person "RU-0003"` {
			t.Errorf("SE's manager: got %+v, want SE-0002 recorded and RU-0003 unknown", rep)
		}
	})
}

func TestTrackBatchRefusesWholeOnlyWhatIsNotABatch(t *testing.T) {
	each(t, func(t *testing.T, c *corps) {
		for _, who := range []string{"press", "coordinator"} {
			if a := c.do("POST", "/api/v1/track", who, mixedBatch); a.status != http.StatusForbidden {
				t.Errorf("as %s: got %d %s, want 403", who, a.status, a.body)
			}
		}
		if a := c.do("POST", "/api/v1/track", "", mixedBatch); a.status != http.StatusUnauthorized {
			t.Errorf("nobody: got %d, want 401", a.status)
		}
		tooMany := `{"scans":[` + strings.Repeat(`{"person":"RU-0001","checkpoint":"assembled","at":"2021-04-01T08:00:00Z"},`, registry.MaxScans) +
			`{"person":"RU-0001","checkpoint":"assembled","at":"2021-04-01T08:00:00Z"}]}`
		cases := []struct{ body, want string }{
			{`{"scans":[{"person":"RU-0001","checkpoint":"assembled","at":"2021-04-01T08:00:00Z","gate":"2"}]}`, `unknown field \"gate\"`},
			{`{"scans":[{"person":5}]}`, `scans[].person: want a string (got a JSON number`},
			{`{"scans":"RU-0001"}`, `scans: want a list (got a JSON string`},
			{`{}`, `scans: required`},
			{`[]`, `want a JSON object`},
			{``, `no JSON body`},
			{`{"scans":[]} {}`, `more than one JSON value`},
			{tooMany, fmt.Sprintf("at most %d scans in one batch (got %d)", registry.MaxScans, registry.MaxScans+1)},
			{`{"scans":[` + strings.Repeat(" ", api.MaxScanBody) + `]}`, `over 8 MiB`},
		}
		for _, tc := range cases {
			a := c.do("POST", "/api/v1/track", "staff", tc.body)
			if a.status != http.StatusBadRequest || !strings.Contains(a.body, tc.want) {
				t.Errorf("%.60q: got %d %.300s, want 400 saying %s", tc.body, a.status, a.body, tc.want)
			}
		}
		evs, err := c.store.Events(storetest.Ctx(), "RU-0001")
		if err != nil || len(evs) != 1 {
			t.Errorf("after refused batches RU-0001 has %d events (%v), want the 1 imported", len(evs), err)
		}
	})
}
