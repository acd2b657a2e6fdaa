package photo_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"testing"

	"github.com/outpost-org/outpost/internal/photo"
	"github.com/outpost-org/outpost/internal/storetest"
)

var limits = photo.Limits{MaxSide: 4000, MaxPixels: 4_000_000}

// pngChunk returns one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// pngWithText returns a PNG with text, EXIF and time chunks before its
// pixels.
func pngWithText() []byte {
	img := storetest.PNG(5, 3)
	out := append([]byte{}, img[:33]...) // signature and IHDR
	out = append(out, pngChunk("tEXt", []byte("Comment\x00"+storetest.MetadataText))...)
	out = append(out, pngChunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00"+storetest.MetadataText))...)
	out = append(out, pngChunk("eXIf", []byte("MM\x00\x2a\x00\x00\x00\x08\x00\x00"))...)
	return append(out, img[33:]...)
}

func testdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCleanDropsMetadata(t *testing.T) {
	cases := []struct {
		name     string
		in       []byte
		typ      string
		w, h     int
		metadata bool // the input carries metadata to remove
	}{
		{"jpeg with exif, gps, xmp, comment", storetest.JPEGWithMetadata(12, 8, 1), photo.JPEG, 12, 8, true},
		{"plain jpeg", storetest.JPEG(), photo.JPEG, 8, 6, false},
		{"png with text and exif chunks", pngWithText(), photo.PNG, 5, 3, true},
		{"opaque webp", testdata(t, "blue-purple-pink.lossy.webp"), photo.JPEG, 0, 0, false},
		{"webp with transparency", testdata(t, "gopher-doc.with-alpha.lossless.webp"), photo.PNG, 0, 0, false},
		{"tiny webp", storetest.WebP(), photo.PNG, 1, 1, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.metadata && !bytes.Contains(c.in, []byte(storetest.MetadataText)) {
				t.Fatal("the input does not carry the metadata the test looks for")
			}
			out, err := photo.Clean(c.in, limits)
			if err != nil {
				t.Fatal(err)
			}
			if out.Type != c.typ || photo.Sniff(out.Data) != c.typ {
				t.Errorf("type: got %s (sniffed %s), want %s", out.Type, photo.Sniff(out.Data), c.typ)
			}
			if c.w > 0 && (out.Width != c.w || out.Height != c.h) {
				t.Errorf("size: got %d×%d, want %d×%d", out.Width, out.Height, c.w, c.h)
			}
			cfg, _, err := image.DecodeConfig(bytes.NewReader(out.Data))
			if err != nil || cfg.Width != out.Width || cfg.Height != out.Height {
				t.Errorf("the written image reads as %+v, %v; want %d×%d", cfg, err, out.Width, out.Height)
			}
			assertClean(t, out)
		})
	}
}

// assertClean fails if out carries any metadata.
func assertClean(t *testing.T, out photo.Image) {
	t.Helper()
	for _, s := range []string{storetest.MetadataText, "Exif", "xmpmeta", "http://ns.adobe.com"} {
		if bytes.Contains(out.Data, []byte(s)) {
			t.Errorf("the written image still holds %q", s)
		}
	}
	switch out.Type {
	case photo.JPEG:
		if m := storetest.JPEGMetadata(out.Data); len(m) > 0 {
			t.Errorf("the written JPEG has metadata segments % X", m)
		}
	case photo.PNG:
		for i := 8; i+8 <= len(out.Data); {
			n := int(binary.BigEndian.Uint32(out.Data[i:]))
			switch typ := string(out.Data[i+4 : i+8]); typ {
			case "IHDR", "PLTE", "tRNS", "IDAT", "IEND":
			default:
				t.Errorf("the written PNG has a %s chunk", typ)
			}
			i += 12 + n
		}
	}
}

func TestCleanAppliesOrientation(t *testing.T) {
	// The original is dark on the left, light on the right.
	cases := []struct {
		o          int
		w, h       int
		darkX, dkY int // a pixel that must be dark after turning
	}{
		{1, 12, 8, 1, 4},
		{3, 12, 8, 10, 4}, // upside down: dark on the right
		{6, 8, 12, 4, 1},  // turned right: dark at the top
		{8, 8, 12, 4, 10}, // turned left: dark at the bottom
		{9, 12, 8, 1, 4},  // not an orientation: left as it is
	}
	for _, c := range cases {
		in := storetest.JPEGWithMetadata(12, 8, c.o)
		if c.o == 6 {
			in = colourJPEG(12, 8, c.o) // the YCbCr layout of colour photos
		}
		want := c.o
		if want > 8 {
			want = 1
		}
		if got := photo.Orientation(in); got != want {
			t.Errorf("orientation %d: read %d, want %d", c.o, got, want)
		}
		out, err := photo.Clean(in, limits)
		if err != nil {
			t.Fatal(err)
		}
		if out.Width != c.w || out.Height != c.h {
			t.Errorf("orientation %d: got %d×%d, want %d×%d", c.o, out.Width, out.Height, c.w, c.h)
		}
		img, err := jpeg.Decode(bytes.NewReader(out.Data))
		if err != nil {
			t.Fatal(err)
		}
		if y := color.GrayModel.Convert(img.At(c.darkX, c.dkY)).(color.Gray).Y; y > 100 {
			t.Errorf("orientation %d: pixel (%d, %d) is %d, want dark", c.o, c.darkX, c.dkY, y)
		}
	}
}

