package card

import (
	"bytes"
	"hash/adler32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"
)

// TestRunsJoined: a paletted picture written run by run decodes to its
// pixels whatever its pattern of blank rows (runs of every length about
// minBlankRun, at the top and bottom, none at all), and a drawer that has
// kept the runs of earlier pictures, or has just started them again
// (maxSegments), writes the bytes a new drawer writes.
func TestRunsJoined(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pal := color.Palette{}
	for i := range 16 {
		pal = append(pal, color.RGBA{uint8(i * 16), 0x40, 0x80, 0xff})
	}
	picture := func() *image.Paletted {
		w, h := 2*(1+rng.IntN(40)), 1+rng.IntN(60)
		img := image.NewPaletted(image.Rect(0, 0, w, h), pal)
		for y := 0; y < h; {
			run := 1 + rng.IntN(2*minBlankRun)
			if rng.IntN(2) == 0 { // rows of ink; else left blank
				for i := y * w; i < min(y+run, h)*w; i++ {
					img.Pix[i] = uint8(rng.IntN(16))
				}
			}
			y += run
		}
		return img
	}
	again := picture() // a picture drawn every third time
	again.Pix[0] = 1   // not blank at the top
	used := newDrawer()
	for n := range 300 {
		img := picture()
		switch {
		case n%3 == 0:
			img = again
		case n%50 == 1:
			img = image.NewPaletted(image.Rect(0, 0, Width, Height), pal)
			for y := 100; y < 120; y++ {
				img.Pix[y*Width+y] = 3
			}
		}
		w, h := img.Rect.Dx(), img.Rect.Dy()
		if n%97 == 96 { // as if the drawer were full
			for i := uint64(1 << 40); len(used.segs.blank)+len(used.segs.kept) < maxSegments; i++ {
				used.segs.kept[i] = nil
			}
		}
		var got, want bytes.Buffer
		if err := used.writePaletted(&got, img); err != nil {
			t.Fatal(err)
		}
		if err := newDrawer().writePaletted(&want, img); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("picture %d (%dx%d): a drawer that kept runs wrote other bytes", n, w, h)
		}
		dec, err := png.Decode(bytes.NewReader(got.Bytes()))
		if err != nil {
			t.Fatalf("picture %d (%dx%d): %v", n, w, h, err)
		}
		p, ok := dec.(*image.Paletted)
		if !ok || !bytes.Equal(p.Pix, img.Pix) {
			t.Fatalf("picture %d (%dx%d): decoded to other pixels", n, w, h)
		}
	}
	if len(used.segs.blank) == 0 || len(used.segs.kept) == 0 {
		t.Errorf("kept %d blank runs and %d others, want some of each", len(used.segs.blank), len(used.segs.kept))
	}
	if len(used.segs.blank)+len(used.segs.kept) > maxSegments || used.segs.bytes > maxSegmentsB {
		t.Errorf("kept %d runs, %d bytes: over the limits", len(used.segs.blank)+len(used.segs.kept), used.segs.bytes)
	}
}

// TestCardRunsKept: cards of one site with other titles share their
// footer's rows, and the second card on a drawer compresses them no more.
func TestCardRunsKept(t *testing.T) {
	d := newDrawer()
	c := story()
	c.Logo = nil
	for _, title := range []string{"One", "Two", "Three"} {
		c.Title = title
		if _, err := d.encode(d.render(c)); err != nil {
			t.Fatal(err)
		}
	}
	if len(d.segs.kept) == 0 {
		t.Error("no run kept after three cards of one site")
	}
}

// TestAdler32Combine: the checksum of two strings joined, from theirs,
// is the checksum of the whole, for lengths about the modulus and the
// largest sums.
func TestAdler32Combine(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 100, 5552, 65520, 65521, 65522, 200_000} {
		for _, fill := range []string{"random", "ff", "00"} {
			b := make([]byte, n)
			for i := range b {
				switch fill {
				case "random":
					b[i] = byte(rng.Uint32())
				case "ff":
					b[i] = 0xff
				}
			}
			for _, at := range []int{0, n / 3, n - min(n, 1), n} {
				got := adler32Combine(adler32.Checksum(b[:at]), adler32.Checksum(b[at:]), n-at)
				if want := adler32.Checksum(b); got != want {
					t.Errorf("%d bytes (%s) split at %d: %#x, want %#x", n, fill, at, got, want)
				}
			}
		}
	}
}
