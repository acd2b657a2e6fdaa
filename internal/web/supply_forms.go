package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/outpost-org/outpost/internal/outpost"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
	"github.com/outpost-org/outpost/internal/transport"
)

// stockForm reads a receipt or issue form.
func stockForm(r *http.Request) StockForm {
	f := r.PostForm
	return StockForm{Mission: strings.TrimSpace(f.Get("mission")), Item: f.Get("item"), Lot: strings.TrimSpace(f.Get("lot")),
		Quantity: strings.TrimSpace(f.Get("quantity")), Date: strings.TrimSpace(f.Get("date")),
		Expires: strings.TrimSpace(f.Get("expires")), Note: strings.TrimSpace(f.Get("note"))}
}

// formQuantity reads a quantity typed by a person: a decimal number with
// a dot before the decimals (a comma could be a thousands separator);
// NaN, which every check refuses, when it is not one.
func formQuantity(s string) (float64, bool) {
	q, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN(), false
	}
	return q, true
}

// refused puts the problems of a refused write on the form and reports
// whether it was refused for them; other errors (not allowed, the
// database) are not the form's to show. number says whether the quantity
// typed was a number.
func refused(f *StockForm, err error, what string, number bool) bool {
	fields := supplyservice.Fields(err)
	if fields == nil {
		return false
	}
	if !number {
		fields["quantity"] = "must be a number, with a dot before the decimals, such as 12 or 2.5"
	}
	f.Errors = fields
	problems := "problems"
	if len(fields) == 1 {
		problems = "problem"
	}
	f.Error = fmt.Sprintf("The %s was not recorded: %d %s below.", what, len(fields), problems)
	return true
}

// stockRefused renders the supplies page again with the form's values
// and problems.
func (h *Web) stockRefused(w http.ResponseWriter, r *http.Request, set func(p *SupplyPage)) error {
	p, err := h.supplyPage(r)
	if err != nil {
		return err
	}
	set(&p)
	return h.Render(w, r, http.StatusBadRequest, "supply", p)
}

// doneURL is the supplies page in the view the form was sent from, with
// the confirmation of step.
func doneURL(r *http.Request, step string) string {
	v, _ := url.ParseQuery(strings.TrimPrefix(viewQuery(r.URL.Query()), "?"))
	v.Set("done", step)
	return "/supply?" + v.Encode()
}

func (h *Web) receive(w http.ResponseWriter, r *http.Request) error {
	if err := form(w, r); err != nil {
		return err
	}
	f := stockForm(r)
	q, number := formQuantity(f.Quantity)
	_, err := h.Supply.RecordReceipt(r.Context(), transport.Caller(r), supplyservice.ReceiptRequest{Mission: f.Mission, Item: f.Item, Lot: f.Lot,
		Quantity: q, Received: f.Date, Expires: f.Expires})
	if err == nil {
		http.Redirect(w, r, doneURL(r, "receipt"), http.StatusSeeOther)
		return nil
	}
	if !refused(&f, err, "receipt", number) {
		return err
	}
	return h.stockRefused(w, r, func(p *SupplyPage) { p.Receipt = f })
}

func (h *Web) issue(w http.ResponseWriter, r *http.Request) error {
	if err := form(w, r); err != nil {
		return err
	}
	f := stockForm(r)
	q, number := formQuantity(f.Quantity)
	_, err := h.Supply.RecordIssue(r.Context(), transport.Caller(r), supplyservice.IssueRequest{Mission: f.Mission, Item: f.Item, Quantity: q, Date: f.Date, Note: f.Note})
	if err == nil {
		http.Redirect(w, r, doneURL(r, "issue"), http.StatusSeeOther)
		return nil
	}
	if !refused(&f, err, "issue", number) {
		return err
	}
	return h.stockRefused(w, r, func(p *SupplyPage) { p.Issue = f })
}

// transfer records a transfer of a pooling proposal and goes back to the
// proposal, which no longer holds it; a refused transfer shows the
// proposal again with the reason beside the transfer.
func (h *Web) transfer(w http.ResponseWriter, r *http.Request) error {
	if err := form(w, r); err != nil {
		return err
	}
	f := r.PostForm
	item, date := f.Get("item"), f.Get("date")
	q, err := strconv.ParseFloat(f.Get("quantity"), 64)
	if err != nil {
		return outpost.Errorf(outpost.EINVALID, "The quantity %q is not a number.", f.Get("quantity"))
	}
	tr, err := h.Supply.RecordTransfer(r.Context(), transport.Caller(r), supplyservice.TransferRequest{Item: item, From: f.Get("from"), To: f.Get("to"),
		Quantity: q, Date: date, Note: "pooling proposal"})
	back := url.Values{"as_of": {date}}
	if t := f.Get("target"); t != "" {
		back.Set("target", t)
	}
	if err == nil {
		back.Set("done", strconv.FormatInt(tr.ID, 10))
		http.Redirect(w, r, "/supply/pool/"+url.PathEscape(tr.Item)+"?"+back.Encode()+"#transfers", http.StatusSeeOther)
		return nil
	}
	if supplyservice.Fields(err) == nil {
		return err
	}
	// Show the proposal the transfer came from, with the reason.
	r.URL.RawQuery = back.Encode()
	r.SetPathValue("item", item)
	p, perr := h.poolPage(r)
	if perr != nil {
		return perr
	}
	p.Refused = TransferKey(f.Get("from"), f.Get("to"))
	p.RefusedWhy = outpost.ErrorMessage(err)
	return h.Render(w, r, http.StatusBadRequest, "supply_pool", p)
}
