package api

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/supply"
	"github.com/outpost-org/outpost/internal/supplysvc"
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

// maxThreshold is the largest shortage threshold a request may ask for:
// days of supply are counted up to supply.MaxDays.
const maxThreshold = supply.MaxDays

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
			}, Response: supplysvc.Status{}, Errors: []int{400, 403, 404}}},
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
			Body: ReceiptRequest{}, Response: outpost.Receipt{}, Status: http.StatusCreated, Errors: []int{400, 403, 404, 409}}},
		{Method: "POST", Path: "/api/v1/supply/issues", Handler: a.supplyIssue, Doc: Op{
			Summary: "Record stock taken out of a mission's stock for use", Tags: tags,
			Description: "A mission's manager and staff for their mission, the admin for any. date defaults to today. " +
				"An issue larger than the stock on hand that day, or one that leaves a later issue uncovered, answers 409.",
			Body: IssueRequest{}, Response: outpost.Issue{}, Status: http.StatusCreated, Errors: []int{400, 403, 404, 409}}},
		{Method: "POST", Path: "/api/v1/supply/transfers", Handler: a.supplyTransfer, Doc: Op{
			Summary: "Record an accepted transfer between two missions", Tags: tags,
			Description: "The giving mission's manager (from may be left out) or the admin. The quantity is drawn first-expiry-first-out from the giver's lots " +
				"as of the date and received by the other mission lot by lot, with the same expiry. More than the giver has answers 409.",
			Body: TransferRequest{}, Response: outpost.Transfer{}, Status: http.StatusCreated, Errors: []int{400, 403, 404, 409}}},
	}
}

// SupplyService returns the stock service of the server over the store:
// the post's time zone and the snapshot's census for the headcounts.
func SupplyService(s outpost.Store, snap *Snapshot) *supplysvc.Service {
	return &supplysvc.Service{Store: s, Loc: snap.Loc,
		Headcount: func(_ context.Context, at time.Time) (map[string]int, error) {
			return supplysvc.Headcounts(snap.Census(at)), nil
		}}
}

// Today is the day of now in the post's time zone.
func Today(now time.Time, loc *time.Location) outpost.Date {
	return outpost.DateOf(now.In(loc))
}

// SupplyDay reads the query parameter name as a date; empty means today.
func SupplyDay(r *http.Request, name string, today outpost.Date) (outpost.Date, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return today, nil
	}
	d, err := outpost.ParseDate(s)
	if err != nil {
		return "", outpost.Errorf(outpost.EINVALID, "%s %q: %v", name, s, err)
	}
	return d, nil
}

// StatusQuery reads the status a request asks for (as_of, mission, item,
// threshold) and restricts it to what the caller may read; false means
// the rows of none of the missions asked for. An unknown mission or item
// answers ENOTFOUND; a caller who may read no stock EFORBIDDEN.
func StatusQuery(r *http.Request, s outpost.Store, today outpost.Date) (supplysvc.Query, bool, error) {
	u := transport.Caller(r)
	if !supplysvc.CanRead(u) {
		return supplysvc.Query{}, false, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not read stock", u.Role)
	}
	q := r.URL.Query()
	day, err := SupplyDay(r, "as_of", today)
	if err != nil {
		return supplysvc.Query{}, false, err
	}
	sq := supplysvc.Query{AsOf: day, Threshold: supply.DefaultThreshold, Item: q.Get("item")}
	if t := q.Get("threshold"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 || n > maxThreshold {
			return sq, false, outpost.Errorf(outpost.EINVALID, "threshold %q: want a whole number of days from 0 to %d", t, maxThreshold)
		}
		sq.Threshold = n
	}
	mission, ok := supplysvc.Scope(u, q.Get("mission"))
	sq.Mission = mission
	if !ok {
		return sq, false, nil
	}
	if sq.Mission != "" {
		if _, err := s.Mission(r.Context(), sq.Mission); err != nil {
			return sq, false, err
		}
	}
	if sq.Item != "" {
		if _, err := s.Item(r.Context(), sq.Item); err != nil {
			return sq, false, err
		}
	}
	return sq, true, nil
}

