package card

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"

	"github.com/klauspost/compress/zlib"
)

// writePaletted writes img, a card (opaque, an even number of pixels
// wide), as a PNG to b: 4 bits a pixel when its palette has at most 16
// colours, as a card without a logo has, else 8, rows unfiltered (the
// usual choice for a palette). image/png cannot be given another
// compressor, packs 4-bit pixels one at a time through an interface, and
// its deflate is half as fast as klauspost/compress's on a card's rows,
// most of them blank (bench/README.md, "Cards at half the cost").
func (d *drawer) writePaletted(b *bytes.Buffer, img *image.Paletted) error {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	depth := 8
	if len(img.Palette) <= 16 {
		depth = 4
	}
	b.WriteString("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = uint8(depth), 3 // bits a pixel, indexed colour
	chunk(b, "IHDR", ihdr[:])
	plte := make([]byte, 0, 3*len(img.Palette))
	for _, c := range img.Palette {
		r, g, bl, _ := c.RGBA()
		plte = append(plte, uint8(r>>8), uint8(g>>8), uint8(bl>>8))
	}
	chunk(b, "PLTE", plte)

	stride := 1 + w*depth/8 // a filter byte (none), then the pixels
	if cap(d.rows) < stride*h {
		d.rows = make([]byte, stride*h)
	}
	rows := d.rows[:stride*h]
	blank := blankRow[:min(w, Width)] // a row of colour 0, most of a card's
	for y := range h {
		pix := img.Pix[y*img.Stride : y*img.Stride+w]
		row := rows[y*stride : (y+1)*stride]
		row[0] = 0
		switch {
		case depth == 8:
			copy(row[1:], pix)
		case bytes.Equal(pix, blank):
			clear(row[1:])
		default:
			pack4(row[1:], pix)
		}
	}
	d.idat.Reset()
	if d.z == nil {
		d.z, _ = zlib.NewWriterLevel(&d.idat, zlib.BestSpeed)
	} else {
		d.z.Reset(&d.idat)
	}
	if _, err := d.z.Write(rows); err != nil {
		return err
	}
	if err := d.z.Close(); err != nil {
		return err
	}
	chunk(b, "IDAT", d.idat.Bytes())
	chunk(b, "IEND", nil)
	return nil
}

// blankRow is a card's row of colour 0 (the brand).
var blankRow [Width]byte

// pack4 packs pix, colour indexes under 16, two to a byte of dst, the
// first in the high bits: eight at a time, then one pair at a time.
func pack4(dst, pix []byte) {
	i := 0
	for ; 2*i+16 <= len(pix); i += 8 {
		lo, hi := binary.LittleEndian.Uint64(pix[2*i:]), binary.LittleEndian.Uint64(pix[2*i+8:])
		binary.LittleEndian.PutUint64(dst[i:], uint64(pairs(lo))|uint64(pairs(hi))<<32)
	}
	for ; 2*i+1 < len(pix); i++ {
		dst[i] = pix[2*i]<<4 | pix[2*i+1]
	}
}

// pairs packs the eight indexes of v, little-endian, into four bytes.
func pairs(v uint64) uint32 {
	t := (v<<4 | v>>8) & 0x00ff00ff00ff00ff
	t = (t | t>>8) & 0x0000ffff0000ffff
	return uint32(t | t>>16)
}

// chunk writes a PNG chunk: its length, name, data and CRC.
func chunk(b *bytes.Buffer, name string, data []byte) {
	b.Write(binary.BigEndian.AppendUint32(b.AvailableBuffer(), uint32(len(data))))
	b.WriteString(name)
	b.Write(data)
	crc := crc32.Update(crc32.ChecksumIEEE([]byte(name)), crc32.IEEETable, data)
	b.Write(binary.BigEndian.AppendUint32(b.AvailableBuffer(), crc))
}
