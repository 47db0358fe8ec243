package picture

import (
	"bytes"
	"image"

	"github.com/gen2brain/webp"
)

// WebPQuality is the quality WebP copies are made at: about half the
// bytes of a JPEG at quality 80, and no softer on photos with detail
// (bench/README.md, "Pictures: choosing a WebP encoder").
const WebPQuality = 82

// EncodeWebP encodes a lossy WebP with libwebp (compiled to WebAssembly,
// so no C compiler is needed; a system libwebp when one is installed).
// It writes no metadata.
func EncodeWebP(img image.Image, quality int) ([]byte, error) {
	var buf bytes.Buffer
	if err := webp.Encode(&buf, img, webp.Options{Quality: quality}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
