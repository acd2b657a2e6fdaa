// Package scenarios holds the demo data sets, as CSV files in the import
// formats of INTERFACES.md.
package scenarios

import "embed"

// Pyongyang is the Pyongyang diplomatic corps 2020–21: the CSV files of
// scenarios/pyongyang-2021 (missions.csv, people.csv, tracks.csv,
// departures.csv, restrictions.csv and any added later), at paths such as
// "pyongyang-2021/people.csv". scenarios/pyongyang-2021/README.md says what
// is fact and what the scenario chose.
//
//go:embed pyongyang-2021/*.csv
var Pyongyang embed.FS
