package api

import (
	"net/http"

	"github.com/outpost-org/outpost/internal/outpost"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
	"github.com/outpost-org/outpost/internal/supply"
	"github.com/outpost-org/outpost/internal/transport"
)

// ItemList is the answer of GET /api/v1/supply/items, the shape of
// `outpost supply items --json`.
type ItemList struct {
	Items []outpost.Item `json:"items"`
}

// TransferList is the answer of GET /api/v1/supply/transfers, the shape
// of `outpost supply transfers --json`.
type TransferList struct {
	Transfers []outpost.Transfer `json:"transfers"`
}

// supplyRoutes are the routes of the stock ledger: the status, the
// pooling proposals and single entries.
func (a *API) supplyRoutes() []Route {
	tags := []string{"supply"}
	asOf := Param{Name: "as_of", In: "query", Description: "the day at whose end the stock is taken, YYYY-MM-DD (default today in the post's time zone)"}
	return []Route{
		{Method: "GET", Path: "/api/v1/supply/status", Handler: a.supplyStatus, Doc: Op{
			Summary: "Days of supply by mission and item, with shortages and near-expiry stock", Tags: tags,
			Description: "The document of `outpost supply status --json` (INTERFACES.md, \"Supplies\"). " +
				"A mission's users see their own mission's rows (another mission's: none); the coordinator and the admin every mission's.",
			Params: []Param{asOf,
				{Name: "mission", In: "query", Description: "only this mission's rows"},
				{Name: "item", In: "query", Description: "only this item's rows"},
				{Name: "threshold", In: "query", Type: "integer", Description: "a shortage is fewer days of supply than this, 0 to 3650 (default 14)"},
			}, Response: supplyservice.Status{}, Errors: []int{400, 403, 404}}},
		{Method: "GET", Path: "/api/v1/supply/items", Handler: a.supplyItems, Doc: Op{
			Summary: "The supply catalogue", Tags: tags,
			Description: "Every item with its unit and planned use per person per day, by code; the shape of `outpost supply items --json`.",
			Response:    ItemList{}, Errors: []int{403}}},
		{Method: "GET", Path: "/api/v1/supply/pool/{item}", Handler: a.supplyPool, Doc: Op{
			Summary: "The mutual-aid proposal for one item", Tags: tags,
			Description: "The document of `outpost supply pool ITEM --json`: transfers that lift the missions lowest in days of supply as high as the spare above the target allows. " +
				"The coordinator and the admin see every transfer; a mission's manager the transfers their mission gives or receives, and the level reached.",
			Params: []Param{{Name: "item", In: "path", Required: true, Description: "the item's code, e.g. FLOUR"}, asOf,
				{Name: "target", In: "query", Description: "days of supply every donor keeps and the most the level is raised to, above 0 (default 60)"}},
			Response: supply.Proposal{}, Errors: []int{400, 403, 404}}},
		{Method: "GET", Path: "/api/v1/supply/transfers", Handler: a.supplyTransfers, Doc: Op{
			Summary: "Recorded transfers, newest first", Tags: tags,
			Description: "A mission's users see those their mission gave or received; the coordinator and the admin every one.",
			Params:      []Param{{Name: "mission", In: "query", Description: "only those this mission gave or received"}},
			Response:    TransferList{}, Errors: []int{403}}},
		{Method: "POST", Path: "/api/v1/supply/receipts", Handler: a.supplyReceive, Doc: Op{
			Summary: "Record a lot received into a mission's stock", Tags: tags,
			Description: "A mission's manager and staff for their mission (mission may be left out), the admin for any. received defaults to today; " +
				"expires is the first day the lot is no longer usable (empty: never). A lot name already used for the mission and item answers 409. " +
				"Errors list each problem in details as FIELD: what is wrong.",
			Body: supplyservice.ReceiptRequest{}, Response: outpost.Receipt{}, Status: http.StatusCreated, Errors: []int{400, 403, 404, 409}}},
		{Method: "POST", Path: "/api/v1/supply/issues", Handler: a.supplyIssue, Doc: Op{
			Summary: "Record stock taken out of a mission's stock for use", Tags: tags,
			Description: "A mission's manager and staff for their mission, the admin for any. date defaults to today. " +
				"An issue larger than the stock on hand that day, or one that leaves a later issue uncovered, answers 409.",
			Body: supplyservice.IssueRequest{}, Response: outpost.Issue{}, Status: http.StatusCreated, Errors: []int{400, 403, 404, 409}}},
		{Method: "POST", Path: "/api/v1/supply/transfers", Handler: a.supplyTransfer, Doc: Op{
			Summary: "Record an accepted transfer between two missions", Tags: tags,
			Description: "The giving mission's manager (from may be left out) or the admin. The quantity is drawn first-expiry-first-out from the giver's lots " +
				"as of the date and received by the other mission lot by lot, with the same expiry. More than the giver has answers 409.",
			Body: supplyservice.TransferRequest{}, Response: outpost.Transfer{}, Status: http.StatusCreated, Errors: []int{400, 403, 404, 409}}},
	}
}

func (a *API) supplyStatus(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
	if err := supplyservice.MayRead(u); err != nil {
		return err
	}
	today, err := a.Supply.Today(r.Context())
	if err != nil {
		return err
	}
	q, err := transport.StockQuery(r, today)
	if err != nil {
		return err
	}
	st, err := a.Supply.Status(r.Context(), u, q)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, st)
	return nil
}

func (a *API) supplyItems(w http.ResponseWriter, r *http.Request) error {
	items, err := a.Supply.Items(r.Context(), transport.Caller(r))
	if err != nil {
		return err
	}
	if items == nil {
		items = []outpost.Item{}
	}
	WriteJSON(w, http.StatusOK, ItemList{Items: items})
	return nil
}

func (a *API) supplyPool(w http.ResponseWriter, r *http.Request) error {
	u := transport.Caller(r)
	if err := supplyservice.MayPool(u); err != nil {
		return err
	}
	today, err := a.Supply.Today(r.Context())
	if err != nil {
		return err
	}
	day, err := transport.Day(r, "as_of", today)
	if err != nil {
		return err
	}
	target, err := transport.PoolTarget(r)
	if err != nil {
		return err
	}
	v, err := a.Supply.Pool(r.Context(), u, r.PathValue("item"), day, target)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, v.Visible)
	return nil
}

func (a *API) supplyTransfers(w http.ResponseWriter, r *http.Request) error {
	list, err := a.Supply.Transfers(r.Context(), transport.Caller(r), r.URL.Query().Get("mission"))
	if err != nil {
		return err
	}
	if list == nil {
		list = []outpost.Transfer{}
	}
	WriteJSON(w, http.StatusOK, TransferList{Transfers: list})
	return nil
}
