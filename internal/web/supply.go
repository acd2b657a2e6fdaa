package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/outpost-org/outpost/internal/outpost"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
	"github.com/outpost-org/outpost/internal/supply"
	"github.com/outpost-org/outpost/internal/transport"
)

// SupplyPage is the data of the supplies page: the status table of a
// day, the corps-wide view by item, and the forms that record stock.
type SupplyPage struct {
	Status    supplyservice.Status
	Today     outpost.Date
	Threshold int
	// Mission, Item and Only are the filters; Only is "" or "alerts".
	Mission, Item, Only string
	// OwnMission is a mission user's mission; Missions the choices of the
	// others.
	OwnMission string
	Missions   []outpost.Mission
	Items      []outpost.Item
	Rows       []StockRow
	// Hidden counts the rows the alerts-only filter leaves out, More
	// those beyond the most a page shows (maxStockRows).
	Hidden, More int
	// Short, OutOfStock, Expiring30 and Expiring90 count the rows in
	// shortage, with nothing left, and with stock in the near-expiry bands.
	Short, OutOfStock, Expiring30, Expiring90 int
	// Corps is the view by item across the corps, for those who read
	// every mission's stock; Target is the pooling target it counts spare
	// against.
	Corps  []ItemLine
	Target int
	// PoolItems are the items a mission's manager may see the pooling
	// proposals of.
	PoolItems []outpost.Item
	CanRecord bool
	Receipt   StockForm
	Issue     StockForm
	Done      string
	// View is the query of the view ("?as_of=…"), which the forms carry
	// so that the page comes back as it was.
	View string
}

// StockRow is one row of the status table, written for people.
type StockRow struct {
	supply.Row
	Name, Unit string
	// OnHandText, RateText and DaysText are the figures as shown; Days
	// is "—" without use, "≥3650" at the cap.
	OnHandText, RateText, DaysText string
	Near30, Near90, Unused         string
}

// ItemLine is one item of the corps-wide view.
type ItemLine struct {
	supplyservice.ItemSummary
	Name, Unit string
	SpareText  string
}

// StockForm is the values of a receipt or issue form and its problems,
// by field.
type StockForm struct {
	Mission, Item, Lot, Quantity, Date, Expires, Note string
	Errors                                            map[string]string
	// Error is the form's summary when it was refused.
	Error string
}

// maxStockRows is the most rows the status table shows: a corps of 50
// missions with 200 items each has 10,000, which no one reads on a page;
// the filters narrow them down.
const maxStockRows = 500

// supplyPages are the stock ledger's pages: the status, the forms that
// record receipts and issues, and each item's pooling proposal.
func (h *Web) supplyPages() []Page {
	return []Page{
		{Method: "GET", Path: "/supply", Handler: h.supply, Nav: &NavItem{Label: "Supplies", Order: 95, Show: supplyservice.CanRead}},
		{Method: "POST", Path: "/supply/receipts", Handler: h.receive},
		{Method: "POST", Path: "/supply/issues", Handler: h.issue},
		{Method: "GET", Path: "/supply/pool/{item}", Handler: h.pool},
		{Method: "POST", Path: "/supply/transfers", Handler: h.transfer},
	}
}

// supplyDone is the confirmation the supplies page shows after a write.
func supplyDone(step string) string {
	switch step {
	case "receipt":
		return "Receipt recorded."
	case "issue":
		return "Issue recorded."
	}
	return ""
}

