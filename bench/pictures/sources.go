package main

import (
	"fmt"
	"image"
	"image/color"
	stddraw "image/draw"
	_ "image/jpeg" // the cake photo
	_ "image/png"  // the rose and gophers photos
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// source is one test picture at phone size.
type source struct {
	name, about string
	img         *image.RGBA
}

// testdataDir is golang.org/x/image's testdata folder in the module cache:
// its photos are under Go's BSD licence, and the module is already a
// dependency, so nothing is vendored.
func testdataDir() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/image").Output()
	if err != nil {
		return "", fmt.Errorf("go list -m golang.org/x/image: %w", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "testdata")
	if _, err := os.Stat(dir); err != nil {
		return "", err
	}
	return dir, nil
}

func load(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, _, err := image.Decode(f)
	return m, err
}

// upscale crops m to the aspect of w×h (centred), lays it on white (for a
// picture with transparency), scales it to w×h with Catmull-Rom and adds
// a film grain of σ grain (luma, Gaussian): a phone photo has sensor noise,
// an upscaled small photo has none and would flatter every encoder.
func upscale(m image.Image, w, h int, grain float64, seed uint64) *image.RGBA {
	b := m.Bounds()
	crop := b
	if b.Dx()*h > b.Dy()*w { // too wide
		cw := b.Dy() * w / h
		crop.Min.X += (b.Dx() - cw) / 2
		crop.Max.X = crop.Min.X + cw
	} else {
		ch := b.Dx() * h / w
		crop.Min.Y += (b.Dy() - ch) / 2
		crop.Max.Y = crop.Min.Y + ch
	}
	flat := image.NewRGBA(image.Rect(0, 0, crop.Dx(), crop.Dy()))
	stddraw.Draw(flat, flat.Rect, image.White, image.Point{}, stddraw.Src)
	stddraw.Draw(flat, flat.Rect, m, crop.Min, stddraw.Over)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Rect, flat, flat.Rect, draw.Src, nil)
	addGrain(dst, grain, seed)
	return dst
}

func addGrain(m *image.RGBA, sigma float64, seed uint64) {
	if sigma == 0 {
		return
	}
	r := rand.New(rand.NewPCG(seed, 7))
	for i := 0; i < len(m.Pix); i += 4 {
		d := r.NormFloat64() * sigma
		for c := 0; c < 3; c++ {
			m.Pix[i+c] = clamp(float64(m.Pix[i+c]) + d)
		}
	}
}

func clamp(v float64) uint8 {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return uint8(v + 0.5)
}

// synthetic is a made-up scene at w×h: a sky gradient, hills of fractal
// value noise (texture at every scale, as foliage or gravel has), a few
// hard-edged shapes, a caption in Go Bold, and the grain. Noise this
// regular is harder to compress than most photos; the flat sky and shapes
// are easier.
func synthetic(w, h int, grain float64, seed uint64) (*image.RGBA, error) {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(seed, 11))
	const grid = 257
	var lattice [6][grid * grid]float64
	for o := range lattice {
		for i := range lattice[o] {
			lattice[o][i] = r.Float64()
		}
	}
	value := func(o int, x, y float64) float64 {
		xi, yi := int(x), int(y)
		fx, fy := x-float64(xi), y-float64(yi)
		fx, fy = fx*fx*(3-2*fx), fy*fy*(3-2*fy)
		at := func(i, j int) float64 { return lattice[o][(j%grid)*grid+i%grid] }
		a := at(xi, yi)*(1-fx) + at(xi+1, yi)*fx
		b := at(xi, yi+1)*(1-fx) + at(xi+1, yi+1)*fx
		return a*(1-fy) + b*fy
	}
	fbm := func(x, y float64) float64 {
		var s, amp, norm float64 = 0, 1, 0
		f := 4.0 / float64(w)
		for o := range lattice {
			s += amp * value(o, x*f, y*f)
			norm += amp
			amp *= 0.55
			f *= 2.1
		}
		return s / norm
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fy := float64(y) / float64(h)
			horizon := 0.45 + 0.15*math.Sin(float64(x)/float64(w)*5.0) + 0.1*(fbm(float64(x), 0)-0.5)
			var c [3]float64
			if fy < horizon {
				t := fy / horizon
				c = [3]float64{90 + 110*t, 140 + 80*t, 220 + 20*t}
			} else {
				n := fbm(float64(x), float64(y))
				d := fbm(float64(x)*3.1+1000, float64(y)*3.1)
				c = [3]float64{40 + 120*n + 40*d, 70 + 130*n, 30 + 60*n*d}
			}
			i := m.PixOffset(x, y)
			m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = clamp(c[0]), clamp(c[1]), clamp(c[2]), 255
		}
	}
	// shapes with hard edges: a red house, a white wall, black window bars
	house := image.Rect(w*6/10, h*5/10, w*8/10, h*7/10)
	stddraw.Draw(m, house, image.NewUniform(color.RGBA{180, 40, 30, 255}), image.Point{}, stddraw.Src)
	stddraw.Draw(m, house.Inset(w/60), image.NewUniform(color.RGBA{240, 236, 225, 255}), image.Point{}, stddraw.Src)
	for i := 0; i < 6; i++ {
		bar := image.Rect(house.Min.X+w/50+i*w/35, house.Min.Y+h/30, house.Min.X+w/50+i*w/35+w/300, house.Max.Y-h/30)
		stddraw.Draw(m, bar, image.Black, image.Point{}, stddraw.Src)
	}
	// a caption, as on a sign
	f, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, err
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: float64(h) / 25, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, err
	}
	defer face.Close()
	sign := image.Rect(w/20, h*8/10, w*11/20, h*9/10)
	stddraw.Draw(m, sign, image.NewUniform(color.RGBA{20, 60, 30, 255}), image.Point{}, stddraw.Src)
	d := font.Drawer{Dst: m, Src: image.White, Face: face,
		Dot: fixed.P(sign.Min.X+w/80, sign.Min.Y+sign.Dy()*2/3)}
	d.DrawString("Otpress 4000 × 3000 — Catmull-Rom")
	addGrain(m, grain, seed)
	return m, nil
}

// sources builds the test pictures: three real photos from
// golang.org/x/image's testdata, upscaled about 10× to phone size (at the
// small widths they are the photo itself; at 1280–1920 the upscale is
// smoother than a real 12 MP photo, which the grain partly offsets), and
// the synthetic scene.
func sources(w, h int, grain float64, only map[string]bool) ([]source, error) {
	dir, err := testdataDir()
	if err != nil {
		return nil, err
	}
	var out []source
	for _, s := range []struct {
		name, file, about string
		portrait          bool
	}{
		{"gophers", "blue-purple-pink-large.png", "photo 600×400: plush toys, dark leather", false},
		{"rose", "yellow_rose.png", "photo 400×301: a rose on white", false},
		{"cake", "go-turns-two-280x360.jpeg", "photo 280×360 (a JPEG itself): portrait", true},
	} {
		if only != nil && !only[s.name] {
			continue
		}
		m, err := load(filepath.Join(dir, s.file))
		if err != nil {
			return nil, err
		}
		ww, hh := w, h
		if s.portrait {
			ww, hh = h, w
		}
		out = append(out, source{s.name, s.about, upscale(m, ww, hh, grain, uint64(len(out)+1))})
	}
	if only == nil || only["synthetic"] {
		m, err := synthetic(w, h, grain, 99)
		if err != nil {
			return nil, err
		}
		out = append(out, source{"synthetic", "fractal noise, gradient sky, hard edges, text", m})
	}
	return out, nil
}
