package transport

import (
	"math"
	"net/http"
	"strconv"

	"github.com/outpost-org/outpost/internal/outpost"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
	"github.com/outpost-org/outpost/internal/supply"
)

// maxThreshold is the largest shortage threshold a request may ask for:
// days of supply are counted up to supply.MaxDays.
const maxThreshold = supply.MaxDays

// Day reads the query parameter name as a date; empty means today.
func Day(r *http.Request, name string, today outpost.Date) (outpost.Date, error) {
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

// StockQuery reads the stock status a request asks for: as_of (default
// today), threshold (default supply.DefaultThreshold), mission and item.
func StockQuery(r *http.Request, today outpost.Date) (supplyservice.Query, error) {
	q := r.URL.Query()
	day, err := Day(r, "as_of", today)
	if err != nil {
		return supplyservice.Query{}, err
	}
	sq := supplyservice.Query{AsOf: day, Threshold: supply.DefaultThreshold, Mission: q.Get("mission"), Item: q.Get("item")}
	if t := q.Get("threshold"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 || n > maxThreshold {
			return sq, outpost.Errorf(outpost.EINVALID, "threshold %q: want a whole number of days from 0 to %d", t, maxThreshold)
		}
		sq.Threshold = n
	}
	return sq, nil
}

// PoolTarget reads the days of supply a pooling proposal aims at, target
// (default supply.DefaultTarget).
func PoolTarget(r *http.Request) (float64, error) {
	target := float64(supply.DefaultTarget)
	if t := r.URL.Query().Get("target"); t != "" {
		var err error
		target, err = strconv.ParseFloat(t, 64)
		if err != nil || !(target > 0) || math.IsInf(target, 0) || target > supply.MaxDays {
			return 0, outpost.Errorf(outpost.EINVALID, "target %q: want a number of days above 0, at most %d", t, supply.MaxDays)
		}
	}
	return target, nil
}
