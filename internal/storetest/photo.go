package storetest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
)

// GPSLatitude is the latitude JPEGWithMetadata records, as its EXIF
// rational degrees: Pyongyang.
const GPSLatitude = 39

// MetadataText is text that JPEGWithMetadata hides in its XMP block and
// its comment: no photo Outpost serves may contain it.
const MetadataText = "Compound gate, 39.0194N 125.7381E"

// JPEGWithMetadata returns a w×h JPEG as a camera writes it: an EXIF block
// with the orientation o and a GPS position, an XMP block and a comment,
// all holding where it was taken. Its left half is dark and its right
// half light, so a turned image can be told from the original.
func JPEGWithMetadata(w, h, o int) []byte {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			if x >= w/2 {
				img.SetGray(x, y, color.Gray{240})
			} else {
				img.SetGray(x, y, color.Gray{20})
			}
		}
	}
	var plain bytes.Buffer
	jpeg.Encode(&plain, img, &jpeg.Options{Quality: 95})
	return WithMetadata(plain.Bytes(), o)
}

// WithMetadata returns the JPEG plain with the metadata blocks of
// JPEGWithMetadata put in after its start marker.
func WithMetadata(plain []byte, o int) []byte {
	be := binary.BigEndian
	var t bytes.Buffer
	u16 := func(v uint16) { binary.Write(&t, be, v) }
	u32 := func(v uint32) { binary.Write(&t, be, v) }
	t.WriteString("MM")
	u16(42)
	u32(8)
	// IFD0: orientation and the pointer to the GPS directory at 38.
	u16(2)
	u16(0x0112)
	u16(3)
	u32(1)
	u16(uint16(o))
	u16(0)
	u16(0x8825)
	u16(4)
	u32(1)
	u32(38)
	u32(0)
	// GPS IFD: latitude reference and latitude (three rationals at 68).
	u16(2)
	u16(0x0001)
	u16(2)
	u32(2)
	t.WriteString("N\x00\x00\x00")
	u16(0x0002)
	u16(5)
	u32(3)
	u32(68)
	u32(0)
	for _, r := range [][2]uint32{{GPSLatitude, 1}, {1, 1}, {1, 1}} {
		u32(r[0])
		u32(r[1])
	}
	segment := func(marker byte, body []byte) []byte {
		seg := []byte{0xFF, marker, 0, 0}
		be.PutUint16(seg[2:], uint16(len(body)+2))
		return append(seg, body...)
	}
	out := append([]byte{}, plain[:2]...)
	out = append(out, segment(0xE1, append([]byte("Exif\x00\x00"), t.Bytes()...))...)
	out = append(out, segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>"+MetadataText+"</x:xmpmeta>"))...)
	out = append(out, segment(0xFE, []byte(MetadataText))...)
	return append(out, plain[2:]...)
}

// JPEGMetadata lists the markers of a JPEG's segments before its pixels
// that carry metadata rather than the image: APP1 to APP15 (EXIF, XMP,
// ICC, IPTC…) and COM. A JPEG fit to publish has none.
func JPEGMetadata(data []byte) []byte {
	var found []byte
	for i := 2; i+4 <= len(data); {
		m := data[i+1]
		if data[i] != 0xFF || m == 0xDA || m == 0xD9 {
			break
		}
		if m >= 0xE1 && m <= 0xEF || m == 0xFE {
			found = append(found, m)
		}
		i += 2 + int(binary.BigEndian.Uint16(data[i+2:]))
	}
	return found
}

// PNGBomb returns a PNG of a few dozen bytes whose header claims w×h
// pixels: decoding it whole would take w×h×3 bytes of memory.
func PNGBomb(w, h uint32) []byte {
	chunk := func(typ string, data []byte) []byte {
		out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		out = append(out, typ...)
		out = append(out, data...)
		return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, chunk("IHDR", ihdr)...)
	out = append(out, chunk("IDAT", []byte{0x78, 0x9c, 0x63, 0, 0, 0, 1, 0, 1})...)
	return append(out, chunk("IEND", nil)...)
}

// SniffType is the media type of an image by its content.
func SniffType(data []byte) string {
	_, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return ""
	}
	return "image/" + format
}
