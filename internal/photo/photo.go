// Package photo makes an uploaded image fit to publish: it reads the
// image by its content, refuses one whose pixel dimensions would take too
// much memory to decode (a decompression bomb), and writes the pixels
// again with nothing else. What a camera or an editor stores beside the
// pixels (EXIF with the GPS position, the time and the camera's serial
// number, XMP, IPTC, ICC profiles, comments, thumbnails) does not survive,
// because only the decoded pixels are encoded again.
package photo

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"
)

// The media types of the images Clean reads.
const (
	JPEG = "image/jpeg"
	PNG  = "image/png"
	WebP = "image/webp"
)

// Quality is the JPEG quality of the images Clean writes: high enough
// that a second encoding shows no loss to the eye.
const Quality = 90

// Limits bound the images Clean decodes.
type Limits struct {
	// MaxSide is the most pixels on either side.
	MaxSide int
	// MaxPixels is the most pixels in all (width × height).
	MaxPixels int
	// MaxBytes is the most memory the decoded pixels may take, from the
	// header's dimensions and colour model (4 × MaxPixels when zero): a
	// 16-bit PNG takes twice an 8-bit one's, and both pack small.
	MaxBytes int64
}

// decoding bounds how many photos are decoded at once, each up to
// Limits.MaxBytes: uploads that come together wait their turn instead of
// adding up past the server's memory.
var decoding = make(chan struct{}, 2)

// Errors of Clean; each is wrapped with what was found.
var (
	// ErrFormat is an image that is not JPEG, PNG or WebP by its content.
	ErrFormat = errors.New("not a JPEG, PNG or WebP image")
	// ErrCorrupt is an image whose header or pixels cannot be read.
	ErrCorrupt = errors.New("cannot be read as an image")
	// ErrTooLarge is an image whose dimensions exceed the limits.
	ErrTooLarge = errors.New("too many pixels")
)

// Image is an image written again from its pixels alone.
type Image struct {
	Data []byte
	// Type is JPEG or PNG: a WebP is written as a PNG when it has
	// transparency and as a JPEG otherwise (the standard library writes
	// no WebP).
	Type          string
	Width, Height int
}

// Sniff returns the media type of data judged by its first bytes, and ""
// when it is none of JPEG, PNG and WebP. A file name is never trusted.
func Sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xFF\xD8\xFF")):
		return JPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return WebP
	}
	return ""
}

type codec struct {
	config func([]byte) (image.Config, error)
	decode func([]byte) (image.Image, error)
}

// codecs decode each type with its own decoder, chosen by Sniff, so a
// file that starts as one format is never read as another.
var codecs = map[string]codec{
	JPEG: {
		config: func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) },
		decode: func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) },
	},
	PNG: {
		config: func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) },
		decode: func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) },
	},
	WebP: {
		config: func(b []byte) (image.Config, error) { return webp.DecodeConfig(bytes.NewReader(b)) },
		decode: func(b []byte) (image.Image, error) { return webp.Decode(bytes.NewReader(b)) },
	},
}

// Clean reads data as a JPEG, PNG or WebP image and returns it written
// again from its pixels alone. The dimensions in the header are checked
// against lim before any pixel is decoded. A JPEG's EXIF orientation is
// applied to the pixels first, so that the photo still shows the right
// way up once the tag is gone.
func Clean(data []byte, lim Limits) (Image, error) {
	typ := Sniff(data)
	c, ok := codecs[typ]
	if !ok {
		return Image{}, ErrFormat
	}
	cfg, err := c.config(data)
	if err != nil {
		return Image{}, fmt.Errorf("%s header: %w (%v)", typ, ErrCorrupt, err)
	}
	if err := check(cfg, lim); err != nil {
		return Image{}, err
	}
	decoding <- struct{}{}
	defer func() { <-decoding }()
	img, err := c.decode(data)
	if err != nil {
		return Image{}, fmt.Errorf("%s pixels: %w (%v)", typ, ErrCorrupt, err)
	}
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return Image{}, fmt.Errorf("%s: %w (the header says %d×%d, the pixels are %d×%d)",
			typ, ErrCorrupt, cfg.Width, cfg.Height, b.Dx(), b.Dy())
	}
	if typ == JPEG {
		img = orient(img, Orientation(data))
	}
	out := Image{Type: typ}
	if typ == WebP {
		out.Type = JPEG
		if !opaque(img) {
			out.Type = PNG
		}
	}
	var buf bytes.Buffer
	if out.Type == JPEG {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: Quality})
	} else {
		err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, img)
	}
	if err != nil {
		return Image{}, fmt.Errorf("write %s: %w", out.Type, err)
	}
	b := img.Bounds()
	out.Data, out.Width, out.Height = buf.Bytes(), b.Dx(), b.Dy()
	return out, nil
}

