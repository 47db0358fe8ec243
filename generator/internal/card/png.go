package card

import (
	"bytes"
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
	"hash/maphash"
	"image"
	"iter"
	"slices"

	"github.com/klauspost/compress/flate"
)

// writePaletted writes img, a card (opaque, an even number of pixels
// wide), as a PNG to b: 4 bits a pixel when its palette has at most 16
// colours, as a card without a logo has, else 8, rows unfiltered (the
// usual choice for a palette), deflated run by run (runs). image/png
// cannot be given another compressor, packs 4-bit pixels one at a time
// through an interface, and its deflate is half as fast as
// klauspost/compress's on a card's rows, most of them blank
// (bench/README.md, "Cards at half the cost").
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
	d.blank = slices.Grow(d.blank[:0], h)[:h]
	for y := range h {
		pix := img.Pix[y*img.Stride : y*img.Stride+w]
		row := rows[y*stride : (y+1)*stride]
		row[0] = 0
		d.blank[y] = bytes.Equal(pix, blank)
		switch {
		case d.blank[y]:
			clear(row[1:])
		case depth == 8:
			copy(row[1:], pix)
		default:
			pack4(row[1:], pix)
		}
	}
	d.idat.Reset()
	d.idat.Write([]byte{0x78, 0x01}) // zlib: deflate, 32 KB window, fastest
	sum := uint32(1)                 // the rows' Adler-32
	for run := range d.runs(rows, stride) {
		d.idat.Write(run.z)
		sum = adler32Combine(sum, run.adler, run.n)
	}
	d.idat.Write(finalBlock)
	d.idat.Write(binary.BigEndian.AppendUint32(nil, sum))
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

// A card's rows are compressed as runs, each on its own and ending at a
// byte (a sync flush), so that the runs' deflate output joined is one
// stream: the blank runs, and the runs every card of a site shares (the
// kind's pill, the rule and the site's name), come out the same each time,
// and the drawer keeps them (segments) and compresses only the title's.
// A blank run shorter than minBlankRun stays in the rows around it (a new
// run costs a block header).
const (
	minBlankRun  = 8
	maxSegments  = 256     // kept a drawer, at most,
	maxSegmentsB = 4 << 20 // and at most so many bytes of rows not blank
)

// segment is a run of rows and its deflate output.
type segment struct {
	n     int    // its bytes, filter bytes and all
	raw   []byte // and those bytes, when not blank
	z     []byte // deflated on their own, then flushed
	adler uint32 // the Adler-32 of its bytes
}

// segments are the runs a drawer has compressed that may come again:
// blank runs by length, the others by their bytes once seen twice.
type segments struct {
	blank map[int]*segment
	kept  map[uint64][]*segment
	seen  map[uint64]bool // runs seen once
	bytes int             // of raw kept
	seed  maphash.Seed
	z     *flate.Writer
	buf   bytes.Buffer
	now   segment // the run just compressed, not kept
}

// runs splits rows, each stride bytes, at every run of at least
// minBlankRun blank rows (d.blank), and yields each part deflated.
func (d *drawer) runs(rows []byte, stride int) iter.Seq[*segment] {
	return func(yield func(*segment) bool) {
		h := len(rows) / stride
		blankTo := func(y int) int { // the end of the blank rows from y
			for y < h && d.blank[y] {
				y++
			}
			return y
		}
		for y := 0; y < h; {
			end := blankTo(y)
			long := end-y >= minBlankRun
			if !long { // up to the next long blank run
				for end = y; end < h; {
					b := blankTo(end)
					if b-end >= minBlankRun {
						break
					}
					for end = b; end < h && !d.blank[end]; end++ {
					}
				}
			}
			if !yield(d.segs.of(rows[y*stride:end*stride], long)) {
				return
			}
			y = end
		}
	}
}

// of is run deflated, from the segments kept if it is there.
func (s *segments) of(run []byte, blank bool) *segment {
	if s.blank == nil {
		s.blank, s.kept, s.seen = map[int]*segment{}, map[uint64][]*segment{}, map[uint64]bool{}
		s.seed = maphash.MakeSeed()
		s.z, _ = flate.NewWriter(nil, flate.BestSpeed)
	}
	var key uint64
	if blank {
		if g := s.blank[len(run)]; g != nil {
			return g
		}
	} else {
		key = maphash.Bytes(s.seed, run)
		for _, g := range s.kept[key] {
			if bytes.Equal(g.raw, run) {
				return g
			}
		}
	}
	s.buf.Reset()
	s.z.Reset(&s.buf)
	s.z.Write(run) // a bytes.Buffer takes every write
	s.z.Flush()
	g := &s.now
	if keep := blank || s.seen[key]; keep {
		if len(s.blank)+len(s.kept) >= maxSegments || !blank && s.bytes+len(run) > maxSegmentsB {
			clear(s.blank)
			clear(s.kept)
			s.bytes = 0
		}
		g = &segment{}
		if blank {
			s.blank[len(run)] = g
		} else {
			g.raw = bytes.Clone(run)
			s.bytes += len(run)
			s.kept[key] = append(s.kept[key], g)
			delete(s.seen, key)
		}
		g.z = bytes.Clone(s.buf.Bytes())
	} else {
		if len(s.seen) >= maxSegments {
			clear(s.seen)
		}
		s.seen[key] = true
		g.z = s.buf.Bytes()
	}
	g.n, g.adler = len(run), adler32.Checksum(run)
	return g
}

// finalBlock ends a deflate stream: an empty last block.
var finalBlock = func() []byte {
	var b bytes.Buffer
	z, _ := flate.NewWriter(&b, flate.BestSpeed)
	z.Close()
	return b.Bytes()
}()

// adler32Combine is the Adler-32 of two byte strings joined, from each
// one's and the second's length (zlib's adler32_combine).
func adler32Combine(a1, a2 uint32, len2 int) uint32 {
	const base = 65521
	rem := uint32(len2 % base)
	s1 := a1 & 0xffff
	s2 := rem * s1 % base
	s1 += a2&0xffff + base - 1
	s2 += a1>>16 + a2>>16 + base - rem
	if s1 >= base {
		s1 -= base
	}
	if s1 >= base {
		s1 -= base
	}
	if s2 >= 2*base {
		s2 -= 2 * base
	}
	if s2 >= base {
		s2 -= base
	}
	return s1 | s2<<16
}