// supplyPage gathers the supplies page that r asks for.
func (h *Web) supplyPage(r *http.Request) (SupplyPage, error) {
	snap, err := h.Snapshot(r)
	if err != nil {
		return SupplyPage{}, err
	}
	u := transport.Caller(r)
	st, today, err := h.stockStatus(r, u)
	if err != nil {
		return SupplyPage{}, err
	}
	q := r.URL.Query()
	p := SupplyPage{Status: st, Today: today, Threshold: st.Threshold, Mission: q.Get("mission"), Item: q.Get("item"),
		Only: q.Get("only"), Target: supply.DefaultTarget, CanRecord: u.CanSome(supplyservice.RecordStock)}
	if p.Only != "alerts" {
		p.Only = ""
	}
	if u.Role.MissionBound() {
		p.OwnMission = u.Mission
	} else {
		p.Missions = snap.Missions
	}
	items, err := h.Supply.Items(r.Context(), u)
	if err != nil {
		return p, err
	}
	p.Items = items
	byCode := map[string]outpost.Item{}
	for _, it := range items {
		byCode[it.Code] = it
	}
	for _, row := range st.Rows {
		sr := stockRow(row, byCode[row.Item])
		switch {
		case row.Shortage && row.DaysOfSupply != nil && *row.DaysOfSupply == 0:
			p.OutOfStock++
			p.Short++
		case row.Shortage:
			p.Short++
		}
		if row.NearExpiry30d > 0 {
			p.Expiring30++
		}
		if row.NearExpiry90d > 0 {
			p.Expiring90++
		}
		if p.Only == "alerts" && !row.Shortage && row.NearExpiry90d == 0 {
			p.Hidden++
			continue
		}
		p.Rows = append(p.Rows, sr)
	}
	if len(p.Rows) > maxStockRows {
		p.More, p.Rows = len(p.Rows)-maxStockRows, p.Rows[:maxStockRows]
	}
	if u.Can(supplyservice.ReadCorpsStock, "") && p.Mission == "" {
		for _, s := range supplyservice.Summarize(st.Rows, float64(p.Target)) {
			it := byCode[s.Item]
			p.Corps = append(p.Corps, ItemLine{ItemSummary: s, Name: it.Name, Unit: it.Unit, SpareText: quantity(s.Spare)})
		}
	} else if u.CanSome(supplyservice.GiveStock) {
		p.PoolItems = items
	}
	p.Receipt.Date, p.Issue.Date = string(today), string(today)
	p.Receipt.Mission, p.Issue.Mission = p.OwnMission, p.OwnMission
	p.Done = supplyDone(q.Get("done"))
	p.View = viewQuery(q)
	return p, nil
}

// stockStatus reads the status r asks for (as_of, mission, item,
// threshold) and today's date, for u.
func (h *Web) stockStatus(r *http.Request, u outpost.User) (supplyservice.Status, outpost.Date, error) {
	if err := supplyservice.MayRead(u); err != nil {
		return supplyservice.Status{}, "", err
	}
	today, err := h.Supply.Today(r.Context())
	if err != nil {
		return supplyservice.Status{}, "", err
	}
	q, err := transport.StockQuery(r, today)
	if err != nil {
		return supplyservice.Status{}, "", err
	}
	st, err := h.Supply.Status(r.Context(), u, q)
	return st, today, err
}

// viewQuery is the query of the supplies page's view: its filters, without
// the confirmation of a write; "" for the default view.
func viewQuery(q url.Values) string {
	v := url.Values{}
	for _, k := range []string{"as_of", "mission", "item", "threshold", "only"} {
		if s := q.Get(k); s != "" {
			v.Set(k, s)
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

func stockRow(r supply.Row, it outpost.Item) StockRow {
	sr := StockRow{Row: r, Name: it.Name, Unit: it.Unit, OnHandText: quantity(r.OnHand), RateText: quantity(r.DailyRate), DaysText: "—"}
	if r.DaysOfSupply != nil {
		sr.DaysText = strconv.Itoa(*r.DaysOfSupply)
		if *r.DaysOfSupply >= supply.MaxDays {
			sr.DaysText = "≥" + sr.DaysText
		}
	}
	if r.NearExpiry30d > 0 {
		sr.Near30 = quantity(r.NearExpiry30d)
	}
	if r.NearExpiry90d > 0 {
		sr.Near90 = quantity(r.NearExpiry90d)
	}
	if r.Expiring30d > 0 {
		sr.Unused = quantity(r.Expiring30d)
	}
	return sr
}

func (h *Web) supply(w http.ResponseWriter, r *http.Request) error {
	p, err := h.supplyPage(r)
	if err != nil {
		return err
	}
	return h.Render(w, r, http.StatusOK, "supply", p)
}

// quantity writes a stock figure for people: thousands grouped, at most
// two decimals, and a small rate kept visible with two significant
// digits (0.0036 rather than 0).
func quantity(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	if x != 0 && math.Abs(x) < 0.005 {
		return strconv.FormatFloat(x, 'g', 2, 64)
	}
	s := strconv.FormatFloat(x, 'f', 2, 64)
	whole, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	n, _ := strconv.Atoi(whole)
	out := outpost.Thousands(n)
	if n == 0 && strings.HasPrefix(whole, "-") {
		out = "-0"
	}
	if frac != "" {
		out += "." + frac
	}
	if out == "-0" {
		out = "0"
	}
	return out
}
