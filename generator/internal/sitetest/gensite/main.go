// Command gensite writes test sites for the benchmarks and the browser
// tests:
//
//	go run ./generator/internal/sitetest/gensite -n 10000 -seed 1 -o DIR [-hugo]
//	go run ./generator/internal/sitetest/gensite -txtar FILE -o DIR
//
// The first writes a generated site of n items (and, with -hugo, the same
// Markdown as a Hugo site in DIR/hugo, with otpress's in DIR/otpress). The
// second writes the files of a txtar fixture, such as the site that uses
// every template and field (generator/internal/site/testdata/sites/everything.txtar).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/otpress/otpress/generator/internal/sitetest"
)

func main() {
	n := flag.Int("n", 1000, "number of items")
	seed := flag.Int64("seed", 1, "random seed")
	out := flag.String("o", "", "output `folder` (replaced)")
	hugo := flag.Bool("hugo", false, "also write the Hugo form: DIR/otpress and DIR/hugo")
	archive := flag.String("txtar", "", "write the files of this txtar `file` instead")
	flag.Parse()
	if *out == "" || *n < 1 || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*out, *archive, *n, *seed, *hugo); err != nil {
		fmt.Fprintln(os.Stderr, "gensite:", err)
		os.Exit(1)
	}
}

func run(out, archive string, n int, seed int64, hugo bool) error {
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	if archive != "" {
		data, err := os.ReadFile(archive)
		if err != nil {
			return err
		}
		return sitetest.WriteFiles(out, string(data))
	}
	if !hugo {
		return sitetest.Generate(out, n, seed)
	}
	if err := sitetest.Generate(filepath.Join(out, "otpress"), n, seed); err != nil {
		return err
	}
	return sitetest.GenerateHugo(filepath.Join(out, "hugo"), n, seed)
}
