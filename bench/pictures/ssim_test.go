package main

import (
	"image"
	"math/rand/v2"
	"testing"
)

func TestSSIM(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	a := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range a.Pix {
		a.Pix[i] = uint8(r.IntN(256))
	}
	if s := ssim(luma(a), luma(a)); s < 0.999999 {
		t.Errorf("SSIM of a picture with itself = %v, want 1", s)
	}
	b := image.NewRGBA(a.Rect)
	copy(b.Pix, a.Pix)
	for i := range b.Pix {
		if i%4 != 3 {
			b.Pix[i] = uint8(max(0, min(255, int(b.Pix[i])+r.IntN(41)-20)))
		}
	}
	c := image.NewRGBA(a.Rect)
	for i := range c.Pix {
		c.Pix[i] = 128
	}
	sb, sc := ssim(luma(a), luma(b)), ssim(luma(a), luma(c))
	if !(sb < 1 && sb > sc && sc < 0.05) {
		t.Errorf("SSIM with noise %v, with grey %v: want 1 > noise > grey ≈ 0", sb, sc)
	}
	if p := psnr(a, b); p < 20 || p > 30 {
		t.Errorf("PSNR with ±20 noise = %v dB, want about 24", p)
	}
}
