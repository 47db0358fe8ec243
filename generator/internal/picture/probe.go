// Package picture makes the copies of a photo or drawing that a site
// publishes: turned as its EXIF orientation says, scaled to several
// widths, encoded afresh so that no metadata (the place a photo was taken,
// the camera's serial, its author) goes with them. Probe reads what a file
// says about itself from its head, before anything is decoded, so that a
// file claiming a hundred thousand pixels square is refused unread.
package picture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // decoders Probe and Make read
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/webp"
)

// MaxPixels is the largest picture opened, in pixels: 120 megapixels,
// more than any phone or camera takes. A file that claims more is refused
// from its head, as a picture that would take gigabytes to open.
const MaxPixels = 120_000_000

// Info is what a picture's head says.
type Info struct {
	Format        string // "jpeg", "png", "gif" or "webp"
	Width, Height int    // as shown: a quarter turn by EXIF swaps them
	Orientation   int    // EXIF orientation, 1 (as stored) to 8
	GPS           bool   // it records where it was taken
	Metadata      bool   // EXIF, XMP or IPTC data, which published copies leave out
}

// ErrFormat is a file that is not a picture this package reads.
var ErrFormat = errors.New("not a JPEG, PNG, GIF or WebP picture")

// Probe reads a picture's format, size and metadata from its head.
func Probe(data []byte) (Info, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		if errors.Is(err, image.ErrFormat) {
			return Info{}, ErrFormat
		}
		return Info{}, fmt.Errorf("the %s cannot be read: %w", formatName(data), err)
	}
	info := Info{Format: format, Width: cfg.Width, Height: cfg.Height, Orientation: 1}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return info, fmt.Errorf("the %s says it is %d×%d pixels", formatName(data), cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return info, fmt.Errorf("the %s says it is %d×%d pixels (%d megapixels); otpress opens pictures of up to %d megapixels", formatName(data), cfg.Width, cfg.Height, int64(cfg.Width)*int64(cfg.Height)/1_000_000, MaxPixels/1_000_000)
	}
	switch format {
	case "jpeg":
		jpegMeta(data, &info)
	case "png":
		pngMeta(data, &info)
	case "webp":
		webpMeta(data, &info)
	}
	if info.Orientation >= 5 {
		info.Width, info.Height = info.Height, info.Width
	}
	return info, nil
}

func formatName(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xd8")):
		return "JPEG"
	case bytes.HasPrefix(data, []byte("\x89PNG")):
		return "PNG"
	case bytes.HasPrefix(data, []byte("GIF8")):
		return "GIF"
	case bytes.HasPrefix(data, []byte("RIFF")):
		return "WebP"
	}
	return "picture"
}

// Orientation is a JPEG's EXIF orientation, 1 (as stored) to 8, read from
// the head of its file: cameras write EXIF first, so a few kilobytes
// hold it even when a thumbnail makes the block longer.
func Orientation(head []byte) int {
	info := Info{Orientation: 1}
	if bytes.HasPrefix(head, []byte("\xff\xd8")) {
		jpegMeta(head, &info)
	}
	return info.Orientation
}

// jpegMeta walks a JPEG's segments up to its image data: APP1 holds EXIF
// or XMP, APP13 IPTC. A segment cut short by the end of d is read as far
// as it goes.
func jpegMeta(d []byte, info *Info) {
	for i := 2; i+4 <= len(d); {
		if d[i] != 0xff {
			return
		}
		marker := d[i+1]
		if marker == 0xff { // fill byte
			i++
			continue
		}
		if marker == 0xda || marker == 0xd9 { // start of scan, end of image
			return
		}
		n := int(binary.BigEndian.Uint16(d[i+2:]))
		if n < 2 {
			return
		}
		seg := d[i+4 : min(i+2+n, len(d))]
		switch {
		case marker == 0xe1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")):
			info.Metadata = true
			tiff(seg[6:], info)
		case marker == 0xe1 && bytes.HasPrefix(seg, []byte("http://ns.adobe.com/xap/")):
			info.Metadata = true
		case marker == 0xed: // Photoshop's IPTC
			info.Metadata = true
		}
		i += 2 + n
	}
}

// pngMeta reads a PNG's chunks: eXIf holds EXIF, iTXt or tEXt XMP and
// other text (an author, a comment).
func pngMeta(d []byte, info *Info) {
	for i := 8; i+8 <= len(d); {
		n := int(binary.BigEndian.Uint32(d[i:]))
		kind := string(d[i+4 : i+8])
		if n < 0 || n > len(d)-i-12 {
			return
		}
		body := d[i+8 : i+8+n]
		switch kind {
		case "eXIf":
			info.Metadata = true
			tiff(body, info)
		case "iTXt", "tEXt", "zTXt":
			info.Metadata = true
		case "IDAT", "IEND":
			if kind == "IEND" {
				return
			}
		}
		i += 12 + n
	}
}

// webpMeta reads a WebP's RIFF chunks: EXIF and XMP.
func webpMeta(d []byte, info *Info) {
	for i := 12; i+8 <= len(d); {
		kind := string(d[i : i+4])
		n := int(binary.LittleEndian.Uint32(d[i+4:]))
		if n < 0 || n > len(d)-i-8 {
			return
		}
		switch kind {
		case "EXIF":
			info.Metadata = true
			body := d[i+8 : i+8+n]
			tiff(bytes.TrimPrefix(body, []byte("Exif\x00\x00")), info)
		case "XMP ":
			info.Metadata = true
		}
		i += 8 + n + n%2
	}
}

// tiff reads EXIF's TIFF structure: the orientation (tag 0x0112) in the
// first directory, and whether the GPS directory (pointed to by 0x8825)
// holds anything. Offsets that lead outside the block are ignored.
func tiff(t []byte, info *Info) {
	if len(t) < 8 {
		return
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return
	}
	entries := func(off uint32, each func(tag uint16, typ uint16, count uint32, value []byte)) {
		if off < 8 || int64(off)+2 > int64(len(t)) {
			return
		}
		n := int(bo.Uint16(t[off:]))
		for k := 0; k < n && k < 1000; k++ {
			e := int(off) + 2 + 12*k
			if e+12 > len(t) {
				return
			}
			each(bo.Uint16(t[e:]), bo.Uint16(t[e+2:]), bo.Uint32(t[e+4:]), t[e+8:e+12])
		}
	}
	entries(bo.Uint32(t[4:]), func(tag, typ uint16, count uint32, value []byte) {
		switch tag {
		case 0x0112:
			if o := int(bo.Uint16(value)); typ == 3 && o >= 1 && o <= 8 {
				info.Orientation = o
			}
		case 0x8825:
			entries(bo.Uint32(value), func(tag, typ uint16, count uint32, value []byte) {
				if tag >= 1 && tag <= 4 { // latitude and longitude, with their N/S and E/W
					info.GPS = true
				}
			})
		}
	})
}