// StockStatus computes the status a request asks for (StatusQuery) with
// svc: no rows when the caller asked for a mission they may not read.
func StockStatus(r *http.Request, svc *supplysvc.Service, today outpost.Date) (supplysvc.Status, error) {
	q, ok, err := StatusQuery(r, svc.Store, today)
	if err != nil {
		return supplysvc.Status{}, err
	}
	if !ok {
		return supplysvc.Status{AsOf: q.AsOf, Threshold: q.Threshold, Rows: []supply.Row{}}, nil
	}
	return svc.Status(r.Context(), q)
}

func (a *API) supplyStatus(w http.ResponseWriter, r *http.Request) error {
	snap, err := a.Snapshots.Snapshot(r.Context())
	if err != nil {
		return err
	}
	st, err := StockStatus(r, SupplyService(a.Store, snap), Today(a.Now(), snap.Loc))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, st)
	return nil
}

func (a *API) supplyItems(w http.ResponseWriter, r *http.Request) error {
	if u := transport.Caller(r); !supplysvc.CanRead(u) {
		return outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not read stock", u.Role)
	}
	items, err := a.Store.Items(r.Context())
	if err != nil {
		return err
	}
	if items == nil {
		items = []outpost.Item{}
	}
	WriteJSON(w, http.StatusOK, ItemList{Items: items})
	return nil
}

// PoolView is a pooling proposal as one user may see it.
type PoolView struct {
	supplysvc.Pooling
	// Visible is the proposal the caller may see: all of it, or the
	// transfers their mission gives or receives.
	Visible supply.Proposal
	// Whole says whether Visible is the whole proposal, and the caller
	// may see every mission's part (Pooling.Shares).
	Whole bool
}

// StockPool makes the pooling proposal of item that a request asks for
// (as_of, target) and cuts it down to what the caller may see; a caller
// who may see no proposal answers EFORBIDDEN, an unknown item ENOTFOUND.
func StockPool(r *http.Request, svc *supplysvc.Service, today outpost.Date, item string) (PoolView, error) {
	u := transport.Caller(r)
	if !supplysvc.CanPool(u) {
		return PoolView{}, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not see pooling proposals", u.Role)
	}
	day, err := SupplyDay(r, "as_of", today)
	if err != nil {
		return PoolView{}, err
	}
	target := float64(supply.DefaultTarget)
	if t := r.URL.Query().Get("target"); t != "" {
		target, err = strconv.ParseFloat(t, 64)
		if err != nil || !(target > 0) || math.IsInf(target, 0) || target > supply.MaxDays {
			return PoolView{}, outpost.Errorf(outpost.EINVALID, "target %q: want a number of days above 0, at most %d", t, supply.MaxDays)
		}
	}
	p, err := svc.Pool(r.Context(), item, day, target)
	if err != nil {
		return PoolView{}, err
	}
	if u.Can(supplysvc.ReadCorpsStock, "") {
		return PoolView{Pooling: p, Visible: p.Proposal, Whole: true}, nil
	}
	return PoolView{Pooling: p, Visible: p.Involving(u.Mission)}, nil
}

func (a *API) supplyPool(w http.ResponseWriter, r *http.Request) error {
	snap, err := a.Snapshots.Snapshot(r.Context())
	if err != nil {
		return err
	}
	v, err := StockPool(r, SupplyService(a.Store, snap), Today(a.Now(), snap.Loc), r.PathValue("item"))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, v.Visible)
	return nil
}

// StockTransfers lists the recorded transfers the caller may see, newest
// first: those of the mission asked for, within what they may read.
func StockTransfers(r *http.Request, s outpost.SupplyStore, requested string) ([]outpost.Transfer, error) {
	u := transport.Caller(r)
	if !supplysvc.CanRead(u) {
		return nil, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not read stock", u.Role)
	}
	mission, ok := supplysvc.Scope(u, requested)
	if !ok {
		return []outpost.Transfer{}, nil
	}
	list, err := s.Transfers(r.Context(), mission)
	if list == nil {
		list = []outpost.Transfer{}
	}
	return list, err
}

func (a *API) supplyTransfers(w http.ResponseWriter, r *http.Request) error {
	list, err := StockTransfers(r, a.Store, r.URL.Query().Get("mission"))
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, TransferList{Transfers: list})
	return nil
}
