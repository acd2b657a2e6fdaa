package outpost

import "context"

// SupplyStore keeps the stock ledger: items, receipts by lot, issues and
// transfers. Every write keeps the ledger feasible: no issue may ever ask
// for more than the mission had on hand on its date, so a write that would
// break one is refused whole.
type SupplyStore interface {
	// ImportItems inserts or updates items by code, all or nothing.
	ImportItems(ctx context.Context, b Batch[Item]) (ImportStats, error)
	// Items lists the catalogue by code.
	Items(ctx context.Context) ([]Item, error)
	// Item returns one item, or ENOTFOUND.
	Item(ctx context.Context, code string) (Item, error)

	// ImportStock inserts or updates receipts by (mission, item, lot), all
	// or nothing. A corrected lot that leaves a recorded issue uncovered
	// refuses the file with an EINVALID error whose cause is RowProblems
	// located on the stock rows.
	ImportStock(ctx context.Context, b Batch[Receipt]) (ImportStats, error)
	// ImportUsage appends issues, all or nothing. An issue larger than the
	// stock on hand at its date refuses the file with an EINVALID error
	// whose cause is RowProblems located on the usage rows.
	ImportUsage(ctx context.Context, b Batch[Issue]) (ImportStats, error)

	// Receive records one new lot; ECONFLICT if the mission already has a
	// lot of that name for the item.
	Receive(ctx context.Context, r Receipt) (Receipt, error)
	// IssueStock records one issue; ECONFLICT if it asks for more than is
	// on hand at its date, or leaves a later issue uncovered.
	IssueStock(ctx context.Context, u Issue) (Issue, error)
	// Transfer records stock handed from one mission to another: the
	// quantity is drawn first-expiry-first-out from the giver's lots as of
	// the date, issued there, and received by the other mission as one lot
	// per lot drawn, named after its origin and with the same expiry.
	// ECONFLICT if the giver has not enough.
	Transfer(ctx context.Context, t Transfer) (Transfer, error)
	// Transfers lists recorded transfers, newest first; mission "" lists
	// all, otherwise those the mission gave or received.
	Transfers(ctx context.Context, mission string) ([]Transfer, error)

	// Ledger loads the receipts and issues f selects, for package supply.
	Ledger(ctx context.Context, f LedgerFilter) (Ledger, error)
}
