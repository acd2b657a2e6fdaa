package registry

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
)

// MaxScans is the most scans one batch may hold: a gate scanner's queue
// of a day offline is a few thousand.
const MaxScans = 10_000

// MaxScansPerPerson is the most scans of one person one batch records:
// a person passes a few checkpoints a day, and each scan of a person is
// checked against their history while the batch holds the write lock.
// Scans of a person past it (in batch order) are refused as
// too_many_for_person; the scanner sends them again in a later batch.
const MaxScansPerPerson = 100

// MaxScanNote is the longest note of a scan, as of one tracked checkpoint
// over HTTP.
const MaxScanNote = 500

// Scan is one checkpoint a gate scanner recorded, perhaps offline: who,
// which checkpoint, when (required: a queued scan keeps the time it was
// taken), and the scanner's own id for it, which the answer quotes.
type Scan struct {
	Person     string `json:"person"`
	Checkpoint string `json:"checkpoint"`
	At         string `json:"at"`
	ScanID     string `json:"scan_id,omitempty"`
	Note       string `json:"note,omitempty"`
}

// ScanBatch is a scanner's queue of scans, recorded each on its own.
type ScanBatch struct {
	Scans []Scan `json:"scans"`
}

// ScanRefusal is a scan that was not recorded and why: Index is its place
// in the batch (from 0), Kind one of unknown_person, out_of_order,
// invalid, forbidden or too_many_for_person.
type ScanRefusal struct {
	Index  int    `json:"index"`
	ScanID string `json:"scan_id,omitempty"`
	Person string `json:"person"`
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
}

// ScanReport is what became of a batch: how many scans were recorded, how
// many were already recorded (duplicates: nothing written), and the ones
// refused, by index.
type ScanReport struct {
	Recorded   int           `json:"recorded"`
	Duplicates int           `json:"duplicates"`
	Refused    int           `json:"refused"`
	Refusals   []ScanRefusal `json:"refusals"`
}

// MayTrack refuses a caller who may record nobody's checkpoints. A
// transport checks it before reading a batch, so that a refused caller
// learns nothing about what they sent.
func MayTrack(caller outpost.User) error {
	if !caller.CanSome(outpost.TrackPeople) {
		return outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not record checkpoints", caller.Role)
	}
	return nil
}

// CheckScanBatch refuses a batch as a whole: more than MaxScans scans.
// Everything else is judged scan by scan.
func CheckScanBatch(b ScanBatch) error {
	if b.Scans == nil {
		return outpost.Errorf(outpost.EINVALID, "scans: required: a list of scans, each {person, checkpoint, at}")
	}
	if len(b.Scans) > MaxScans {
		return outpost.Errorf(outpost.EINVALID, "scans: at most %d scans in one batch (got %d): send the queue in parts", MaxScans, len(b.Scans))
	}
	return nil
}

