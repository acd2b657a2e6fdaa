package outpost

import "context"

type pageDayKey struct{}

// WithPageDay returns a context in which pages that default to today
// default to day instead: a server that shows a data set of the past (the
// demo, fixed on the story's day) sets it, without moving the clock that
// sessions, the audit log and check-ins are stamped with.
func WithPageDay(ctx context.Context, day Date) context.Context {
	return context.WithValue(ctx, pageDayKey{}, day)
}

// PageDayFrom returns the day pages default to in ctx, and false when
// they default to today.
func PageDayFrom(ctx context.Context) (Date, bool) {
	d, ok := ctx.Value(pageDayKey{}).(Date)
	return d, ok && d != ""
}
