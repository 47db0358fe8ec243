package picture

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

// Strip is a picture file without its metadata, its pixels untouched:
// a JPEG without its EXIF, XMP, IPTC and comment segments, a PNG without
// its eXIf, text and time chunks, a WebP without its EXIF and XMP chunks.
// What shows the picture is kept (a JPEG's JFIF and Adobe segments and
// colour profile, a PNG's colour chunks); an orientation other than "as
// stored" is kept alone, in an EXIF block of its own, so the picture
// still shows the right way up. A GIF, and a file this cannot read, come
// back as they are; removed says whether anything was taken out.
func Strip(data []byte) (out []byte, removed bool) {
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xd8")):
		return stripJPEG(data)
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return stripPNG(data)
	case len(data) >= 12 && bytes.HasPrefix(data, []byte("RIFF")) && string(data[8:12]) == "WEBP":
		return stripWebP(data)
	}
	return data, false
}

// orientationTIFF is EXIF's TIFF data holding only an orientation.
func orientationTIFF(o int) []byte {
	t := []byte("MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00")
	t[19] = byte(o)
	return t
}

func stripJPEG(d []byte) ([]byte, bool) {
	var info Info
	jpegMeta(d, &info)
	var kept [][]byte // the segments before the image data that stay
	removed := false
	i := 2
	for i+4 <= len(d) {
		if d[i] != 0xff {
			return d, false // not a JPEG this reads: left as it is
		}
		marker := d[i+1]
		if marker == 0xda { // the image data, and all after it
			break
		}
		n := int(binary.BigEndian.Uint16(d[i+2:]))
		if n < 2 || i+2+n > len(d) {
			return d, false
		}
		seg := d[i+4 : i+2+n]
		exif := marker == 0xe1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00"))
		if exif && info.Orientation > 1 && bytes.Equal(seg[6:], orientationTIFF(info.Orientation)) {
			kept = append(kept, d[i:i+2+n]) // stripped before: the orientation alone
			info.Orientation = 1
		} else if exif || marker == 0xe1 && bytes.HasPrefix(seg, []byte("http://ns.adobe.com/x")) ||
			marker == 0xed || marker == 0xfe { // EXIF, XMP, IPTC, a comment
			removed = true
		} else {
			kept = append(kept, d[i:i+2+n])
		}
		i += 2 + n
	}
	if !removed {
		return d, false
	}
	out := append(make([]byte, 0, len(d)), d[:2]...)
	for k, seg := range kept {
		if k == 0 && seg[1] == 0xe0 { // JFIF comes first
			out = append(out, seg...)
			continue
		}
		if info.Orientation > 1 { // where EXIF was: after JFIF, before the rest
			out = appendOrientation(out, info.Orientation)
			info.Orientation = 1
		}
		out = append(out, seg...)
	}
	if info.Orientation > 1 {
		out = appendOrientation(out, info.Orientation)
	}
	return append(out, d[i:]...), true
}

// appendOrientation appends an APP1 EXIF segment holding only o.
func appendOrientation(out []byte, o int) []byte {
	seg := append([]byte("Exif\x00\x00"), orientationTIFF(o)...)
	out = append(out, 0xff, 0xe1)
	out = binary.BigEndian.AppendUint16(out, uint16(len(seg)+2))
	return append(out, seg...)
}

func stripPNG(d []byte) ([]byte, bool) {
	var info Info
	pngMeta(d, &info)
	out := append(make([]byte, 0, len(d)), d[:8]...)
	removed, turned := false, false
	for i := 8; i+12 <= len(d); {
		n := int(binary.BigEndian.Uint32(d[i:]))
		if n < 0 || n > len(d)-i-12 {
			return d, false
		}
		kind := string(d[i+4 : i+8])
		if kind == "eXIf" && info.Orientation > 1 && bytes.Equal(d[i+8:i+8+n], orientationTIFF(info.Orientation)) {
			kind, turned = "kept", true // stripped before: the orientation alone
		}
		switch kind {
		case "eXIf", "tEXt", "iTXt", "zTXt", "tIME":
			removed = true
		default:
			if kind == "IDAT" && info.Orientation > 1 && removed && !turned {
				out = appendChunk(out, "eXIf", orientationTIFF(info.Orientation))
				turned = true
			}
			out = append(out, d[i:i+12+n]...)
		}
		i += 12 + n
	}
	if !removed {
		return d, false
	}
	return out, true
}

func appendChunk(out []byte, kind string, body []byte) []byte {
	out = binary.BigEndian.AppendUint32(out, uint32(len(body)))
	c := append([]byte(kind), body...)
	out = append(out, c...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(c))
}

func stripWebP(d []byte) ([]byte, bool) {
	var info Info
	webpMeta(d, &info)
	out := append(make([]byte, 0, len(d)), d[:12]...)
	removed := false
	vp8x := -1
	for i := 12; i+8 <= len(d); {
		kind := string(d[i : i+4])
		n := int(binary.LittleEndian.Uint32(d[i+4:]))
		if n < 0 || n > len(d)-i-8 {
			return d, false
		}
		end := i + 8 + n + n%2
		if end > len(d) {
			end = len(d)
		}
		switch kind {
		case "EXIF", "XMP ":
			removed = true
		default:
			if kind == "VP8X" {
				vp8x = len(out)
			}
			out = append(out, d[i:end]...)
		}
		i = end
	}
	if !removed {
		return d, false
	}
	if vp8x >= 0 && vp8x+8 < len(out) {
		out[vp8x+8] &^= 0x08 | 0x04 // the flags no longer promise EXIF or XMP
		if info.Orientation > 1 {
			out[vp8x+8] |= 0x08
			body := append([]byte{}, orientationTIFF(info.Orientation)...)
			out = append(out, "EXIF"...)
			out = binary.LittleEndian.AppendUint32(out, uint32(len(body)))
			out = append(out, body...)
			if len(body)%2 == 1 {
				out = append(out, 0)
			}
		}
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out, true
}
