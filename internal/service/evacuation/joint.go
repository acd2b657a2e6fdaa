package evacuation

import (
	"context"
	"fmt"
	"sort"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/report"
)

// PrintJointManifests is printing the manifest of a shared convoy, one
// departure carrying the people of several missions, for every mission:
// the coordinator organises such convoys. What each reader sees of each
// passenger is JointCut's rule.
var PrintJointManifests = outpost.Action{Name: "print joint manifests of shared convoys", Scope: outpost.ScopeCorps,
	Roles: []outpost.Role{outpost.RoleCoordinator}}

// JointManifest is the manifest of a departure for every mission on it,
// ordered by mission then household, cut to what its reader may see.
type JointManifest struct {
	outpost.Manifest
	// Missions counts every mission's passengers on the departure,
	// whoever reads it.
	Missions []MissionCount
	// Omitted counts the passengers left out of the list: those of other
	// missions, for a mission's own user.
	Omitted int
}

// Notes are the lines a printed joint manifest carries under its summary.
func (j JointManifest) Notes() []string {
	var out []string
	for _, m := range j.Missions {
		out = append(out, fmt.Sprintf("Mission %s: %d %s in %d %s", m.Mission, m.People, outpost.Plural(m.People, "passenger", "passengers"),
			m.Households, outpost.Plural(m.Households, "household", "households")))
	}
	if j.Omitted > 0 {
		out = append(out, fmt.Sprintf("%d %s of other missions %s not listed: their missions print their own.", j.Omitted,
			outpost.Plural(j.Omitted, "passenger", "passengers"), outpost.Plural(j.Omitted, "is", "are")))
	}
	return out
}

// JointCut cuts the full joint manifest m (ordered by mission, then
// household) down to what u may see. It is the one place the rule is
// written (docs/security.md says it in words):
//
//   - the admin gets every passenger with every detail;
//   - the coordinator, who reads aggregates and never a person's record
//     (INTERFACES.md), gets every passenger as a row of the convoy's roll:
//     person id, mission, household, nationality and medical level, and
//     no name, birth date, passport or other identity detail — each
//     mission prints its own passengers' names;
//   - a manager or staff member of a mission gets only their mission's
//     passengers, as in their mission's manifest, and the count of the
//     others;
//   - anyone else is refused.
func JointCut(m outpost.Manifest, u outpost.User) (JointManifest, error) {
	all := u.Can(PrintJointManifests, "")
	if !all && !u.CanSome(ReadManifests) {
		return JointManifest{}, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not print a joint manifest", u.Role)
	}
	j := JointManifest{Manifest: m, Missions: []MissionCount{}}
	j.Passengers = []outpost.Passenger{}
	households := map[string]bool{}
	for _, p := range m.Passengers {
		j.Missions = addCount(j.Missions, p.Mission, !households[p.Household])
		households[p.Household] = true
		switch {
		case u.Can(outpost.ReadPeople, p.Mission) && u.CanSome(ReadManifests):
			if !u.Can(outpost.ReadPassports, p.Mission) {
				p.Passport = ""
			}
		case all:
			// A row of the convoy's roll, nothing that names the person
			// or their documents: fields are copied one by one, so a
			// detail added to Passenger later stays out until it is
			// added here.
			p = outpost.Passenger{Household: p.Household, ID: p.ID, Mission: p.Mission,
				Nationality: p.Nationality, Medical: p.Medical}
		default:
			j.Omitted++
			continue
		}
		j.Passengers = append(j.Passengers, p)
	}
	sortCounts(j.Missions)
	return j, nil
}

// JointManifest returns the joint manifest of a departure in a saved plan
// as the caller may read it (JointCut); a departure the plan puts nobody
// on is ENOTFOUND, and so is one that carries none of a mission user's
// people.
func (s *Service) JointManifest(ctx context.Context, caller outpost.User, plan int64, departure string) (JointManifest, error) {
	if _, err := JointCut(outpost.Manifest{}, caller); err != nil {
		return JointManifest{}, err
	}
	loc, err := s.zone(ctx)
	if err != nil {
		return JointManifest{}, err
	}
	m, err := manifest(ctx, s.store, loc, plan, departure)
	if err != nil {
		return JointManifest{}, err
	}
	sort.SliceStable(m.Passengers, func(i, j int) bool { return m.Passengers[i].Mission < m.Passengers[j].Mission })
	j, err := JointCut(m, caller)
	if err != nil {
		return JointManifest{}, err
	}
	if len(j.Passengers) == 0 {
		return JointManifest{}, outpost.Errorf(outpost.ENOTFOUND, "plan %d puts none of your mission's people on departure %s", plan, departure)
	}
	return j, nil
}

// JointManifestFile is JointManifest written in format "csv" (also "")
// or "pdf" as a file to download.
func (s *Service) JointManifestFile(ctx context.Context, caller outpost.User, plan int64, departure, format string) (*ManifestFile, error) {
	if format != "" && format != "csv" && format != "pdf" {
		return nil, outpost.Errorf(outpost.EINVALID, "format %q: want csv or pdf", format)
	}
	j, err := s.JointManifest(ctx, caller, plan, departure)
	if err != nil {
		return nil, err
	}
	f := &ManifestFile{ContentType: "text/csv; charset=utf-8"}
	if format == "pdf" {
		f.ContentType = "application/pdf"
		err = report.JointManifestPDF(&f.Body, j.Manifest, j.Notes())
	} else {
		format = "csv"
		err = report.JointManifestCSV(&f.Body, j.Manifest)
	}
	if err != nil {
		return nil, fmt.Errorf("joint manifest %s: %w", format, err)
	}
	f.Name = fmt.Sprintf("joint-manifest-%d-%s.%s", j.Plan, j.Departure, format)
	return f, nil
}
