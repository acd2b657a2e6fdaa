package web

import (
	"math"
	"net/http"
	"strconv"

	"github.com/outpost-org/outpost/internal/outpost"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
	"github.com/outpost-org/outpost/internal/supply"
	"github.com/outpost-org/outpost/internal/transport"
)

// PoolPage is the data of an item's pooling page: the proposal, each
// mission's part in it (for those who see the whole of it) and a button
// per transfer for those who may record it.
type PoolPage struct {
	View supplyservice.PoolView
	// AsOf and Target are the proposal's day and target as typed.
	AsOf, Target string
	// Level and Lowest are the lowest days of supply after and before;
	// LowestShort says whether the lowest is a shortage.
	Level, Lowest string
	LowestShort   bool
	Transfers     []TransferLine
	Shares        []ShareLine
	// Spare is what the donors give in all.
	Spare string
	// OwnMission is a manager's mission, when they see only its part.
	OwnMission string
	// CanRecordSome says whether the caller may record some transfer.
	CanRecordSome bool
	// Done is the id of the transfer just recorded; Refused the key
	// (TransferKey) of a transfer refused, RefusedWhy the reason.
	Done                string
	Refused, RefusedWhy string
	// BarWidth and BarTarget are the bars' length and where the target
	// sits on them.
	BarWidth, BarTarget int
}

// TransferLine is one proposed transfer.
type TransferLine struct {
	From, To string
	// Quantity is as shown; Exact is what the button records.
	Quantity, Exact string
	CanRecord       bool
	Key             string
	// ToNow and ToAfter are the receiver's days of supply before and
	// after the proposal, for those who see every mission's part.
	ToNow, ToAfter string
}

// TransferKey names a proposed transfer, for the page's anchors.
func TransferKey(from, to string) string { return "t-" + from + "-" + to }

// ShareLine is one mission's part in a proposal, with the geometry of its
// bar: days now and after on a scale where Scale px is ScaleDays days.
type ShareLine struct {
	supplyservice.Share
	OnHandText, RateText, ChangeText string
	NowText, AfterText               string
	Gives, Receives                  bool
	NowWidth, AfterWidth             int
	// Beyond says whether the days now run off the bar's scale.
	Beyond bool
}

// Bar geometry of the shares' bars, in SVG user units.
const (
	barWidth  = 240
	barTarget = 160 // where the target sits
)

func (h *Web) poolPage(r *http.Request) (PoolPage, error) {
	u := transport.Caller(r)
	if err := supplyservice.MayPool(u); err != nil {
		return PoolPage{}, err
	}
	today, err := h.Supply.Today(r.Context())
	if err != nil {
		return PoolPage{}, err
	}
	day, err := transport.Day(r, "as_of", today)
	if err != nil {
		return PoolPage{}, err
	}
	target, err := transport.PoolTarget(r)
	if err != nil {
		return PoolPage{}, err
	}
	v, err := h.Supply.Pool(r.Context(), u, r.PathValue("item"), day, target)
	if err != nil {
		return PoolPage{}, err
	}
	p := PoolPage{View: v, AsOf: string(v.AsOf), Target: outpost.FormatQuantity(v.Target), Level: days(v.Visible.LevelDays),
		BarWidth: barWidth, BarTarget: barTarget}
	if !v.Whole {
		p.OwnMission = u.Mission
	}
	byMission := map[string]supplyservice.Share{}
	if v.Whole {
		for _, sh := range v.Shares() {
			byMission[sh.Mission] = sh
		}
	}
	for _, tr := range v.Visible.Transfers {
		line := TransferLine{From: tr.From, To: tr.To, Quantity: quantity(tr.Quantity), Exact: outpost.FormatQuantity(tr.Quantity),
			CanRecord: u.Can(supplyservice.GiveStock, tr.From), Key: TransferKey(tr.From, tr.To)}
		if sh, ok := byMission[tr.To]; ok {
			line.ToNow, line.ToAfter = days(sh.DaysNow), days(sh.DaysAfter)
		}
		p.CanRecordSome = p.CanRecordSome || line.CanRecord
		p.Transfers = append(p.Transfers, line)
	}
	if v.Whole {
		lowest, spare := math.Inf(1), 0.0
		for _, s := range v.Shares() {
			p.Shares = append(p.Shares, shareLine(s, v.Target))
			lowest = math.Min(lowest, s.DaysNow)
			if s.Change < 0 {
				spare -= s.Change
			}
		}
		if len(p.Shares) > 0 {
			p.Lowest, p.LowestShort = days(lowest), lowest < supply.DefaultThreshold
		}
		p.Spare = quantity(spare)
	}
	p.Done = r.URL.Query().Get("done")
	if _, err := strconv.ParseInt(p.Done, 10, 64); err != nil {
		p.Done = ""
	}
	return p, nil
}

// days writes a number of days of supply to one decimal.
func days(d float64) string {
	return strconv.FormatFloat(d, 'f', 1, 64)
}

func shareLine(s supplyservice.Share, target float64) ShareLine {
	l := ShareLine{Share: s, OnHandText: quantity(s.OnHand), RateText: quantity(s.DailyRate),
		NowText: days(s.DaysNow), AfterText: days(s.DaysAfter), Gives: s.Change < 0, Receives: s.Change > 0}
	if s.Change != 0 {
		l.ChangeText = quantity(math.Abs(s.Change))
	}
	scale := func(d float64) int {
		x := d / target * barTarget
		return int(math.Round(math.Max(0, math.Min(x, barWidth))))
	}
	l.NowWidth, l.AfterWidth = scale(s.DaysNow), scale(s.DaysAfter)
	l.Beyond = s.DaysNow/target*barTarget > barWidth
	return l
}

func (h *Web) pool(w http.ResponseWriter, r *http.Request) error {
	p, err := h.poolPage(r)
	if err != nil {
		return err
	}
	return h.Render(w, r, http.StatusOK, "supply_pool", p)
}
