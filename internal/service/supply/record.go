package supply

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/outpost-org/outpost/internal/outpost"
	ledger "github.com/outpost-org/outpost/internal/supply"
)

// ReceiptRequest records a lot received. Mission may be left out by a
// mission's users (their own); Received defaults to today; Expires is
// the first day the lot is no longer usable, empty for never.
type ReceiptRequest struct {
	Mission  string  `json:"mission,omitempty"`
	Item     string  `json:"item"`
	Lot      string  `json:"lot"`
	Quantity float64 `json:"quantity"`
	Received string  `json:"received,omitempty"`
	Expires  string  `json:"expires,omitempty"`
}

// IssueRequest records stock taken out for use on a day (default today).
type IssueRequest struct {
	Mission  string  `json:"mission,omitempty"`
	Item     string  `json:"item"`
	Quantity float64 `json:"quantity"`
	Date     string  `json:"date,omitempty"`
	Note     string  `json:"note,omitempty"`
}

// TransferRequest records an accepted transfer. From may be left out by
// a mission's manager (their own); Date defaults to today.
type TransferRequest struct {
	Item     string  `json:"item"`
	From     string  `json:"from,omitempty"`
	To       string  `json:"to"`
	Quantity float64 `json:"quantity"`
	Date     string  `json:"date,omitempty"`
	Note     string  `json:"note,omitempty"`
}

// FieldErrors are the problems of a stock entry, each on the field of the
// request it is about, so that a form can show it beside its input. They
// are the cause (outpost.Error.Err) of the error a write returns.
type FieldErrors []outpost.FieldError

// Error lists the problems.
func (p FieldErrors) Error() string {
	var b strings.Builder
	for i, f := range p {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(detail(f))
	}
	return b.String()
}

func detail(f outpost.FieldError) string {
	d := f.Field + ": " + f.Message
	if f.Got != "" {
		d += ` (got "` + f.Got + `")`
	}
	return d
}

// Fields returns the problems of err by field (the first of each), or
// nil when err is not about the request's fields.
func Fields(err error) map[string]string {
	var p FieldErrors
	if !errors.As(err, &p) {
		return nil
	}
	out := map[string]string{}
	for _, f := range p {
		if _, ok := out[f.Field]; !ok {
			out[f.Field] = f.Message
		}
	}
	return out
}

// located returns an error with code whose problems are on fields; nil
// when there are none.
func located(code, what string, p outpost.Problems) error {
	if len(p) == 0 {
		return nil
	}
	e := &outpost.Error{Code: code, Err: FieldErrors(p)}
	for _, f := range p {
		e.Details = append(e.Details, detail(f))
	}
	e.Message = what + ": " + strings.Join(e.Details, "; ")
	return e
}

// locate puts err, when it has code, on field; any other error is
// returned as it is.
func locate(err error, code, field, got string) error {
	if outpost.ErrorCode(err) != code {
		return err
	}
	return &outpost.Error{Code: code, Message: outpost.ErrorMessage(err), Details: []string{field + ": " + outpost.ErrorMessage(err)},
		Err: FieldErrors{{Field: field, Message: outpost.ErrorMessage(err), Got: got}}}
}

// stockMission returns the mission a write of the caller (what: the kind
// of entry) is for: the one requested in field, or a mission user's own
// when none is; EFORBIDDEN when the caller may not do a for it, ENOTFOUND
// on field when it does not exist.
func (s *Service) stockMission(ctx context.Context, u outpost.User, a outpost.Action, what, field, requested, doing string) (string, error) {
	if !u.CanSome(a) {
		return "", outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not %s", u.Role, doing)
	}
	mission := strings.TrimSpace(requested)
	if mission == "" && u.Role.MissionBound() {
		mission = u.Mission
	}
	if mission == "" {
		return "", located(outpost.EINVALID, what, outpost.Problems{{Field: field, Message: "is required: the code of a mission"}})
	}
	if !u.Can(a, mission) {
		return "", outpost.Errorf(outpost.EFORBIDDEN, "you may %s for your own mission, %s, only", doing, u.Mission)
	}
	if _, err := s.store.Mission(ctx, mission); err != nil {
		return "", locate(fmt.Errorf("read mission %s: %w", mission, err), outpost.ENOTFOUND, field, mission)
	}
	return mission, nil
}