// colourJPEG is JPEGWithMetadata in colour: dark blue on the left.
func colourJPEG(w, h, o int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{10, 10, 80, 255}
			if x >= w/2 {
				c = color.RGBA{250, 240, 230, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	jpeg.Encode(&b, img, &jpeg.Options{Quality: 95})
	return storetest.WithMetadata(b.Bytes(), o)
}

func TestCleanRefuses(t *testing.T) {
	truncated := storetest.JPEGWithMetadata(12, 8, 1)
	truncated = truncated[:len(truncated)-40]
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, photo.ErrFormat},
		{"text", []byte("GIF89a not really"), photo.ErrFormat},
		{"png bomb, wide", storetest.PNGBomb(100_000, 1), photo.ErrTooLarge},
		{"png bomb, many pixels", storetest.PNGBomb(3000, 3000), photo.ErrTooLarge},
		{"png bomb, the largest header", storetest.PNGBomb(1<<31-1, 1<<31-1), photo.ErrCorrupt}, // png refuses it itself
		{"png of no pixels", storetest.PNGBomb(0, 5), photo.ErrCorrupt},
		{"png header only", []byte("\x89PNG\r\n\x1a\n"), photo.ErrCorrupt},
		{"jpeg cut short", truncated, photo.ErrCorrupt},
		{"webp header only", []byte("RIFF\x00\x00\x00\x00WEBP"), photo.ErrCorrupt},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := photo.Clean(c.in, limits)
			if !errors.Is(err, c.want) {
				t.Errorf("got %v, want %v", err, c.want)
			}
		})
	}
}

// FuzzClean checks that Clean never panics and that whatever it accepts
// comes out as an image of its type, within the limits, with no metadata.
func FuzzClean(f *testing.F) {
	f.Add(storetest.JPEGWithMetadata(12, 8, 6))
	f.Add(colourJPEG(12, 8, 3))
	f.Add(storetest.JPEG())
	f.Add(pngWithText())
	f.Add(storetest.PNGBomb(100_000, 100_000))
	f.Add(storetest.WebP())
	f.Add(testdata(f, "blue-purple-pink.lossy.webp"))
	f.Add(testdata(f, "gopher-doc.with-alpha.lossless.webp"))
	var paletted bytes.Buffer
	png.Encode(&paletted, image.NewPaletted(image.Rect(0, 0, 3, 3), color.Palette{color.Black, color.White}))
	f.Add(paletted.Bytes())
	lim := photo.Limits{MaxSide: 512, MaxPixels: 64 * 1024}
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := photo.Orientation(data); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
		out, err := photo.Clean(data, lim)
		if err != nil {
			if !errors.Is(err, photo.ErrFormat) && !errors.Is(err, photo.ErrCorrupt) && !errors.Is(err, photo.ErrTooLarge) {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		if out.Width > lim.MaxSide || out.Height > lim.MaxSide || out.Width*out.Height > lim.MaxPixels {
			t.Fatalf("%d×%d is beyond the limits", out.Width, out.Height)
		}
		if photo.Sniff(out.Data) != out.Type {
			t.Fatalf("wrote %s, says %s", photo.Sniff(out.Data), out.Type)
		}
		if out.Type == photo.JPEG && len(storetest.JPEGMetadata(out.Data)) > 0 {
			t.Fatalf("metadata left: % X", storetest.JPEGMetadata(out.Data))
		}
		again, err := photo.Clean(out.Data, lim)
		if err != nil || again.Width != out.Width || again.Height != out.Height {
			t.Fatalf("the written image does not read back: %v", err)
		}
	})
}

// pngHeader is the start of a PNG of w×h pixels, bitDepth bits a channel
// of colour type ct, up to its IHDR chunk: enough for DecodeConfig, and
// all Clean may read of a photo it refuses.
func pngHeader(w, h uint32, bitDepth, ct byte) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = bitDepth, ct
	chunk := append([]byte("IHDR"), ihdr...)
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

// A photo within the pixel limits may still take too much memory to
// decode: 16 bits a channel take twice 8 bits. It is refused from its
// header, before any pixel is read.
func TestCleanBudgetsTheMemoryOfThePixels(t *testing.T) {
	lim := photo.Limits{MaxSide: 10_000, MaxPixels: 40_000_000}
	for _, tc := range []struct {
		name     string
		data     []byte
		tooLarge bool
	}{
		{"36 MP, 16-bit RGBA", pngHeader(6000, 6000, 16, 6), true},
		{"36 MP, 16-bit grey", pngHeader(6000, 6000, 16, 0), false},
		{"24 MP, 16-bit RGB", pngHeader(6000, 4000, 16, 2), true},
		{"18 MP, 16-bit RGBA", pngHeader(6000, 3000, 16, 6), false},
	} {
		_, err := photo.Clean(tc.data, lim)
		if got := errors.Is(err, photo.ErrTooLarge); got != tc.tooLarge {
			t.Errorf("%s: got %v, want too large: %v", tc.name, err, tc.tooLarge)
		}
	}
}
