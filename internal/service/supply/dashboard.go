package supply

import (
	"context"
	"fmt"

	"github.com/outpost-org/outpost/internal/outpost"
	ledger "github.com/outpost-org/outpost/internal/supply"
)

// Attention is what of the stock needs someone's attention on a day: the
// rows short of supply or with nothing on hand, and each mission's last
// ledger entry, so that old figures are not read as today's.
type Attention struct {
	// Rows are the status rows in shortage or at zero on hand, of the
	// missions the caller may read, by mission then item.
	Rows []ledger.Row
	// LastEntry is each mission's latest receipt or issue dated on or
	// before the day, for the missions the caller may read.
	LastEntry map[string]outpost.Date
}

// Attention answers the stock that needs attention at the end of q.AsOf
// for caller, as Rows restricts it.
func (s *Service) Attention(ctx context.Context, caller outpost.User, q Query) (Attention, error) {
	rows, err := s.Rows(ctx, caller, q)
	if err != nil {
		return Attention{}, err
	}
	out := Attention{Rows: []ledger.Row{}, LastEntry: map[string]outpost.Date{}}
	for _, r := range rows {
		if r.Shortage || r.OnHand <= 0 {
			out.Rows = append(out.Rows, r)
		}
	}
	last, err := s.store.LastStockEntries(ctx, q.AsOf)
	if err != nil {
		return out, fmt.Errorf("stock attention: %w", err)
	}
	for m, d := range last {
		if mission, ok := Scope(caller, m); ok && mission == m {
			out.LastEntry[m] = d
		}
	}
	return out, nil
}
