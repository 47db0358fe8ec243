package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/otpress/otpress/generator/internal/sitetest"
)

// TestKilledBuildKeepsOutput: a build killed at any moment leaves the
// previous output exactly as it was. The real command (this test binary as
// "generator", set up by TestMain) builds a generated site of 300 items,
// then builds of a changed site into the same folder are killed with
// SIGKILL at moments from 5 ms to just before they would end; after each
// kill the output is the first build's, byte for byte (or, killed after it
// put its output in place, the changed site's, whole). The temporary
// folders the killed builds leave, and their half-written cache files, are
// removed by the next build that runs, which touches nothing else beside
// the output.
func TestKilledBuildKeepsOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site of 300 items many times")
	}
	gen, err := exec.LookPath("generator")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	first, changed := filepath.Join(dir, "first"), filepath.Join(dir, "changed")
	for _, d := range []string{first, changed} {
		if err := sitetest.Generate(d, 300, 7); err != nil {
			t.Fatal(err)
		}
	}
	// every page of the changed site differs: its title is on all of them
	toml := filepath.Join(changed, "site.toml")
	b, err := os.ReadFile(toml)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(toml, []byte(strings.Replace(string(b), `title = "OT Stories (benchmark)"`, `title = "OT Stories, changed"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "site", "public")
	build := func(src, out string) time.Duration {
		t.Helper()
		start := time.Now()
		if b, err := exec.Command(gen, "build", "-s", src, "-d", out).CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", filepath.Base(src), err, b)
		}
		return time.Since(start)
	}
	build(first, out)
	want := treeHash(t, out)
	took := build(changed, filepath.Join(dir, "changed-public"))
	changedHash := treeHash(t, filepath.Join(dir, "changed-public"))
	if changedHash == want {
		t.Fatal("the changed site builds the same output")
	}

	// moments from the command's start to near its end
	var moments []time.Duration
	for _, ms := range []int{5, 20, 50, 100, 200} {
		moments = append(moments, time.Duration(ms)*time.Millisecond)
	}
	for _, f := range []float64{0.5, 0.8, 0.95} {
		moments = append(moments, time.Duration(f*float64(took)))
	}
	slices.Sort(moments)
	killed, leftMax := 0, 0
	for _, at := range moments {
		cmd := exec.Command(gen, "build", "-s", changed, "-d", out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(at)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			// it ended before the kill: put the first output back
			t.Logf("at %v the build had already ended (%v)", at.Round(time.Millisecond), cmd.ProcessState)
			if got := treeHash(t, out); got != changedHash {
				t.Errorf("a build that ended by itself left neither output")
			}
			build(first, out)
			continue
		}
		leftMax = max(leftMax, len(stale(t, filepath.Dir(out))))
		switch got := treeHash(t, out); got {
		case want:
			killed++
		case changedHash:
			// killed after the new output went in whole, while tidying up
			t.Logf("at %v the build had put its output in place", at.Round(time.Millisecond))
			build(first, out)
		default:
			t.Fatalf("a build killed after %v changed the output", at.Round(time.Millisecond))
		}
	}
	if killed < len(moments)/2 {
		t.Errorf("only %d of %d builds were killed before their end (a build takes %v)", killed, len(moments), took)
	}
	// each build removes what the ones killed before it left
	if leftMax > 1 {
		t.Errorf("%d temporary folders beside the output at once", leftMax)
	}
	t.Logf("%d builds killed, at %v; a build takes %v; at most %d temporary folder left", killed, moments, took.Round(time.Millisecond), leftMax)

	// the next build removes them, and nothing else beside the output
	others := []string{".public.building-mine", "public.building-1", "notes"}
	for _, name := range others {
		if err := os.MkdirAll(filepath.Join(filepath.Dir(out), name), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	build(changed, out)
	if treeHash(t, out) != changedHash {
		t.Error("the build after the kills differs from a build of the same site")
	}
	if left := stale(t, filepath.Dir(out)); len(left) > 0 {
		t.Errorf("temporary folders left after a build that ran to its end: %v", left)
	}
	// and the half-written files of the build cache the killed builds left
	if left, _ := filepath.Glob(filepath.Join(changed, ".otpress-cache", ".*-*")); len(left) > 0 {
		t.Errorf("temporary files left in the build cache: %v", left)
	}
	for _, name := range others {
		if _, err := os.Stat(filepath.Join(filepath.Dir(out), name)); err != nil {
			t.Errorf("%s beside the output was removed: %v", name, err)
		}
	}
}

// stale lists the temporary folders of builds of public in dir.
func stale(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if regexp.MustCompile(`^\.public\.building-[0-9]+(\.old)?$`).MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	return names
}

// treeHash is a hash of every name, kind and file's bytes under root.
func treeHash(t *testing.T, root string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		h.Write([]byte(filepath.ToSlash(rel) + "\x00" + d.Type().String() + "\x00"))
		if d.Type().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			h.Write(sum[:])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}