// check refuses dimensions outside lim, and pixels that would take more
// memory than lim allows, before anything is decoded.
func check(cfg image.Config, lim Limits) error {
	w, h := cfg.Width, cfg.Height
	switch {
	case w <= 0 || h <= 0:
		return fmt.Errorf("%w (the header says %d×%d)", ErrCorrupt, w, h)
	case w > lim.MaxSide || h > lim.MaxSide:
		return fmt.Errorf("%w: %d×%d pixels, more than %d on a side", ErrTooLarge, w, h, lim.MaxSide)
	case int64(w)*int64(h) > int64(lim.MaxPixels):
		return fmt.Errorf("%w: %d×%d is %.1f megapixels, more than %.1f", ErrTooLarge, w, h,
			float64(w)*float64(h)/1e6, float64(lim.MaxPixels)/1e6)
	}
	budget := lim.MaxBytes
	if budget <= 0 {
		budget = 4 * int64(lim.MaxPixels)
	}
	if need := int64(w) * int64(h) * bytesPerPixel(cfg.ColorModel); need > budget {
		return fmt.Errorf("%w: %d×%d pixels in this colour model take %.0f MB to read, more than %.0f MB (save it with 8 bits a channel, or smaller)",
			ErrTooLarge, w, h, float64(need)/(1<<20), float64(budget)/(1<<20))
	}
	return nil
}

// bytesPerPixel is what a decoded pixel of the colour model takes, at
// most: the decoders allocate one image of that model.
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel, color.NYCbCrAModel:
		return 4 // 4:4:4 with alpha at worst
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel:
		return 4
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 8 // RGBA64, NRGBA64 and anything unknown
}

// opaque reports whether img has no transparent pixel.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// orient turns img as EXIF orientation o (1 to 8) says the camera was
// held; any other value leaves it as it is. A JPEG's own pixel layouts
// (YCbCr, gray) are turned as they are, without an RGBA copy, to keep the
// memory of a large photo near that of its decoding.
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	r := image.Rect(0, 0, w, h)
	if o >= 5 {
		r = image.Rect(0, 0, h, w)
	}
	// to maps a pixel of the original (from its top left) to the turned
	// image.
	to := func(x, y int) (int, int) {
		switch o {
		case 2: // mirrored
			return w - 1 - x, y
		case 3: // upside down
			return w - 1 - x, h - 1 - y
		case 4: // upside down, mirrored
			return x, h - 1 - y
		case 5: // transposed
			return y, x
		case 6: // turned left: turn it right
			return h - 1 - y, x
		case 7: // transversed
			return h - 1 - y, w - 1 - x
		}
		return y, w - 1 - x // 8: turned right: turn it left
	}
	switch src := img.(type) {
	case *image.YCbCr:
		dst := image.NewYCbCr(r, image.YCbCrSubsampleRatio444)
		for y := range h {
			for x := range w {
				dx, dy := to(x, y)
				si, ci := src.YOffset(b.Min.X+x, b.Min.Y+y), src.COffset(b.Min.X+x, b.Min.Y+y)
				di := dst.YOffset(dx, dy)
				dst.Y[di], dst.Cb[di], dst.Cr[di] = src.Y[si], src.Cb[ci], src.Cr[ci]
			}
		}
		return dst
	case *image.Gray:
		dst := image.NewGray(r)
		for y := range h {
			for x := range w {
				dx, dy := to(x, y)
				dst.Pix[dst.PixOffset(dx, dy)] = src.Pix[src.PixOffset(b.Min.X+x, b.Min.Y+y)]
			}
		}
		return dst
	}
	src := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(src, src.Bounds(), img, b.Min, draw.Src)
	dst := image.NewRGBA(r)
	for y := range h {
		for x := range w {
			dx, dy := to(x, y)
			copy(dst.Pix[dst.PixOffset(dx, dy):][:4], src.Pix[src.PixOffset(x, y):][:4])
		}
	}
	return dst
}
