package main

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript run the real CLI in-process as "generator".
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"generator":         main,
		"generator-limited": limitedMain,
	})
}

// TestScripts runs testdata/script/*.txtar: each is a small site and the
// commands an editor would type, with the output they should see.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script"})
}
