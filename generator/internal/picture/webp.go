package picture

import (
	"bytes"
	"image"

	"github.com/gen2brain/webp"
)

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
