package outpost

// SupplyStore keeps the stock ledger: items, receipts by lot, issues and transfers.
type SupplyStore interface {
}