// TrackScans records a scanner's batch, each scan on its own: a scan of
// a person the caller may not read is refused exactly as one of a person
// who does not exist; a scan already recorded (the same person,
// checkpoint and second) is a duplicate and records nothing, so that a
// scanner may send its queue again after a lost answer; a scan that is
// wrong or contradicts the person's journey is refused with its reason,
// and the rest are recorded, in one transaction: the answer comes after
// they are committed. Times without a zone are read in the post's.
func (s *Service) TrackScans(ctx context.Context, caller outpost.User, b ScanBatch) (ScanReport, error) {
	if err := MayTrack(caller); err != nil {
		return ScanReport{}, err
	}
	if err := CheckScanBatch(b); err != nil {
		return ScanReport{}, err
	}
	loc, err := censusservice.Location(ctx, s.store)
	if err != nil {
		return ScanReport{}, fmt.Errorf("read location: %w", err)
	}
	now := s.Now()
	rep := ScanReport{Refusals: []ScanRefusal{}}
	refuse := func(i int, kind, reason string) {
		sc := b.Scans[i]
		rep.Refusals = append(rep.Refusals, ScanRefusal{Index: i, ScanID: outpost.Clip(sc.ScanID), Person: outpost.Clip(sc.Person), Kind: kind, Reason: reason})
	}
	var tracks []outpost.Track
	var at []int // the index in the batch of each of tracks
	missions := map[string]string{}
	perPerson := map[string]int{}
	// The store checks the person's mission again when it writes.
	allowed := trackMissions(caller)
	for i, sc := range b.Scans {
		kind, msg, err := s.checkScan(ctx, caller, sc, missions)
		if err != nil {
			return ScanReport{}, err
		}
		if msg != "" {
			refuse(i, kind, msg)
			continue
		}
		t, msg := scanTime(sc.At, loc, now)
		if msg != "" {
			refuse(i, outpost.RefusedInvalid, msg)
			continue
		}
		if perPerson[sc.Person] >= MaxScansPerPerson {
			refuse(i, outpost.RefusedTooMany, fmt.Sprintf("more than %d scans of %s in one batch: send the rest in another", MaxScansPerPerson, outpost.Clip(sc.Person)))
			continue
		}
		perPerson[sc.Person]++
		tracks = append(tracks, outpost.Track{Person: sc.Person, Checkpoint: outpost.Checkpoint(sc.Checkpoint), At: t, Note: sc.Note, Missions: allowed})
		at = append(at, i)
	}
	res, err := s.store.TrackBatch(outpost.WithActor(ctx, caller.Name), tracks)
	if err != nil {
		return ScanReport{}, fmt.Errorf("record scans: %w", err)
	}
	for j, r := range res {
		switch {
		case r.Kind != "":
			refuse(at[j], r.Kind, r.Reason)
		case r.Duplicate:
			rep.Duplicates++
		default:
			rep.Recorded++
		}
	}
	slices.SortFunc(rep.Refusals, func(a, b ScanRefusal) int { return a.Index - b.Index })
	rep.Refused = len(rep.Refusals)
	return rep, nil
}

// checkScan says what is wrong with a scan before its time is read, and
// of which kind, or "" when it is fine; missions caches the mission of
// each person looked up ("" for nobody the caller may read).
func (s *Service) checkScan(ctx context.Context, caller outpost.User, sc Scan, missions map[string]string) (kind, msg string, err error) {
	if sc.ScanID != "" {
		if msg := outpost.CheckLine(sc.ScanID, outpost.MaxIDLen); msg != "" {
			return outpost.RefusedInvalid, "scan_id: " + msg, nil
		}
	}
	mission, seen := missions[sc.Person]
	if !seen {
		p, err := Readable(ctx, s.store, caller, sc.Person)
		if err != nil && outpost.ErrorCode(err) != outpost.ENOTFOUND {
			return "", "", err
		}
		mission = p.Mission // "" when not found
		if len(missions) < MaxScans {
			missions[sc.Person] = mission
		}
	}
	if mission == "" {
		return outpost.RefusedPerson, outpost.ErrorMessage(NoPerson(sc.Person)), nil
	}
	if !caller.Can(outpost.TrackPeople, mission) {
		return outpost.RefusedForbidden, fmt.Sprintf("your role (%s) may not record checkpoints", caller.Role), nil
	}
	if !slices.Contains(outpost.Checkpoints, sc.Checkpoint) {
		return outpost.RefusedInvalid, fmt.Sprintf("checkpoint %q: want one of %s", outpost.Clip(sc.Checkpoint), strings.Join(outpost.Checkpoints, ", ")), nil
	}
	if msg := outpost.CheckText(sc.Note, MaxScanNote); msg != "" {
		return outpost.RefusedInvalid, "note: " + msg, nil
	}
	return "", "", nil
}

// scanTime reads a scan's time in loc, or says what is wrong with it.
func scanTime(s string, loc *time.Location, now time.Time) (time.Time, string) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, "at: required: the time the scan was taken"
	}
	t, err := outpost.ParseTime(s, loc)
	if err != nil {
		return time.Time{}, fmt.Sprintf("at %q: %v", outpost.Clip(s), err)
	}
	if msg := outpost.CheckEventTime(t, time.Time{}, now); msg != "" {
		return time.Time{}, fmt.Sprintf("at %q: %s", outpost.Clip(s), msg)
	}
	return t, ""
}
