package picture

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"os"
	"testing"
)

// samePixels says whether two files decode to the same pixels.
func samePixels(t *testing.T, a, b []byte) bool {
	t.Helper()
	ia, _, err := image.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	ib, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the stripped file cannot be read: %v", err)
	}
	if ia.Bounds() != ib.Bounds() {
		return false
	}
	for y := ia.Bounds().Min.Y; y < ia.Bounds().Max.Y; y++ {
		for x := ia.Bounds().Min.X; x < ia.Bounds().Max.X; x++ {
			if color.NRGBAModel.Convert(ia.At(x, y)) != color.NRGBAModel.Convert(ib.At(x, y)) {
				return false
			}
		}
	}
	return true
}

func TestStripJPEG(t *testing.T) {
	for _, o := range []int{1, 6} {
		src := photo(t, 64, 32, o, true)
		src = withSegment(src, 0xfe, []byte("taken at 12 Acacia Avenue"))
		out, removed := Strip(src)
		if !removed {
			t.Fatalf("orientation %d: nothing removed", o)
		}
		info, err := Probe(out)
		if err != nil {
			t.Fatal(err)
		}
		if info.GPS || bytes.Contains(out, []byte("Acacia")) || info.Orientation != o {
			t.Errorf("orientation %d: stripped %+v", o, info)
		}
		if o == 1 && info.Metadata {
			t.Error("an EXIF block is left though the orientation is as stored")
		}
		if !samePixels(t, src, out) {
			t.Errorf("orientation %d: the pixels changed", o)
		}
		if again, removed := Strip(out); removed || !bytes.Equal(again, out) {
			t.Errorf("orientation %d: stripping twice removed more", o)
		}
	}
}

func TestStripPNG(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 8, 4))
	img.Set(1, 1, color.NRGBA{200, 10, 10, 255})
	var buf bytes.Buffer
	png.Encode(&buf, img)
	plain := buf.Bytes()
	// eXIf (orientation 8 and GPS) and a text chunk before the image data
	exif := withExif([]byte("\xff\xd8"), 8, true)[4+6+2:] // the TIFF data of an APP1
	var src []byte
	src = append(src, plain[:33]...) // signature and IHDR
	src = appendChunk(src, "eXIf", exif)
	src = appendChunk(src, "tEXt", []byte("Author\x00Ann Smith"))
	src = append(src, plain[33:]...)
	info, err := Probe(src)
	if err != nil || !info.GPS || info.Orientation != 8 {
		t.Fatalf("the test PNG: %+v %v", info, err)
	}
	out, removed := Strip(src)
	info, err = Probe(out)
	if !removed || err != nil || info.GPS || info.Orientation != 8 || bytes.Contains(out, []byte("Ann Smith")) {
		t.Errorf("stripped: %+v %v removed=%v", info, err, removed)
	}
	if !samePixels(t, plain, out) {
		t.Error("the pixels changed")
	}
	if again, removed := Strip(out); removed || !bytes.Equal(again, out) {
		t.Error("stripping twice removed more")
	}
}

func TestStripWebP(t *testing.T) {
	simple, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(simple))
	if err != nil {
		t.Fatal(err)
	}
	// an extended WebP: VP8X (flags EXIF and XMP), the picture, EXIF, XMP
	var body []byte
	body = append(body, "WEBP"...)
	vp8x := make([]byte, 10)
	vp8x[0] = 0x08 | 0x04
	put24 := func(b []byte, v int) { b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16) }
	put24(vp8x[4:], cfg.Width-1)
	put24(vp8x[7:], cfg.Height-1)
	chunk := func(kind string, data []byte) {
		body = append(body, kind...)
		body = binary.LittleEndian.AppendUint32(body, uint32(len(data)))
		body = append(body, data...)
		if len(data)%2 == 1 {
			body = append(body, 0)
		}
	}
	chunk("VP8X", vp8x)
	body = append(body, simple[12:]...) // the VP8 chunk
	chunk("EXIF", withExif([]byte("\xff\xd8"), 1, true)[12:])
	chunk("XMP ", []byte("<x:xmpmeta>Ann Smith</x:xmpmeta>"))
	src := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	src = append(src, body...)
	info, err := Probe(src)
	if err != nil || !info.GPS {
		t.Fatalf("the test WebP: %+v %v", info, err)
	}
	out, removed := Strip(src)
	info, err = Probe(out)
	if !removed || err != nil || info.GPS || info.Metadata || bytes.Contains(out, []byte("Ann Smith")) {
		t.Errorf("stripped: %+v %v removed=%v", info, err, removed)
	}
	if out[20]&(0x08|0x04) != 0 {
		t.Errorf("VP8X flags %#x still promise EXIF or XMP", out[20])
	}
	if n := binary.LittleEndian.Uint32(out[4:]); int(n) != len(out)-8 {
		t.Errorf("RIFF size %d for %d bytes", n, len(out)-8)
	}
	if !samePixels(t, simple, out) {
		t.Error("the pixels changed")
	}
}

func TestStripLeavesOthers(t *testing.T) {
	for _, d := range [][]byte{[]byte("GIF89a..."), []byte("not a picture"), nil} {
		if out, removed := Strip(d); removed || !bytes.Equal(out, d) {
			t.Errorf("%q changed", d)
		}
	}
}

func FuzzStrip(f *testing.F) {
	f.Add(withExif([]byte("\xff\xd8\xff\xd9"), 6, true))
	f.Add(pngHeader(10, 10))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, removed := Strip(data)
		if !removed && !bytes.Equal(out, data) {
			t.Fatal("changed without saying so")
		}
		if again, more := Strip(out); more && removed {
			_ = again // a second pass may find what the first kept out of reach; it must not panic
		}
	})
}
