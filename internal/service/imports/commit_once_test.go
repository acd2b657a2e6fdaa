package imports_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/imports"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
)

// usageIssues counts the usage rows of RU's rice in the ledger.
func usageIssues(t *testing.T, db *store.DB) int {
	t.Helper()
	l, err := db.Ledger(storetest.Ctx(), outpost.LedgerFilter{Mission: "RU", Item: "RICE"})
	if err != nil {
		t.Fatal(err)
	}
	return len(l.Issues)
}

// stockedUsageDraft records rice and RU's stock of it, and uploads a
// usage file of two rows as a draft of the clerk.
func stockedUsageDraft(t *testing.T, svc *imports.Service) int64 {
	t.Helper()
	ctx := storetest.Ctx()
	items, err := svc.Upload(ctx, admin, "items", "items.csv", []byte("code,name,kind,unit\nRICE,Rice,food,kg\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Commit(ctx, admin, items.Draft); err != nil {
		t.Fatal(err)
	}
	stock, err := svc.Upload(ctx, clerk, "stock", "stock.csv", []byte("mission,item,lot,quantity,received\nRU,RICE,L1,1000,2021-03-01\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Commit(ctx, clerk, stock.Draft); err != nil {
		t.Fatal(err)
	}
	p, err := svc.Upload(ctx, clerk, "usage", "usage.csv", []byte("mission,item,quantity,date\nRU,RICE,3,2021-03-02\nRU,RICE,9,2021-03-03\n"))
	if err != nil || p.New != 2 {
		t.Fatalf("usage: %+v, %v", p, err)
	}
	return p.Draft
}

// A usage draft committed by several requests at once (a double click,
// two tabs) is written once: usage rows are appended, so a second write
// would count the rice twice. The others are told it was committed.
func TestConcurrentCommitsWriteOnce(t *testing.T) {
	engines(t, func(t *testing.T, db *store.DB, svc *imports.Service) {
		draft := stockedUsageDraft(t, svc)
		const n = 6
		var wg sync.WaitGroup
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, _, errs[i] = svc.Commit(storetest.Ctx(), clerk, draft)
			}()
		}
		close(start)
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case outpost.ErrorCode(err) != outpost.ECONFLICT || !strings.Contains(outpost.ErrorMessage(err), "already committed"):
				t.Errorf("a second commit: got %v (%s), want a conflict saying it was already committed", err, outpost.ErrorCode(err))
			}
		}
		if ok != 1 {
			t.Errorf("%d of %d commits wrote the draft, want exactly 1", ok, n)
		}
		if got := usageIssues(t, db); got != 2 {
			t.Errorf("usage rows after %d concurrent commits: got %d, want 2", n, got)
		}
		// Later, the answer stays the same and nothing more is written.
		_, _, err := svc.Commit(storetest.Ctx(), clerk, draft)
		if outpost.ErrorCode(err) != outpost.ECONFLICT || !strings.Contains(outpost.ErrorMessage(err), "usage.csv was already committed") {
			t.Errorf("a commit after the commit: got %v", err)
		}
		if got := usageIssues(t, db); got != 2 {
			t.Errorf("usage rows after a late commit: got %d, want 2", got)
		}
		// Another user still learns nothing of the draft.
		if _, _, err := svc.Commit(storetest.Ctx(), admin, draft); outpost.ErrorCode(err) != outpost.ENOTFOUND {
			t.Errorf("the admin commits the clerk's committed draft: got %v, want not found", err)
		}
	})
}

// failingUsage is a store whose usage write fails, as a lost database
// connection would fail it.
type failingUsage struct{ *store.DB }

func (failingUsage) ImportUsage(context.Context, outpost.Batch[outpost.Issue]) (outpost.ImportStats, error) {
	return outpost.ImportStats{}, errors.New("connection reset")
}

// A commit whose write fails after the draft was claimed gives the
// draft back: the user may commit it again, and it is written then.
func TestFailedCommitKeepsTheDraft(t *testing.T) {
	engines(t, func(t *testing.T, db *store.DB, svc *imports.Service) {
		draft := stockedUsageDraft(t, svc)
		broken := imports.New(failingUsage{db}, svc.Now)
		_, _, err := broken.Commit(storetest.Ctx(), clerk, draft)
		if err == nil || !strings.Contains(err.Error(), "connection reset") {
			t.Fatalf("a failing write: got %v", err)
		}
		if _, err := svc.Preview(storetest.Ctx(), clerk, draft); err != nil {
			t.Fatalf("the draft after a failed write: %v", err)
		}
		if _, _, err := svc.Commit(storetest.Ctx(), clerk, draft); err != nil {
			t.Fatalf("the commit after a failed write: %v", err)
		}
		if got := usageIssues(t, db); got != 2 {
			t.Errorf("usage rows: got %d, want 2", got)
		}
	})
}

// A committed draft answers "already committed" for an hour after its
// commit, then goes as an expired draft does; it never counts against
// its owner's drafts.
func TestCommittedDraftsExpire(t *testing.T) {
	engines(t, func(t *testing.T, db *store.DB, svc *imports.Service) {
		ctx := storetest.Ctx()
		file := []byte("code,name,kind,status\nRU,Embassy of Russia,embassy,open\n")
		p, err := svc.Upload(ctx, coord, "missions", "m.csv", file)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Commit(ctx, coord, p.Draft); err != nil {
			t.Fatal(err)
		}
		// The owner's full quota of drafts leaves the committed one be.
		for range imports.DraftsPerUser {
			if _, err := svc.Upload(ctx, coord, "missions", "m.csv", file); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := svc.Commit(ctx, coord, p.Draft); !imports.Committed(err) {
			t.Errorf("within the hour: got %v, want already committed", err)
		}
		late := imports.New(db, func() time.Time { return now.Add(imports.DraftTTL + time.Minute) })
		if _, err := late.Upload(ctx, admin, "missions", "m.csv", file); err != nil {
			t.Fatal(err)
		}
		// (SQLite may give its id to a new draft: ask as its owner.)
		if _, _, err := late.Commit(ctx, coord, p.Draft); outpost.ErrorCode(err) != outpost.ENOTFOUND {
			t.Errorf("a committed draft is kept beyond its hour: %v", err)
		}
	})
}
