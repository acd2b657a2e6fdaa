package outpost

import (
	"testing"
	"time"
)

// FuzzAmendmentValidate: an amendment with a bad reason, checkpoint,
// status or note is refused naming the field; a valid one has a reason of
// one line and something to change. It never panics.
func FuzzAmendmentValidate(f *testing.F) {
	f.Add("wrong time", "departed", "", "", int64(1617260400), true)
	f.Add("", "crossed", "", "", int64(0), false)
	f.Add("a\nb", "", "left", "", int64(0), false)
	f.Add("r", "boarded", "", "", int64(0), false)
	f.Add("r", "departed", "left", "", int64(0), false)
	f.Add("r", "", "", "bus\x00", int64(0), true)
	f.Add("\x00", "", "", "", int64(-62135596800), false)
	f.Add(string(make([]byte, 600)), "", "in_country", "", int64(0), false)
	f.Fuzz(func(t *testing.T, reason, checkpoint, status, note string, at int64, withNote bool) {
		a := Amendment{Event: 1, Reason: reason, Checkpoint: Checkpoint(checkpoint), Status: Status(status)}
		if at != 0 {
			a.At = time.Unix(at, 0)
		}
		if withNote {
			a.Note = &note
		}
		p := a.Validate()
		if len(p) > 0 {
			if err := p.Err("amendment"); err == nil || ErrorCode(err) != EINVALID {
				t.Fatalf("problems %v without an invalid error", p)
			}
			return
		}
		if CheckReason(reason) != "" {
			t.Fatalf("reason %q accepted", reason)
		}
		if a.At.IsZero() && checkpoint == "" && status == "" && !withNote {
			t.Fatalf("nothing to change accepted")
		}
	})
}
