package api_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/outpost-org/outpost/internal/api"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
)

// FuzzDecodeScanBatch feeds the scanner batch's decoder any body and
// checks what it promises: a refusal is EINVALID with a message in one
// line of text, never a panic; an accepted batch holds at most MaxScans
// scans and is exactly what the body's JSON says (decoded again by the
// standard library into the same type).
func FuzzDecodeScanBatch(f *testing.F) {
	for _, s := range []string{
		mixedBatch, `{"scans":[]}`, `{"scans":null}`, `{}`, `[]`, ``, `null`, `{"scans":[{"person":5}]}`,
		`{"scans":"RU-0001"}`, `{"scans":[{"person":"RU-0001","checkpoint":"assembled","at":"2021-04-01T08:00:00Z","gate":"2"}]}`,
		`{"scans":[]} {}`, `{"scans":[{}]}`, `{"scans":[null]}`, `{"scans":[{"person":"\u0000"}]}`, `{"scans":[{"at":"9999-12-31T23:59:59Z"}]}`,
		`{"SCANS":[]}`, `{"scans":[],"scans":[{}]}`, `{"scans":[{"person":"RU-0001","person":"SE-0001"}]}`, "\xff\xfe", `{"scans":[1,2,3]}`,
		`{"scans":[{"scan_id":"` + strings.Repeat("x", 100) + `"}]}`, ` {"scans":[]} `, `{"scans":[]}x`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		b, err := api.DecodeScanBatch(strings.NewReader(body))
		if err != nil {
			if outpost.ErrorCode(err) != outpost.EINVALID {
				t.Fatalf("%q: refused with %v, want EINVALID", body, err)
			}
			if msg := outpost.ErrorMessage(err); msg == "" || strings.ContainsAny(msg, "\n\r") || !utf8.ValidString(msg) {
				t.Fatalf("%q: message %q is not one line of text", body, msg)
			}
			return
		}
		if b.Scans == nil || len(b.Scans) > registry.MaxScans {
			t.Fatalf("%q: accepted %d scans (nil %v)", body, len(b.Scans), b.Scans == nil)
		}
		var again registry.ScanBatch
		if err := json.Unmarshal([]byte(body), &again); err != nil {
			t.Fatalf("%q: accepted, but the standard decoder refuses it: %v", body, err)
		}
		if len(again.Scans) != len(b.Scans) {
			t.Fatalf("%q: decoded %d scans, the standard decoder %d", body, len(b.Scans), len(again.Scans))
		}
		for i := range b.Scans {
			if b.Scans[i] != again.Scans[i] {
				t.Fatalf("%q: scan %d decoded as %+v, the standard decoder %+v", body, i, b.Scans[i], again.Scans[i])
			}
		}
	})
}
