// Command photo writes a phone-sized test photo (4000×3000 JPEG, with
// EXIF recording a position) for the browser test of pictures.
//
//	go run ./generator/internal/picture/picturetest/photo FILE
package main

import (
	"fmt"
	"os"

	"github.com/otpress/otpress/generator/internal/picture/picturetest"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: photo FILE")
		os.Exit(2)
	}
	if err := os.WriteFile(os.Args[1], picturetest.Photo(4000, 3000, 1, true), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
