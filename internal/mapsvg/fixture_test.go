package mapsvg

import (
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// fixture is a day with one crossing closed, one restricted and one open,
// a plan with a route to each, a departure with no crossing and one by a
// crossing the gazetteer does not know.
func fixture() Input {
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	return Input{
		On:   "2021-03-18",
		Plan: 3,
		Restrictions: []outpost.Restriction{
			{ID: "R-1", Kind: "border_closure", Crossing: "SUNAN", Starts: "2020-01-31"},
			{ID: "R-2", Kind: "quarantine", Crossing: "TUMEN-BRIDGE", Starts: "2021-01-01", Days: 14},
			{ID: "R-3", Kind: "lockdown", Starts: "2020-02-04"},
			{ID: "R-4", Kind: "border_closure", Crossing: "SINUIJU", Starts: "2020-01-01", Ends: "2021-03-17"},
		},
		Departures: []Departure{
			{ID: "BUS-0318", Route: "Pyongyang - Sinuiju (road) - Dandong", Crossing: "SINUIJU", Departs: at("2021-03-18T09:30:00+09:00"), People: 38, Own: 4},
			{ID: "TRAIN-0225", Route: "Pyongyang - Tumangang (train) - Khasan", Crossing: "TUMEN-BRIDGE", Departs: at("2021-02-25T09:30:00+09:00"), People: 8},
			{ID: "BUS-0401", Route: "Wonsan port - Hamhung - Tumangang", Crossing: "TUMEN-BRIDGE", Departs: at("2021-04-01T09:30:00+09:00"), People: 12, Own: 2},
			{ID: "FLIGHT-0402", Route: "Pyongyang Sunan - Vladivostok", Crossing: "SUNAN", Departs: at("2021-04-02T08:40:00+09:00"), People: 90},
			{ID: "SHIP-0403", Route: "Nampo - Dalian", Crossing: "NAMPO-PORT", Departs: at("2021-04-03T08:00:00+09:00"), People: 5},
			{ID: "CAR-0404", Route: "Embassy car", Departs: at("2021-04-04T08:00:00+09:00"), People: 2},
			{ID: "EMPTY-0405", Route: "Pyongyang - Sinuiju", Crossing: "SINUIJU", Departs: at("2021-04-05T08:00:00+09:00")},
		},
		Mission: "RU",
	}
}