// knownItem answers ENOTFOUND, on the field item, for an item that is not
// in the catalogue.
func (s *Service) knownItem(ctx context.Context, code string) error {
	if !outpost.IsCode(code) {
		return nil // the entry's own check says what is wrong
	}
	if _, err := s.store.Item(ctx, code); err != nil {
		return locate(fmt.Errorf("read item %s: %w", code, err), outpost.ENOTFOUND, "item", code)
	}
	return nil
}

// RecordReceipt records a lot received into a mission's stock for the
// caller, a mission's manager or staff (or the admin); today is the
// default day of receipt. Problems with the request come back located on
// its fields (Fields).
func (s *Service) RecordReceipt(ctx context.Context, caller outpost.User, req ReceiptRequest) (outpost.Receipt, error) {
	today, err := s.Today(ctx)
	if err != nil {
		return outpost.Receipt{}, err
	}
	mission, err := s.stockMission(ctx, caller, RecordStock, "receipt", "mission", req.Mission, "record stock")
	if err != nil {
		return outpost.Receipt{}, err
	}
	rec := outpost.Receipt{Mission: mission, Item: strings.TrimSpace(req.Item), Lot: strings.TrimSpace(req.Lot), Quantity: req.Quantity,
		Received: outpost.Date(strings.TrimSpace(req.Received)), Expires: outpost.Date(strings.TrimSpace(req.Expires))}
	if rec.Received == "" {
		rec.Received = today
	}
	if err := located(outpost.EINVALID, "receipt", rec.Validate()); err != nil {
		return rec, err
	}
	if err := s.knownItem(ctx, rec.Item); err != nil {
		return rec, err
	}
	out, err := s.Receive(ctx, caller, rec)
	return out, locate(err, outpost.ECONFLICT, "lot", rec.Lot)
}

// RecordIssue records stock taken out of a mission's stock for the
// caller, a mission's manager or staff (or the admin); today is the
// default day. An issue larger than the stock on hand is ECONFLICT on the
// field quantity.
func (s *Service) RecordIssue(ctx context.Context, caller outpost.User, req IssueRequest) (outpost.Issue, error) {
	today, err := s.Today(ctx)
	if err != nil {
		return outpost.Issue{}, err
	}
	mission, err := s.stockMission(ctx, caller, RecordStock, "issue", "mission", req.Mission, "record stock")
	if err != nil {
		return outpost.Issue{}, err
	}
	u := outpost.Issue{Mission: mission, Item: strings.TrimSpace(req.Item), Quantity: req.Quantity,
		Date: outpost.Date(strings.TrimSpace(req.Date)), Note: strings.TrimSpace(req.Note)}
	if u.Date == "" {
		u.Date = today
	}
	p := u.Validate()
	if len(u.Note) > 500 {
		p.Add("note", "", "must be at most 500 characters")
	}
	if err := located(outpost.EINVALID, "issue", p); err != nil {
		return u, err
	}
	if err := s.knownItem(ctx, u.Item); err != nil {
		return u, err
	}
	out, err := s.Issue(ctx, caller, u)
	return out, locate(err, outpost.ECONFLICT, "quantity", outpost.FormatQuantity(u.Quantity))
}

