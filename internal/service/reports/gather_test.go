package reports_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/report"
	"github.com/outpost-org/outpost/internal/service/reports"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// engines opens the stores the test runs on: SQLite always, PostgreSQL
// when OUTPOST_TEST_POSTGRES is set.
func engines(*testing.T) map[string]func(t testing.TB) *store.DB {
	return testkit.Stores(store.Open)
}

var day = outpost.Date("2021-04-01")

// seed fills a store with a little of everything, as of 1 April 2021
// (UTC): the seed people (in the country since February 2020), SE-0001
// gone in March and RU-0003 on 1 April, a departure before and one after,
// a restriction in force and one ended, stock, a roll call, medical cases
// and statements.
func seed(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := storetest.Ctx()
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	db.Now = func() time.Time { return at("2021-04-01T09:00:00Z") }
	storetest.Seed(t, db)
	if _, err := db.Track(ctx, outpost.Track{Person: "RU-0003", Checkpoint: outpost.Crossed, At: at("2021-04-01T08:00:00Z")}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Track(ctx, outpost.Track{Person: "SE-0001", Checkpoint: outpost.Crossed, At: at("2021-03-15T08:00:00Z")}); err != nil {
		t.Fatal(err)
	}
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.ImportDepartures(ctx, storetest.Batch(
		outpost.Departure{ID: "ROAD-0330", Route: "Pyongyang - Sinuiju", Departs: at("2021-03-30T00:30:00Z"), Seats: 10, Crossing: "SINUIJU"},
		outpost.Departure{ID: "TRAIN-0405", Route: "Pyongyang - Khasan", Departs: at("2021-04-05T00:30:00Z"), Seats: 12, Crossing: "TUMEN", Eligible: []string{"RU"}},
		outpost.Departure{ID: "OLD-0301", Route: "Long ago", Departs: at("2021-03-01T00:30:00Z"), Seats: 5},
	)))
	must(db.ImportRestrictions(ctx, storetest.Batch(
		outpost.Restriction{ID: "R-1", Kind: "border_closure", Crossing: "TUMEN", Starts: "2021-04-04", Ends: "2021-04-06", Note: "Bridge shut"},
		outpost.Restriction{ID: "R-2", Kind: "movement", Starts: "2020-09-01", Note: "No travel outside the city"},
		outpost.Restriction{ID: "R-3", Kind: "lockdown", Starts: "2020-02-04", Ends: "2020-03-01", Note: "Over"},
	)))
	must(db.ImportItems(ctx, storetest.Batch(
		outpost.Item{Code: "FLOUR", Name: "Wheat flour", Kind: outpost.ItemFood, Unit: "kg", DailyPerPerson: 0.5},
	)))
	must(db.ImportStock(ctx, storetest.Batch(
		outpost.Receipt{Mission: "RU", Item: "FLOUR", Lot: "L1", Quantity: 5, Received: "2021-03-01"},
		outpost.Receipt{Mission: "SE", Item: "FLOUR", Lot: "L1", Quantity: 50, Received: "2021-03-01"},
	)))
	must(db.StartRollCall(ctx, outpost.RollCall{Title: "Morning check"}))
	must(db.CheckIn(ctx, []outpost.Checkin{{RollCall: 1, Person: "RU-0001", Status: outpost.Safe, At: at("2021-04-01T09:10:00Z")},
		{RollCall: 1, Person: "WFP-0001", Status: outpost.NeedHelp, At: at("2021-04-01T09:10:00Z")}}))
	must(db.OpenCase(ctx, outpost.MedicalCase{Person: "RU-0001", Precedence: outpost.Urgent, Need: "dialysis"}))
	must(db.OpenCase(ctx, outpost.MedicalCase{Person: "WFP-0001", Precedence: outpost.Routine, Need: "glasses"}))
	st, err := db.CreateStatement(ctx, outpost.Statement{Mission: "RU", Title: "Published", Body: "x"})
	must(st, err)
	must(db.ApproveStatement(ctx, st.ID, time.Time{}))
	must(db.PublishStatement(ctx, st.ID, at("2021-03-28T10:00:00Z")))
	must(db.CreateStatement(ctx, outpost.Statement{Mission: "RU", Title: "Draft", Body: "x"}))
}

