package photo

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/outpost-org/outpost/internal/outpost"
)

// Check checks a statement's photo before it is stored and replaces its
// bytes by the image written again from its pixels alone: a JPEG, PNG or
// WebP image by its content, no larger than outpost.MaxPhotoBytes nor
// than outpost.MaxPhotoSide and outpost.MaxPhotoPixels, that decodes
// whole. The store calls it on every photo it attaches, which keeps the
// domain (package outpost) free of image decoding. Whatever else the
// file held (EXIF with its GPS position, XMP, comments) is gone, so a
// published photo tells no more than its pixels. A WebP comes out as a
// JPEG, or as a PNG when it has transparency. It fills in Type, Size,
// Width and Height and tidies the name and caption.
func Check(p *outpost.Photo) error {
	name := p.Name
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if name == "" {
		name = "photo"
	}
	if utf8.RuneCountInString(name) > 100 {
		name = string([]rune(name)[:100])
	}
	p.Name = name
	switch {
	case len(p.Data) == 0:
		return outpost.Errorf(outpost.EINVALID, "photo %s: the file is empty", name)
	case len(p.Data) > outpost.MaxPhotoBytes:
		return outpost.Errorf(outpost.EINVALID, "photo %s: %.1f MB is larger than the limit of 5 MB", name, float64(len(p.Data))/(1<<20))
	}
	typ := Sniff(p.Data)
	if typ == "" {
		return outpost.Errorf(outpost.EINVALID, "photo %s: not a JPEG, PNG or WebP image (judged by its content, not its name)", name)
	}
	p.Caption = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(p.Caption, "\r", " "), "\n", " "))
	if msg := outpost.CheckLine(p.Caption, outpost.MaxCaption); msg != "" {
		return outpost.Errorf(outpost.EINVALID, "photo %s: caption: %s (got %q)", name, msg, outpost.Clip(p.Caption))
	}
	img, err := Clean(p.Data, Limits{MaxSide: outpost.MaxPhotoSide, MaxPixels: outpost.MaxPhotoPixels})
	switch {
	case errors.Is(err, ErrTooLarge):
		return outpost.Errorf(outpost.EINVALID, "photo %s: %s", name, strings.TrimPrefix(err.Error(), ErrTooLarge.Error()+": "))
	case errors.Is(err, ErrCorrupt), errors.Is(err, ErrFormat):
		return outpost.Errorf(outpost.EINVALID, "photo %s: looks like %s but cannot be read as one", name, typ)
	case err != nil:
		return fmt.Errorf("photo %s: %w", name, err)
	}
	p.Data, p.Type, p.Size, p.Width, p.Height = img.Data, img.Type, len(img.Data), img.Width, img.Height
	return nil
}
