package imports_test

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/imports"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
)

// changes lists a preview's changes as "KEY COLUMN OLD→NEW".
func changes(p imports.Preview) []string {
	var out []string
	for _, r := range p.Rows {
		for _, c := range r.Changes {
			out = append(out, r.Key+" "+c.Column+" "+c.Old+"→"+c.New)
		}
	}
	return out
}

// TestPreviewShowsExitDocumentChanges: a people file whose only change is
// in its exit-document columns is previewed as an update naming them (it
// once showed as unchanged while its commit rewrote the documents), only
// the file's columns are compared, and the commit sets those and keeps the
// others, audited.
func TestPreviewShowsExitDocumentChanges(t *testing.T) {
	engines(t, func(t *testing.T, db *store.DB, svc *imports.Service) {
		ctx := storetest.Ctx()
		docs := outpost.ExitDocuments{Person: "RU-0001", Sex: "F", PermitStatus: outpost.PermitRefused, QuarantineUntil: "2021-04-10"}
		if err := db.SetExitDocuments(ctx, docs); err != nil {
			t.Fatal(err)
		}
		p, err := db.Person(ctx, "RU-0001")
		if err != nil {
			t.Fatal(err)
		}
		v := registry.PersonValues(p)
		v["status"], v["sex"], v["quarantine_until"] = string(p.Status), "F", "2021-04-20"
		cols := []string{"id", "household", "given_name", "family_name", "nationality", "mission", "category",
			"birth_date", "essential", "medical", "status", "ready", "passport", "sex", "quarantine_until"}
		var b strings.Builder
		w := csv.NewWriter(&b)
		w.Write(cols)
		row := make([]string, len(cols))
		for i, c := range cols {
			row[i] = v[c]
		}
		w.Write(row)
		w.Flush()
		pv, err := svc.Upload(ctx, admin, "people", "people.csv", []byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"RU-0001 quarantine_until 2021-04-10→2021-04-20"}
		if got := changes(pv); pv.Updated != 1 || !slices.Equal(got, want) {
			t.Errorf("preview: %d updated, changes %q; want 1 and %q", pv.Updated, got, want)
		}
		if _, _, err := svc.Commit(ctx, admin, pv.Draft); err != nil {
			t.Fatal(err)
		}
		after, err := db.ExitDocuments(ctx, "RU-0001")
		wantDocs := docs
		wantDocs.QuarantineUntil = "2021-04-20"
		if err != nil || after != wantDocs {
			t.Errorf("after the commit: %+v, %v; want %+v (the permit kept)", after, err, wantDocs)
		}
		entries, err := db.Audit(ctx, outpost.AuditFilter{Entity: "exit_documents", Limit: 1})
		if err != nil || len(entries) != 1 || entries[0].Action != "import" || entries[0].Actor != "root" ||
			!strings.Contains(entries[0].Before, "2021-04-10") || !strings.Contains(entries[0].After, "2021-04-20") {
			t.Errorf("audit: %+v, %v; want the import's entry with both versions", entries, err)
		}
		again, err := svc.Upload(ctx, admin, "people", "people.csv", []byte(b.String()))
		if err != nil || again.Updated != 0 || again.Unchanged != 1 {
			t.Errorf("the same file after its commit: %+v, %v; want unchanged", again, err)
		}
	})
}

// TestPreviewShowsStatusSince: a missions row that dates its status is
// compared with the day the mission's status took effect.
func TestPreviewShowsStatusSince(t *testing.T) {
	engines(t, func(t *testing.T, db *store.DB, svc *imports.Service) {
		ctx := storetest.Ctx()
		upload := func(status, since string) imports.Preview {
			t.Helper()
			file := "code,name,country,kind,status,min_staff,status_since\nRU,Embassy of Russia,RU,embassy," + status + ",2," + since + "\n"
			m, err := db.Mission(ctx, "RU")
			if err != nil {
				t.Fatal(err)
			}
			file = strings.Replace(file, "Embassy of Russia", m.Name, 1)
			file = strings.Replace(file, ",2,", ","+registry.MissionValues(m)["min_staff"]+",", 1)
			p, err := svc.Upload(ctx, coord, "missions", "missions.csv", []byte(file))
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		p := upload("reduced", "2021-03-01")
		if got, want := changes(p), []string{"RU status open→reduced", "RU status_since →2021-03-01"}; !slices.Equal(got, want) {
			t.Errorf("first dated change: %q, want %q", got, want)
		}
		if _, _, err := svc.Commit(ctx, coord, p.Draft); err != nil {
			t.Fatal(err)
		}
		if p := upload("reduced", "2021-03-01"); p.Updated != 0 {
			t.Errorf("the same row again: %q, want unchanged", changes(p))
		}
		// Reduced already then: the import keeps the entry of 1 March.
		if p := upload("reduced", "2021-03-05"); p.Updated != 0 {
			t.Errorf("a later day of the same status: %q, want unchanged", changes(p))
		}
		// Another day for the change: what the commit rewrites shows.
		if _, err := db.SetMissionStatus(ctx, outpost.MissionStatusChange{Mission: "RU", Status: outpost.MissionClosed,
			Since: time.Date(2021, 3, 20, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		if got, want := changes(upload("closed", "2021-03-15")), []string{"RU status_since 2021-03-20→2021-03-15"}; !slices.Equal(got, want) {
			t.Errorf("an earlier day for the latest change: %q, want %q", got, want)
		}
	})
}
