package picture

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"sync"
	"testing"

	"github.com/otpress/otpress/generator/internal/picture/picturetest"
)

// photo is a w×h test photo with EXIF (picturetest.Photo).
func photo(t testing.TB, w, h, orientation int, gps bool) []byte {
	t.Helper()
	return picturetest.Photo(w, h, orientation, gps)
}

var withExif, withSegment = picturetest.WithExif, picturetest.WithSegment

func TestProbe(t *testing.T) {
	info, err := Probe(photo(t, 400, 300, 6, true))
	if err != nil {
		t.Fatal(err)
	}
	want := Info{Format: "jpeg", Width: 300, Height: 400, Orientation: 6, GPS: true, Metadata: true}
	if info != want {
		t.Errorf("Probe = %+v, want %+v", info, want)
	}
	info, err = Probe(photo(t, 400, 300, 1, false))
	if err != nil || info.GPS || info.Orientation != 1 || info.Width != 400 {
		t.Errorf("no GPS, orientation 1: %+v %v", info, err)
	}
}

// TestMakeStripsAndTurns: every copy is turned as the EXIF said, carries
// no metadata, and comes at each width up to the picture's own.
func TestMakeStripsAndTurns(t *testing.T) {
	src := photo(t, 1200, 800, 6, true) // shown 800 wide, 1200 high
	info, copies, err := Make(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !info.GPS {
		t.Error("the source's GPS was not seen")
	}
	var widths []int
	for _, c := range copies {
		widths = append(widths, c.Width)
		if bytes.Contains(c.Data, []byte("Exif\x00\x00")) || bytes.Contains(c.Data, []byte("http://ns.adobe.com/xap/")) {
			t.Errorf("the %d-wide copy carries metadata", c.Width)
		}
		got, err := Probe(c.Data)
		if err != nil || got.Metadata || got.GPS || got.Orientation != 1 {
			t.Errorf("the %d-wide copy: %+v %v", c.Width, got, err)
		}
		if _, h := Size(info.Width, info.Height, c.Width); c.Type != "image/jpeg" || c.Height != h {
			t.Errorf("copy %dx%d %s: not a JPEG %d high, as Size says", c.Width, c.Height, c.Type, h)
		}
	}
	if want := []int{320, 640, 800}; !equal(widths, want) {
		t.Errorf("widths %v, want %v", widths, want)
	}
	// a quarter turn clockwise takes the red top-left corner to the top right
	img, err := jpeg.Decode(bytes.NewReader(copies[len(copies)-1].Data))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if !red(img.At(b.Max.X-20, 20)) || red(img.At(20, 20)) {
		t.Error("the copy is not turned as the EXIF orientation says")
	}
}

func red(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r > 0xc000 && g < 0x4000 && b < 0x4000
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestWidths(t *testing.T) {
	for _, tt := range []struct {
		w    int
		want []int
	}{
		{4000, []int{320, 640, 960, 1280, 1920}},
		{1000, []int{320, 640, 960, 1000}},
		{320, []int{320}},
		{100, []int{100}},
	} {
		_, copies, err := Make(photo(t, tt.w, tt.w/2+1, 1, false), Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, c := range copies {
			got = append(got, c.Width)
		}
		if !equal(got, tt.want) {
			t.Errorf("%d wide: %v, want %v", tt.w, got, tt.want)
		}
	}
}

// TestTransparentStaysPNG: a PNG keeps its transparency as PNG copies.
func TestTransparentStaysPNG(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 700, 100))
	img.Set(1, 1, color.NRGBA{0, 0, 0, 128})
	var buf bytes.Buffer
	png.Encode(&buf, img)
	_, copies, err := Make(buf.Bytes(), Options{WebP: func(image.Image, int) ([]byte, error) { return []byte("webp"), nil }})
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, c := range copies {
		types = append(types, c.Type)
	}
	if got := strings.Join(types, " "); got != "image/png image/webp image/png image/webp image/png image/webp" {
		t.Errorf("types %s", got)
	}
}

var pngHeader = picturetest.PNGHeader

func TestBadPictures(t *testing.T) {
	good := photo(t, 200, 100, 1, false)
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"bomb", pngHeader(100000, 100000), "the PNG says it is 100000×100000 pixels (10000 megapixels); otpress opens pictures of up to 120 megapixels"},
		{"truncated", good[:len(good)/2], "the JPEG cannot be read"},
		{"heic", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), "not a JPEG, PNG, GIF or WebP picture"},
		{"empty", nil, "not a JPEG, PNG, GIF or WebP picture"},
	} {
		_, _, err := Make(tt.data, Options{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	if _, err := Probe([]byte("GIF89a")); err == nil || errors.Is(err, ErrFormat) {
		t.Errorf("a cut GIF: %v, want a read error", err)
	}
}

// TestMakeParallel: copies made at once, as a build makes them, under the
// memory bound.
func TestMakeParallel(t *testing.T) {
	src := photo(t, 900, 600, 3, false)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := Make(src, Options{}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func FuzzProbe(f *testing.F) {
	f.Add(withExif([]byte("\xff\xd8\xff\xd9"), 6, true))
	f.Add(pngHeader(10, 10))
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPEXIF\x04\x00\x00\x00II*\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := Probe(data)
		if err == nil && (info.Width <= 0 || info.Height <= 0 || int64(info.Width)*int64(info.Height) > MaxPixels || info.Orientation < 1 || info.Orientation > 8) {
			t.Fatalf("Probe accepted %+v", info)
		}
	})
}

func BenchmarkMakePhone(b *testing.B) {
	src := photo(b, 4000, 3000, 6, true)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, _, err := Make(src, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestOrientationFromHead: the orientation is read from a head that cuts
// the EXIF block short, as PictureSize reads files.
func TestOrientationFromHead(t *testing.T) {
	src := photo(t, 40, 20, 6, true)
	for _, n := range []int{len(src), 40, 34} { // 34: the orientation entry and no more
		if o := Orientation(src[:n]); o != 6 {
			t.Errorf("head of %d bytes: orientation %d, want 6", n, o)
		}
	}
	if o := Orientation(src[:20]); o != 1 {
		t.Errorf("a head that ends before the orientation: %d, want 1", o)
	}
	if o := Orientation(pngHeader(4, 4)); o != 1 {
		t.Errorf("a PNG: %d", o)
	}
}

// TestHalveYCbCr: halving a decoded JPEG in its own colours gives what
// halving it as RGBA gives, to within rounding.
func TestHalveYCbCr(t *testing.T) {
	img, err := jpeg.Decode(bytes.NewReader(photo(t, 64, 48, 1, false)))
	if err != nil {
		t.Fatal(err)
	}
	y, ok := img.(*image.YCbCr)
	if !ok {
		t.Fatalf("decoded as %T", img)
	}
	got, want := halveYCbCr(y), halve(rgba(y))
	if got.Bounds() != want.Bounds() {
		t.Fatalf("bounds %v, want %v", got.Bounds(), want.Bounds())
	}
	for i := range got.Pix {
		if d := int(got.Pix[i]) - int(want.Pix[i]); d < -1 || d > 1 {
			t.Fatalf("byte %d: %d, want %d", i, got.Pix[i], want.Pix[i])
		}
	}
}
