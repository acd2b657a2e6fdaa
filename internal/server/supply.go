package server

import (
	"context"
	"fmt"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
)

// supplyPost is the post as the stock service sees it: the time zone from
// the settings (a write needs no snapshot for today's date) and the
// in-memory census of the current snapshot, so a status counts the
// headcounts without reading everyone's presence history.
func (s *Server) supplyPost(store outpost.Store) supplyservice.Post {
	return supplyservice.Post{
		Loc: func(ctx context.Context) (*time.Location, error) { return censusservice.Location(ctx, store) },
		Headcount: func(ctx context.Context, at time.Time) (map[string]int, error) {
			snap, err := s.census.Snapshot(ctx)
			if err != nil {
				return nil, fmt.Errorf("snapshot: %w", err)
			}
			return supplyservice.Headcounts(snap.Census(at)), nil
		},
	}
}
