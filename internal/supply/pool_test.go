package supply

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPool(t *testing.T) {
	row := func(m string, s, r float64) Row { return Row{Mission: m, Item: "RICE", OnHand: s, DailyRate: r} }
	tests := []struct {
		name string
		rows []Row
		want Proposal
	}{{
		// SE has 1000 − 60×10 = 400 to spare; RU (15 days) and DE (20
		// days) both reach the target: RU needs 4×60 − 60 = 180, DE
		// 5×60 − 100 = 200.
		name: "enough for everyone",
		rows: []Row{row("DE", 100, 5), row("RU", 60, 4), row("SE", 1000, 10)},
		want: Proposal{Item: "RICE", LevelDays: 60, Transfers: []Transfer{
			{"SE", "DE", 200}, {"SE", "RU", 180}}},
	}, {
		// SE spares 100. Raising RU alone would reach (100+60)/4 = 40 >
		// DE's 20 days, so both rise to (100+60+100)/9 = 28.888… days:
		// RU needs 55.555…, DE 44.444…, rounded down to millionths.
		name: "water filling",
		rows: []Row{row("DE", 100, 5), row("RU", 60, 4), row("SE", 700, 10)},
		want: Proposal{Item: "RICE", LevelDays: 28.888889, Transfers: []Transfer{
			{"SE", "DE", 44.444444}, {"SE", "RU", 55.555555}}},
	}, {
		// Each donor spares 70; C needs 120: it has to be split, the
		// larger share from the first donor by name on a tie.
		name: "split only when no donor suffices",
		rows: []Row{row("A", 130, 1), row("B", 130, 1), row("C", 0, 2)},
		want: Proposal{Item: "RICE", LevelDays: 60, Transfers: []Transfer{
			{"A", "C", 70}, {"B", "C", 50}}},
	}, {
		// Needs 30 (X) and 10 (Y); spares 35 (A) and 12 (B): best fit
		// gives X from A and Y from B, two transfers and no split.
		name: "best fit keeps needs whole",
		rows: []Row{row("A", 95, 1), row("B", 72, 1), row("X", 30, 1), row("Y", 50, 1)},
		want: Proposal{Item: "RICE", LevelDays: 60, Transfers: []Transfer{
			{"A", "X", 30}, {"B", "Y", 10}}},
	}, {
		name: "everyone above target",
		rows: []Row{row("A", 700, 10), row("B", 61, 1)},
		want: Proposal{Item: "RICE", LevelDays: 60, Transfers: []Transfer{}},
	}, {
		// No donors: the level is the worst mission's.
		name: "nobody to give",
		rows: []Row{row("A", 10, 1), row("B", 30, 1)},
		want: Proposal{Item: "RICE", LevelDays: 10, Transfers: []Transfer{}},
	}, {
		// Missions with no use and other items take no part.
		name: "only the item's rows with a rate",
		rows: []Row{row("A", 0, 0), row("B", 30, 1), row("C", 80, 1),
			{Mission: "D", Item: "FLOUR", OnHand: 1e6, DailyRate: 1}},
		want: Proposal{Item: "RICE", LevelDays: 50, Transfers: []Transfer{{"C", "B", 20}}},
	}, {
		name: "no rows",
		want: Proposal{Item: "RICE", LevelDays: 60, Transfers: []Transfer{}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Pool("RICE", tt.rows, DefaultTarget)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Pool (-want +got):\n%s", diff)
			}
			checkProposal(t, tt.rows, got, DefaultTarget)
		})
	}
}

func TestProposalJSON(t *testing.T) {
	b, err := json.Marshal(Pool("INSULIN", nil, 60))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"item":"INSULIN","level_days":60,"transfers":[]}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
