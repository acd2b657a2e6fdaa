// Package supply computes what a mission has in stock, how long it lasts and
// how missions could share it: the ledger replay, the status rows and the
// pooling proposal of INTERFACES.md ("Supplies").
//
// It is pure: plain values in, plain values out, no database, clock or
// global state, so the command line, the HTTP API and the situation report
// all get the same numbers, and the conformance model
// (shared/conformance/gen.py) can be checked against it row by row.
//
// The numbers follow the reference model exactly, including its tolerances:
// an issue is covered when the stock on hand plus 1e-9 reaches it, a lot
// drawn down to 1e-12 or less is dropped, and on_hand, daily_rate and the
// expiring quantities are rounded to six decimals as Python's round does.
package supply
