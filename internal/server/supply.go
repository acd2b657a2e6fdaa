package server

import (
	"context"
	"fmt"
	"time"

	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
)

// supplyPost is the post as the stock service sees it: the time zone and
// the in-memory census of the current snapshot, so a status counts the
// headcounts without reading everyone's presence history.
func (s *Server) supplyPost(ctx context.Context) (supplyservice.Post, error) {
	snap, err := s.snaps.Snapshot(ctx)
	if err != nil {
		return supplyservice.Post{}, fmt.Errorf("snapshot: %w", err)
	}
	return supplyservice.Post{Loc: snap.Loc, Headcount: func(_ context.Context, at time.Time) (map[string]int, error) {
		return supplyservice.Headcounts(snap.Census(at)), nil
	}}, nil
}
