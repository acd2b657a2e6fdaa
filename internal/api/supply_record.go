package api

import (
	"net/http"

	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
	"github.com/outpost-org/outpost/internal/transport"
)

func (a *API) supplyReceive(w http.ResponseWriter, r *http.Request) error {
	var req supplyservice.ReceiptRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	rec, err := a.Supply.RecordReceipt(r.Context(), transport.Caller(r), req)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, rec)
	return nil
}

func (a *API) supplyIssue(w http.ResponseWriter, r *http.Request) error {
	var req supplyservice.IssueRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	u, err := a.Supply.RecordIssue(r.Context(), transport.Caller(r), req)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, u)
	return nil
}

func (a *API) supplyTransfer(w http.ResponseWriter, r *http.Request) error {
	var req supplyservice.TransferRequest
	if err := transport.DecodeJSON(r, &req); err != nil {
		return err
	}
	tr, err := a.Supply.RecordTransfer(r.Context(), transport.Caller(r), req)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, tr)
	return nil
}
