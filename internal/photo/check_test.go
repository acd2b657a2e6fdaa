package photo_test

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/photo"
)

// A caption is published beside the photo: it is one line of text like
// any other, so control characters are refused and newlines folded.
func TestPhotoCaptionIsOneLineOfText(t *testing.T) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		caption string
		ok      bool
		want    string
	}{
		{"The gate at Munsu", true, "The gate at Munsu"},
		{"two\nlines", true, "two lines"},
		{"a NUL \x00 here", false, ""},
		{"an escape \x1b[31m", false, ""},
		{strings.Repeat("é", outpost.MaxCaption+1), false, ""},
	} {
		p := outpost.Photo{PhotoInfo: outpost.PhotoInfo{Name: "x.png", Caption: tc.caption}, Data: buf.Bytes()}
		err := photo.Check(&p)
		if tc.ok {
			if err != nil || p.Caption != tc.want {
				t.Errorf("caption %q: got %q, %v; want %q", tc.caption, p.Caption, err, tc.want)
			}
			continue
		}
		if outpost.ErrorCode(err) != outpost.EINVALID || !strings.Contains(err.Error(), "caption") {
			t.Errorf("caption %q: got %v, want an invalid caption", tc.caption, err)
		}
	}
}
