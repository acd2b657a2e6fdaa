package report

import "time"

var pyongyang = time.FixedZone("Asia/Pyongyang", 9*3600)

func intp(n int) *int { return &n }

// sampleInput is a corps report with every section filled.
func sampleInput() Input {
	asOf := time.Date(2021, 4, 1, 23, 59, 59, 0, pyongyang)
	var series []Day
	start := time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC)
	n := 389
	for d := start; !d.After(time.Date(2021, 4, 1, 0, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
		switch d.Format(time.DateOnly) {
		case "2020-03-09":
			n -= 60
		case "2020-05-27":
			n -= 6
		case "2020-08-12":
			n -= 12
		case "2020-12-03":
			n -= 14
		case "2021-02-25":
			n -= 8
		case "2021-03-18":
			n -= 38
		}
		series = append(series, Day{Date: d.Format(time.DateOnly), InCountry: n, HeadsOfMission: 9})
	}
	return Input{
		Date: "2021-04-01", AsOf: asOf, Generated: time.Date(2021, 4, 2, 8, 0, 0, 0, pyongyang),
		Census: &Census{
			Now:              Counts{InCountry: 251, InTransit: 0, Left: 138, HeadsOfMission: 9},
			Before:           Counts{InCountry: 253, InTransit: 0, Left: 136, HeadsOfMission: 9},
			MissionsByStatus: []StatusCount{{"open", 5}, {"reduced", 10}, {"suspended", 9}, {"closed", 12}},
			ByMission: []MissionCount{
				{Code: "CN", Name: "Embassy of the People's Republic of China", Status: "open", InCountry: 62, InCountryBefore: 62, HeadOfMission: true},
				{Code: "GB", Name: "British Embassy", Status: "closed", Left: 6},
				{Code: "RU", Name: "Embassy of the Russian Federation", Status: "open", InCountry: 97, InCountryBefore: 99, Left: 21, HeadOfMission: true},
			},
			ByCategory: []CategoryCount{{"diplomat", 60, 61}, {"head_of_mission", 9, 9}},
			Series:     series,
		},
		Departures: &Departures{Rows: []Departure{
			{ID: "ROAD-20210330", Route: "Pyongyang - Sinuiju (road) - Dandong", Departs: time.Date(2021, 3, 30, 9, 30, 0, 0, pyongyang), Seats: 10, Passengers: 2, Crossing: "SINUIJU"},
			{ID: "TRAIN-20210405", Route: "Pyongyang - Tumangang (rail) - Khasan | hand trolley", Departs: time.Date(2021, 4, 5, 8, 0, 0, 0, pyongyang), Seats: 12, Passengers: -1, Crossing: "TUMEN-BRIDGE", Eligible: "RU"},
		}},
		Supply: &Supply{Threshold: 14, Vacant: []string{"GB", "PL"}, Rows: []Stock{
			{Mission: "RU", Item: "FLOUR", Name: "Wheat flour", Unit: "kg", OnHand: 42.5, DailyRate: 8.5, DaysOfSupply: intp(5), Shortage: true},
			{Mission: "RU", Item: "INSULIN", Name: "Insulin", Unit: "vial", OnHand: 6, DailyRate: 0.5, DaysOfSupply: intp(12), Shortage: true, NearExpiry30: 2, NearExpiry90: 6},
			{Mission: "SE", Item: "RICE", Name: "Rice", Unit: "kg", OnHand: 1200, DailyRate: 4, DaysOfSupply: intp(300)},
			{Mission: "CN", Item: "OIL", Name: "Cooking oil", Unit: "l", OnHand: 80, DailyRate: 2, DaysOfSupply: intp(40), NearExpiry90: 20},
			{Mission: "CN", Item: "SOAP", Name: "Soap", Unit: "pack", OnHand: 30},
			{Mission: "SE", Item: "FLOUR", Name: "Wheat flour", Unit: "kg", OnHand: 0, DailyRate: 1, DaysOfSupply: intp(0), Shortage: true},
			{Mission: "CN", Item: "FLOUR", Name: "Wheat flour", Unit: "kg", OnHand: 900, DailyRate: 10, DaysOfSupply: intp(90)},
		}},
		RollCalls: &RollCalls{Rows: []RollCall{
			{ID: 3, Title: "Morning check", Started: time.Date(2021, 4, 1, 8, 0, 0, 0, pyongyang), Open: true, Expected: 251, Safe: 240, NeedHelp: 2, NoResponse: 9},
		}},
		Medical: &Medical{Urgent: 1, Priority: 2, Routine: 5,
			ByMission: []MedicalCount{{"CN", 0, 1, 2}, {"RU", 1, 1, 3}},
			Cases:     []MedicalCase{{Person: "RU-0009", Name: "Secret Name", Precedence: "urgent", Need: "dialysis"}}},
		Restrictions: &Restrictions{Rows: []Restriction{
			{ID: "R-20200122", Kind: "movement", Starts: "2020-01-22", Note: "Foreign tourists banned from entering the country", Source: "Reuters 2020-01-22"},
			{ID: "R-20200128", Kind: "quarantine", Starts: "2020-01-28", Days: 30, Note: "One-month quarantine for arrivals <b>from</b> China | Russia", Source: "KBS"},
		}},
		Statements: &Statements{Rows: []Statement{
			{ID: 1, Mission: "RU", Title: "Fewer than 290 foreigners remain in Pyongyang <script>alert(1)</script>", Published: time.Date(2021, 4, 1, 10, 0, 0, 0, pyongyang), URL: "/statements/1"},
		}},
	}
}

// emptyInput is the report of a database with nothing in it.
func emptyInput() Input {
	return Input{Date: "2021-04-01", AsOf: time.Date(2021, 4, 1, 23, 59, 59, 0, time.UTC)}
}
