package card

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
)

// writePaletted writes img, a card (opaque, an even number of pixels
// wide), as a PNG to b: 4 bits a pixel when its palette has at most 16
// colours, as a card without a logo has, else 8. image/png packs 4-bit
// pixels one by one through an interface, which takes longer than
// compressing twice the bytes; packed here they are 12% smaller and
// quicker to compress.
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

	d.idat.Reset()
	if d.z == nil {
		d.z, _ = zlib.NewWriterLevel(&d.idat, zlib.BestSpeed)
	} else {
		d.z.Reset(&d.idat)
	}
	row := make([]byte, 1+w*depth/8) // a filter byte (none), then the pixels
	blank := make([]byte, w)         // a row of colour 0, most of a card's
	for y := range h {
		pix := img.Pix[y*img.Stride : y*img.Stride+w]
		switch {
		case depth == 8:
			copy(row[1:], pix)
		case bytes.Equal(pix, blank):
			clear(row[1:])
		default:
			for i := range row[1:] {
				row[1+i] = pix[2*i]<<4 | pix[2*i+1]
			}
		}
		if _, err := d.z.Write(row); err != nil {
			return err
		}
	}
	if err := d.z.Close(); err != nil {
		return err
	}
	chunk(b, "IDAT", d.idat.Bytes())
	chunk(b, "IEND", nil)
	return nil
}

// chunk writes a PNG chunk: its length, name, data and CRC.
func chunk(b *bytes.Buffer, name string, data []byte) {
	b.Write(binary.BigEndian.AppendUint32(b.AvailableBuffer(), uint32(len(data))))
	b.WriteString(name)
	b.Write(data)
	crc := crc32.Update(crc32.ChecksumIEEE([]byte(name)), crc32.IEEETable, data)
	b.Write(binary.BigEndian.AppendUint32(b.AvailableBuffer(), crc))
}
