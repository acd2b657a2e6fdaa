package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/transport"
)

// The scanner batch's request and answer are the registry's.
type (
	ScanBatch  = registry.ScanBatch
	ScanReport = registry.ScanReport
)

// MaxScanBody is the largest batch of scans read: MaxScans scans of a few
// hundred bytes each (a note may hold 500 characters).
const MaxScanBody = 8 << 20

// trackBatchRoutes are the route of a gate scanner's batch of checkpoints.
func (a *API) trackBatchRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/track", Handler: a.trackBatch, Doc: Op{
			Summary: "Record a gate scanner's queue of checkpoints", Tags: []string{"people"},
			Description: fmt.Sprintf("scans holds up to %d scans, each {person, checkpoint, at, scan_id?, note?}; at is required (RFC 3339, or a time in the post's time zone). ", registry.MaxScans) +
				"Not all or nothing: every scan that can be recorded is, and each refused scan is listed with its index and why (kind unknown_person — a person of another mission answers exactly as one who does not exist —, out_of_order, invalid, forbidden, or too_many_for_person past " + fmt.Sprint(registry.MaxScansPerPerson) + " scans of one person in a batch). " +
				"A scan of the same person, checkpoint and second as one already recorded is a duplicate and records nothing, so a scanner may send its queue again after a lost answer. " +
				"The answer comes after the recorded scans are committed. Managers and staff (their mission's people) and the admin. " +
				"The body is refused whole (400) only when it is not JSON of this shape, holds more than the maximum of scans, or is over 8 MiB.",
			Body: ScanBatch{}, Response: ScanReport{}, Errors: []int{400, 403}}},
	}
}

func (a *API) trackBatch(w http.ResponseWriter, r *http.Request) error {
	// Refuse a caller who may track nobody before reading the body.
	u := transport.Caller(r)
	if err := registry.MayTrack(u); err != nil {
		return err
	}
	b, err := DecodeScanBatch(r.Body)
	if err != nil {
		return err
	}
	rep, err := a.Registry.TrackScans(r.Context(), u, b)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, rep)
	return nil
}

// DecodeScanBatch reads a batch of scans: one JSON object {"scans": […]}
// of at most MaxScanBody bytes and registry.MaxScans scans, no field it
// does not know. A scan that is wrong in its values (an unknown
// checkpoint, a time that is not one) is not the decoder's to refuse: the
// batch keeps it, and the registry lists it as refused.
func DecodeScanBatch(body io.Reader) (ScanBatch, error) {
	data, err := io.ReadAll(io.LimitReader(body, MaxScanBody+1))
	if err != nil {
		return ScanBatch{}, outpost.Errorf(outpost.EINVALID, "the request body could not be read: %v", err)
	}
	if len(data) > MaxScanBody {
		return ScanBatch{}, outpost.Errorf(outpost.EINVALID, "the request body is over %d MiB: send the queue in parts of at most %d scans", MaxScanBody>>20, registry.MaxScans)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return ScanBatch{}, outpost.Errorf(outpost.EINVALID, "the request has no JSON body")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b ScanBatch
	if err := dec.Decode(&b); err != nil {
		return ScanBatch{}, outpost.Errorf(outpost.EINVALID, "the request body is not a batch of scans: %s", jsonProblem(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return ScanBatch{}, outpost.Errorf(outpost.EINVALID, "the request body holds more than one JSON value")
	}
	if err := registry.CheckScanBatch(b); err != nil {
		return ScanBatch{}, err
	}
	return b, nil
}

// jsonProblem says where a JSON body went wrong: the field for a value of
// the wrong type, the byte offset for a syntax error.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		if te.Field == "" {
			return fmt.Sprintf("want a JSON object {\"scans\": [...]} (got a JSON %s)", te.Value)
		}
		field := te.Field
		if f, ok := strings.CutPrefix(field, "scans."); ok {
			field = "scans[]." + f
		}
		want := "a string"
		if te.Type.Kind() == reflect.Slice {
			want = "a list"
		} else if te.Type.Kind() == reflect.Struct {
			want = "an object"
		}
		return fmt.Sprintf("%s: want %s (got a JSON %s, at byte %d)", field, want, te.Value, te.Offset)
	case errors.As(err, &se):
		return fmt.Sprintf("%v (at byte %d)", se, se.Offset)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
