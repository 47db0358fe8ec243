package site

import (
	"os"
	"testing"
)

// TestMain lets builds trust a content file's times as soon as the build
// that read it had begun (racyGap 0): the tests edit files and build again
// within milliseconds, and would otherwise read again every file they
// wrote, so that no build would leave a text in its file. TestReadFiles
// checks the gap itself.
func TestMain(m *testing.M) {
	racyGap = 0
	os.Exit(m.Run())
}
