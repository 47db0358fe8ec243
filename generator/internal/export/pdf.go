package export

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// ErrNoBrowser says no Chromium was found to print a PDF with.
var ErrNoBrowser = errors.New("a PDF is printed by Chromium, and none is installed here: install chromium (Debian and Ubuntu: apt-get install chromium), or pass its path with --chromium; the html format gives the same pack to print from any browser")

// chromiums are the names Chromium and Chrome go by on PATH.
var chromiums = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// PDF prints an HTML file (the pack as HTML gives) to PDF with headless
// Chromium: tagged, so screen readers can follow it, and with an outline
// from the headings, so readers can jump between items. work is a folder
// for Chromium's profile and output. browser is the program to run; ""
// finds one on PATH.
func PDF(ctx context.Context, browser, htmlFile, work string) ([]byte, error) {
	if browser == "" {
		for _, name := range chromiums {
			if p, err := exec.LookPath(name); err == nil {
				browser = p
				break
			}
		}
		if browser == "" {
			return nil, ErrNoBrowser
		}
	}
	abs, err := filepath.Abs(htmlFile)
	if err != nil {
		return nil, err
	}
	out := filepath.Join(work, "pack.pdf")
	profile := filepath.Join(work, "chromium-profile")
	cmd := exec.CommandContext(ctx, browser,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir="+profile, "--no-pdf-header-footer", "--generate-pdf-document-outline",
		"--print-to-pdf="+out, "file://"+filepath.ToSlash(abs))
	ownGroup(cmd)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("chromium could not print the pack: %v\n%s", err, lastLines(stderr.String(), 5))
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("chromium wrote no PDF: %v\n%s", err, lastLines(stderr.String(), 5))
	}
	return b, nil
}

func lastLines(s string, n int) string {
	lines := bytes.Split(bytes.TrimSpace([]byte(s)), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