// RecordTransfer records an accepted transfer for the caller, the giving
// mission's manager (or the admin); today is the default day. More than
// the giver has is ECONFLICT on the field quantity.
func (s *Service) RecordTransfer(ctx context.Context, caller outpost.User, req TransferRequest) (outpost.Transfer, error) {
	today, err := s.Today(ctx)
	if err != nil {
		return outpost.Transfer{}, err
	}
	from, err := s.stockMission(ctx, caller, GiveStock, "transfer", "from", req.From, "record transfers")
	if err != nil {
		return outpost.Transfer{}, err
	}
	tr := outpost.Transfer{Item: strings.TrimSpace(req.Item), From: from, To: strings.TrimSpace(req.To), Quantity: req.Quantity,
		Date: outpost.Date(strings.TrimSpace(req.Date)), Note: strings.TrimSpace(req.Note)}
	if tr.Date == "" {
		tr.Date = today
	}
	p := tr.Validate()
	if len(tr.Note) > 500 {
		p.Add("note", "", "must be at most 500 characters")
	}
	if err := located(outpost.EINVALID, "transfer", p); err != nil {
		return tr, err
	}
	if err := s.knownItem(ctx, tr.Item); err != nil {
		return tr, err
	}
	if _, err := s.store.Mission(ctx, tr.To); err != nil {
		return tr, locate(fmt.Errorf("read mission %s: %w", tr.To, err), outpost.ENOTFOUND, "to", tr.To)
	}
	out, err := s.Transfer(ctx, caller, tr)
	return out, locate(err, outpost.ECONFLICT, "quantity", outpost.FormatQuantity(tr.Quantity))
}

// may answers EFORBIDDEN when caller may not do a for mission.
func may(caller outpost.User, a outpost.Action, mission, doing string) error {
	if !caller.Can(a, mission) {
		return outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not %s for %s", caller.Role, doing, mission)
	}
	return nil
}

// Receive records the lot r as it is given, every field set (the command
// line's entry); the store checks it and that its mission and item exist.
func (s *Service) Receive(ctx context.Context, caller outpost.User, r outpost.Receipt) (outpost.Receipt, error) {
	if err := may(caller, RecordStock, r.Mission, "record stock"); err != nil {
		return r, err
	}
	v, err := s.store.Receive(outpost.WithActor(ctx, caller.Name), r)
	if err != nil {
		return v, fmt.Errorf("receive stock: %w", err)
	}
	return v, nil
}

// Issue records the issue u as it is given; the store refuses one the
// stock does not cover.
func (s *Service) Issue(ctx context.Context, caller outpost.User, u outpost.Issue) (outpost.Issue, error) {
	if err := may(caller, RecordStock, u.Mission, "record stock"); err != nil {
		return u, err
	}
	v, err := s.store.IssueStock(outpost.WithActor(ctx, caller.Name), u)
	if err != nil {
		return v, fmt.Errorf("issue stock: %w", err)
	}
	return v, nil
}

// Transfer records the transfer tr as it is given; the store draws it
// from the giver's lots.
func (s *Service) Transfer(ctx context.Context, caller outpost.User, tr outpost.Transfer) (outpost.Transfer, error) {
	if err := may(caller, GiveStock, tr.From, "record transfers"); err != nil {
		return tr, err
	}
	v, err := s.store.Transfer(outpost.WithActor(ctx, caller.Name), tr)
	if err != nil {
		return v, fmt.Errorf("transfer stock: %w", err)
	}
	return v, nil
}

// OnHand is what mission holds of item at the end of day: its ledger
// replayed, every issue one by one.
func (s *Service) OnHand(ctx context.Context, caller outpost.User, mission, item string, day outpost.Date) (float64, error) {
	if err := MayRead(caller); err != nil {
		return 0, err
	}
	if !caller.Can(ReadCorpsStock, "") && !caller.Can(ReadStock, mission) {
		return 0, outpost.Errorf(outpost.EFORBIDDEN, "you may read your own mission's stock, %s, only", caller.Mission)
	}
	l, err := s.store.Ledger(ctx, outpost.LedgerFilter{Mission: mission, Item: item})
	if err != nil {
		return 0, fmt.Errorf("read ledger for %s %s: %w", mission, item, err)
	}
	d, err := ledger.ParseDate(string(day))
	if err != nil {
		return 0, err
	}
	lots, err := ledger.Replay(l.Receipts, l.Issues, d)
	if err != nil {
		return 0, fmt.Errorf("replay ledger for %s %s: %w", mission, item, err)
	}
	sum := 0.0
	for _, lot := range lots {
		sum += lot.Quantity
	}
	return sum, nil
}