func TestSitrep(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			seed(t, db)
			ctx := context.Background()
			in, err := reports.Gather(ctx, db, reports.Options{Date: day, Loc: time.UTC, Now: db.Now(),
				StatementURL: func(id int64) string { return "/statements/1" }})
			if err != nil {
				t.Fatal(err)
			}
			c := in.Census
			if c == nil {
				t.Fatal("no census")
			}
			if diff := cmp.Diff(report.Counts{InCountry: 3, Left: 2, HeadsOfMission: 1}, c.Now); diff != "" {
				t.Errorf("census now (-want +got):\n%s", diff)
			}
			if c.Before.InCountry != 4 || len(c.Series) < 400 || c.Series[len(c.Series)-1].Date != "2021-04-01" {
				t.Errorf("census: got %d the day before and %d days of series ending %+v, want 4 and a year or more to 1 April",
					c.Before.InCountry, len(c.Series), c.Series[len(c.Series)-1])
			}
			var ids []string
			for _, d := range in.Departures.Rows {
				ids = append(ids, d.ID+":"+d.Note)
			}
			if diff := cmp.Diff([]string{"ROAD-0330:", "TRAIN-0405:crossing closed: R-1"}, ids); diff != "" {
				t.Errorf("departures in the window (-want +got):\n%s", diff)
			}
			var rs []string
			for _, r := range in.Restrictions.Rows {
				rs = append(rs, r.ID)
			}
			if diff := cmp.Diff([]string{"R-2"}, rs); diff != "" {
				t.Errorf("restrictions in force (-want +got):\n%s", diff)
			}
			if s := in.Supply; s == nil || len(s.Rows) != 1 || s.Rows[0].Mission != "RU" || !s.Rows[0].Shortage || !cmp.Equal(s.Vacant, []string{"SE"}) {
				t.Errorf("supply: got %+v, want RU short of flour and SE (nobody left) not listed", s)
			}
			if r := in.RollCalls; r == nil || len(r.Rows) != 1 || r.Rows[0].Safe != 1 || r.Rows[0].NeedHelp != 1 || !r.Rows[0].Open {
				t.Errorf("roll calls: got %+v", r)
			}
			if m := in.Medical; m == nil || m.Urgent != 1 || m.Routine != 1 || len(m.ByMission) != 2 || len(m.Cases) != 0 {
				t.Errorf("medical (corps): got %+v, want counts by mission and no case", m)
			}
			if s := in.Statements; s == nil || len(s.Rows) != 1 || s.Rows[0].Title != "Published" || s.Rows[0].URL == "" {
				t.Errorf("statements: got %+v, want the published one only, linked", s)
			}

			ru, err := reports.Gather(ctx, db, reports.Options{Date: day, Loc: time.UTC, Mission: "RU"})
			if err != nil {
				t.Fatal(err)
			}
			if ru.Mission == nil || ru.Census.Now.InCountry != 2 || ru.Census.Now.Left != 1 || ru.Census.ByMission != nil {
				t.Errorf("RU census: got %+v", ru.Census)
			}
			if m := ru.Medical; m == nil || m.Urgent != 1 || m.Routine != 0 || len(m.Cases) != 1 || m.Cases[0].Need != "dialysis" {
				t.Errorf("RU medical: got %+v, want its one case listed", m)
			}
			if r := ru.RollCalls; r == nil || len(r.Rows) != 1 || r.Rows[0].Expected != 2 || r.Rows[0].NeedHelp != 0 {
				t.Errorf("RU roll calls: got %+v, want the corps roll call counted for RU's people", r)
			}
			if _, err := reports.Gather(ctx, db, reports.Options{Date: day, Mission: "ZZ"}); outpost.ErrorCode(err) != outpost.ENOTFOUND {
				t.Errorf("unknown mission: got %v, want not found", err)
			}

			// A day before anything was recorded has no census yet.
			early, err := reports.Gather(ctx, db, reports.Options{Date: "2019-01-01", Loc: time.UTC})
			if err != nil {
				t.Fatal(err)
			}
			if early.Census != nil || early.Supply != nil {
				t.Errorf("1 January 2019: got census %+v and supply %+v, want neither", early.Census, early.Supply)
			}
		})
	}
}

// The service reads a report within what the caller may read, in the
// time zone Corps gives; the date is checked after the caller's rights.
func TestServiceSitrep(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			seed(t, db)
			corps := reports.CorpsFunc(func(context.Context) (reports.Population, error) {
				return reports.Population{Loc: time.UTC}, nil
			})
			svc := reports.New(db, corps, db.Now)
			ctx := context.Background()
			coord := outpost.User{ID: 2, Name: "coord", Role: outpost.RoleCoordinator}
			if _, err := svc.Sitrep(ctx, coord, reports.Query{Mission: "RU", Date: "nonsense"}); outpost.ErrorCode(err) != outpost.ENOTFOUND {
				t.Errorf("coordinator asks for RU: got %v, want not found", err)
			}
			if _, err := svc.Sitrep(ctx, coord, reports.Query{Date: "nonsense"}); outpost.ErrorCode(err) != outpost.EINVALID {
				t.Errorf("a bad date: got %v, want invalid", err)
			}
			in, err := svc.Sitrep(ctx, outpost.Operator("cli"), reports.Query{Mission: "RU"})
			if err != nil || in.Date != "2021-04-01" || in.Mission == nil || in.Mission.Code != "RU" {
				t.Fatalf("RU today: got %+v, %v", in, err)
			}
			doc, err := reports.Render(in, "html")
			if err != nil || doc.Name != "sitrep-2021-04-01-RU.html" || !strings.HasPrefix(doc.Type, "text/html") {
				t.Errorf("render: got %q %q, %v", doc.Name, doc.Type, err)
			}
			if _, err := reports.Render(in, "docx"); outpost.ErrorCode(err) != outpost.EINVALID {
				t.Errorf("render docx: got %v, want invalid", err)
			}
		})
	}
}
