// Package sitetest builds whole sites written inline as txtar archives and
// asserts on the output. It is imported only by tests.
package sitetest

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/site"
	"github.com/rogpeppe/go-internal/txtar"
)

// Update rewrites golden files instead of comparing: go test ./... -update.
var Update = flag.Bool("update", false, "rewrite golden files")

// Site is a site written to a temporary folder, and its last build.
type Site struct {
	T      testing.TB
	Dir    string
	Out    string
	Result *site.Result
	Err    error
}

// Write writes the files of a txtar archive into a new temporary site folder.
func Write(t testing.TB, archive string) *Site {
	t.Helper()
	dir := t.TempDir()
	if err := WriteFiles(dir, archive); err != nil {
		t.Fatal(err)
	}
	return &Site{T: t, Dir: dir, Out: filepath.Join(dir, "public")}
}

// WriteFiles writes the files of a txtar archive under dir.
func WriteFiles(dir, archive string) error {
	for _, f := range txtar.Parse([]byte(archive)).Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Build writes the archive and builds it, failing the test on any error.
func Build(t testing.TB, archive string) *Site {
	t.Helper()
	s := Write(t, archive)
	s.Rebuild()
	if s.Err != nil {
		t.Fatalf("build failed:\n%v", s.Err)
	}
	return s
}

// Rebuild builds the site again (without minifying, so assertions can match
// the templates' text), keeping the result and error.
func (s *Site) Rebuild() *Site {
	s.T.Helper()
	s.Result, s.Err = site.Build(context.Background(), site.Options{SiteDir: s.Dir, OutDir: s.Out, Generator: "otpress test"})
	return s
}

// Problems returns the build's error problems, one formatted line each.
func (s *Site) Problems() []string {
	var be *diag.BuildError
	if !errors.As(s.Err, &be) {
		return nil
	}
	var out []string
	for _, p := range be.Problems {
		out = append(out, p.Error())
	}
	return out
}

// Warnings returns the warnings of the last successful build.
func (s *Site) Warnings() []string {
	if s.Result == nil {
		return nil
	}
	var out []string
	for _, p := range s.Result.Warnings {
		out = append(out, p.Error())
	}
	return out
}

// Edit replaces a file's content (creating it if needed).
func (s *Site) Edit(name, data string) *Site {
	s.T.Helper()
	p := filepath.Join(s.Dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		s.T.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		s.T.Fatal(err)
	}
	return s
}

// Read returns an output file's content.
func (s *Site) Read(name string) string {
	s.T.Helper()
	b, err := os.ReadFile(filepath.Join(s.Out, filepath.FromSlash(name)))
	if err != nil {
		s.T.Fatalf("output %s: %v", name, err)
	}
	return string(b)
}

// AssertFileContains checks each non-empty line of want against the output
// file: a line must appear in it, or, starting with "! ", must not. Lines
// starting with # are comments.
func (s *Site) AssertFileContains(name, want string) {
	s.T.Helper()
	got := s.Read(name)
	failed := false
	for _, line := range strings.Split(want, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if neg, ok := strings.CutPrefix(line, "! "); ok {
			if strings.Contains(got, neg) {
				s.T.Errorf("%s contains %q; it should not", name, neg)
				failed = true
			}
			continue
		}
		if !strings.Contains(got, line) {
			s.T.Errorf("%s does not contain %q", name, line)
			failed = true
		}
	}
	if failed {
		s.T.Logf("%s:\n%s", name, got)
	}
}

// AssertExists checks that output files exist.
func (s *Site) AssertExists(names ...string) {
	s.T.Helper()
	for _, n := range names {
		if _, err := os.Stat(filepath.Join(s.Out, filepath.FromSlash(n))); err != nil {
			s.T.Errorf("output %s: %v", n, err)
		}
	}
}

// AssertNoFile checks that output files do not exist.
func (s *Site) AssertNoFile(names ...string) {
	s.T.Helper()
	for _, n := range names {
		if _, err := os.Stat(filepath.Join(s.Out, filepath.FromSlash(n))); err == nil {
			s.T.Errorf("output %s exists; it should not", n)
		}
	}
}

// CompareGolden compares got with the golden file, or rewrites it with -update.
func CompareGolden(t testing.TB, golden, got string) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", golden, d)
	}
}
