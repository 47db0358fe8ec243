package main

import (
	"image"
	"math"
)

// plane is one channel of a picture as float32, row by row.
type plane struct {
	w, h int
	p    []float32
}

// luma is the BT.601 luma (the Y that JPEG and WebP code) of m, 0–255.
func luma(m *image.RGBA) plane {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	out := plane{w, h, make([]float32, w*h)}
	for y := 0; y < h; y++ {
		row := m.Pix[y*m.Stride : y*m.Stride+4*w]
		for x := 0; x < w; x++ {
			r, g, bl := float32(row[4*x]), float32(row[4*x+1]), float32(row[4*x+2])
			out.p[y*w+x] = 0.299*r + 0.587*g + 0.114*bl
		}
	}
	return out
}

// gaussian is the 11-tap window of σ 1.5 that Wang et al. (2004) use.
var gaussian = func() [11]float32 {
	var k [11]float32
	var sum float64
	for i := range k {
		d := float64(i - 5)
		v := math.Exp(-d * d / (2 * 1.5 * 1.5))
		k[i] = float32(v)
		sum += v
	}
	for i := range k {
		k[i] /= float32(sum)
	}
	return k
}()

// blur convolves src with the Gaussian window, rows then columns, edges
// clamped.
func blur(src []float32, w, h int, tmp, dst []float32) {
	for y := 0; y < h; y++ {
		row := src[y*w : (y+1)*w]
		for x := 0; x < w; x++ {
			var s float32
			for i, k := range gaussian {
				xx := x + i - 5
				if xx < 0 {
					xx = 0
				} else if xx >= w {
					xx = w - 1
				}
				s += k * row[xx]
			}
			tmp[y*w+x] = s
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s float32
			for i, k := range gaussian {
				yy := y + i - 5
				if yy < 0 {
					yy = 0
				} else if yy >= h {
					yy = h - 1
				}
				s += k * tmp[yy*w+x]
			}
			dst[y*w+x] = s
		}
	}
}

// ssim is the mean SSIM of two planes of one size (Gaussian window 11,
// σ 1.5, K1 0.01, K2 0.03, L 255): 1 for identical planes.
func ssim(a, b plane) float64 {
	w, h := a.w, a.h
	n := w * h
	tmp := make([]float32, n)
	prod := make([]float32, n)
	muA, muB := make([]float32, n), make([]float32, n)
	sAA, sBB, sAB := make([]float32, n), make([]float32, n), make([]float32, n)
	blur(a.p, w, h, tmp, muA)
	blur(b.p, w, h, tmp, muB)
	for i := range prod {
		prod[i] = a.p[i] * a.p[i]
	}
	blur(prod, w, h, tmp, sAA)
	for i := range prod {
		prod[i] = b.p[i] * b.p[i]
	}
	blur(prod, w, h, tmp, sBB)
	for i := range prod {
		prod[i] = a.p[i] * b.p[i]
	}
	blur(prod, w, h, tmp, sAB)
	const c1, c2 = (0.01 * 255) * (0.01 * 255), (0.03 * 255) * (0.03 * 255)
	var sum float64
	for i := 0; i < n; i++ {
		ma, mb := float64(muA[i]), float64(muB[i])
		va := float64(sAA[i]) - ma*ma
		vb := float64(sBB[i]) - mb*mb
		cov := float64(sAB[i]) - ma*mb
		sum += ((2*ma*mb + c1) * (2*cov + c2)) / ((ma*ma + mb*mb + c1) * (va + vb + c2))
	}
	return sum / float64(n)
}

// psnr is the peak signal-to-noise ratio over R, G and B, in dB.
func psnr(a, b *image.RGBA) float64 {
	w, h := a.Bounds().Dx(), a.Bounds().Dy()
	var se float64
	for y := 0; y < h; y++ {
		ra := a.Pix[y*a.Stride : y*a.Stride+4*w]
		rb := b.Pix[y*b.Stride : y*b.Stride+4*w]
		for x := 0; x < 4*w; x++ {
			if x%4 == 3 {
				continue
			}
			d := float64(ra[x]) - float64(rb[x])
			se += d * d
		}
	}
	mse := se / float64(3*w*h)
	if mse == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/mse)
}
