package outpost

import (
	"slices"
	"testing"
	"unicode/utf8"
)

// FuzzExitDocumentsValidate: the rules an import row, the form and the
// store share. It never panics; every problem names one of the people
// file's exit-document columns with a short quote of what was given; and
// documents it accepts keep every rule: known sex and permit status, real
// dates in the window, a granted permit with both dates in order, a
// permit's details only with a status, one-line number and authority.
func FuzzExitDocumentsValidate(f *testing.F) {
	f.Add("F", "2024-05-31", "granted", "EP-1", "2021-03-01", "2021-03-31", "MFA", "2021-04-10", false)
	f.Add("", "", "", "", "", "", "", "", true)
	f.Add("female", "", "", "", "", "", "", "", false)                      // sex not M, F, X
	f.Add("f", "", "", "", "", "", "", "", false)                           // lower case
	f.Add("", "31/05/2024", "", "", "", "", "", "", false)                  // not a date
	f.Add("", "2021-02-30", "", "", "", "", "", "", false)                  // not a real day
	f.Add("", "1899-12-31", "", "", "", "", "", "2101-01-01", false)        // out of the window
	f.Add("", "", "approved", "", "", "", "", "", false)                    // unknown status
	f.Add("", "", "", "EP-1", "", "", "", "", false)                        // number without status
	f.Add("", "", "", "", "", "", "MFA", "", false)                         // authority without status
	f.Add("", "", "granted", "", "", "", "", "", false)                     // granted without dates
	f.Add("", "", "granted", "", "2021-03-20", "2021-02-20", "", "", false) // to before from
	f.Add("", "", "requested", "", "2021-03-20", "bad", "", "", false)      // a bad date and an order
	f.Add("", "", "refused", "EP\n1", "", "", "M\x00FA", "", false)         // not one line
	f.Add("X", "", "refused", string(make([]byte, 300)), "", "", "", "", true)
	f.Add("\xff", "\xff", "\xff", "\xff", "\xff", "\xff", "\xff", "\xff", false)
	f.Fuzz(func(t *testing.T, sex, expiry, status, number, from, to, authority, quarantine string, staying bool) {
		d := ExitDocuments{Person: "RU-0001", Sex: sex, PassportExpiry: Date(expiry), PermitStatus: status,
			PermitNumber: number, PermitFrom: Date(from), PermitTo: Date(to), PermitAuthority: authority,
			QuarantineUntil: Date(quarantine), Staying: staying}
		probs := d.Validate()
		for _, p := range probs {
			if !slices.Contains(ExitDocColumns, p.Field) {
				t.Fatalf("problem on %q, not an exit-document column: %+v", p.Field, p)
			}
			if p.Message == "" {
				t.Fatalf("problem without words: %+v", p)
			}
			if utf8.RuneCountInString(p.Got) > 41 {
				t.Fatalf("problem quotes %d characters, want at most 40 and an ellipsis: %+v", utf8.RuneCountInString(p.Got), p)
			}
		}
		if len(probs) > 0 {
			if err := probs.Err("exit documents"); ErrorCode(err) != EINVALID {
				t.Fatalf("problems %v without an invalid error: %v", probs, err)
			}
			return
		}
		if sex != "" && !slices.Contains(Sexes, sex) {
			t.Fatalf("sex %q accepted", sex)
		}
		if status != "" && !slices.Contains(PermitStatuses, status) {
			t.Fatalf("permit status %q accepted", status)
		}
		for _, s := range []string{expiry, from, to, quarantine} {
			if s == "" {
				continue
			}
			if _, err := ParseDate(s); err != nil {
				t.Fatalf("date %q accepted: %v", s, err)
			}
		}
		if status == "" && (number != "" || from != "" || to != "" || authority != "") {
			t.Fatalf("permit details without a status accepted: %+v", d)
		}
		if status == PermitGranted && (from == "" || to == "") {
			t.Fatalf("granted permit without both dates accepted: %+v", d)
		}
		if from != "" && to != "" && to < from {
			t.Fatalf("permit ending %s before it starts %s accepted", to, from)
		}
		if CheckLine(number, MaxLabel) != "" || CheckLine(authority, MaxName) != "" {
			t.Fatalf("number %q or authority %q accepted", number, authority)
		}
	})
}
