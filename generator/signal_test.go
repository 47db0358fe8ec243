package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/otpress/otpress/generator/internal/sitetest"
)

// TestSignals: build, check, pack export and serve, each stopped by
// SIGINT, SIGTERM and SIGHUP in the middle of their work, leave the output
// as it was and no temporary folder anywhere, and say so; the ones killed
// by SIGKILL leave their temporary folder, which the next command removes.
func TestSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site of 300 items many times")
	}
	gen, err := exec.LookPath("generator")
	if err != nil {
		t.Fatal(err)
	}
	site := filepath.Join(t.TempDir(), "site")
	if err := sitetest.Generate(site, 300, 7); err != nil {
		t.Fatal(err)
	}
	stories, _ := filepath.Glob(filepath.Join(site, "content", "stories", "*.md"))
	if len(stories) < 2 {
		t.Fatalf("the generated site has %d stories", len(stories))
	}
	var refs []string
	for _, s := range stories[:2] {
		refs = append(refs, "  - stories/"+strings.TrimSuffix(filepath.Base(s), ".md"))
	}
	pack := "---\ntitle: A pack\nitems:\n" + strings.Join(refs, "\n") + "\n---\nTwo stories.\n"
	if err := os.MkdirAll(filepath.Join(site, "content", "packs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(site, "content", "packs", "a-pack.md"), []byte(pack), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(gen, "build", "-s", site).CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	public := filepath.Join(site, "public")
	want := treeHash(t, public)
	// busy reports whether the command is in the middle of its work
	found := func(pattern string) func(tmp, out string) bool {
		return func(tmp, out string) bool {
			m, _ := filepath.Glob(strings.NewReplacer("TMP", tmp, "SITE", site).Replace(pattern))
			return len(m) > 0
		}
	}
	commands := []struct {
		name string
		args []string
		busy func(tmp, out string) bool
		exit func(sig syscall.Signal) int
	}{
		{"build", []string{"build"}, found("SITE/.public.building-*"), stoppedBy},
		{"check", []string{"check"}, found("TMP/otpress-check-*/.public.building-*"), stoppedBy},
		{"pack export", []string{"pack", "export", "a-pack", "-o", filepath.Join(t.TempDir(), "a.epub"), "--format", "epub"}, found("TMP/otpress-export-*/.site.building-*"), stoppedBy},
		// the preview's normal end is a signal
		{"serve", []string{"serve", "--port", "0"}, func(_, out string) bool { return strings.Contains(out, "Serving") }, func(syscall.Signal) int { return 0 }},
	}
	scratch := t.TempDir() // a site for the command after a kill
	os.WriteFile(filepath.Join(scratch, "site.toml"), []byte("title = \"x\"\nbase_url = \"https://example.org/\"\n"), 0o644)
	for _, c := range commands {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGKILL} {
			if c.name == "build" && sig == syscall.SIGKILL {
				continue // TestKilledBuildKeepsOutput
			}
			t.Run(fmt.Sprintf("%s/%v", c.name, sig), func(t *testing.T) {
				tmp := t.TempDir()
				cmd := exec.Command(gen, c.args...)
				cmd.Dir = site
				cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
				var out syncBuffer
				cmd.Stdout, cmd.Stderr = &out, &out
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				exited := make(chan struct{})
				go func() { cmd.Wait(); close(exited) }()
				deadline := time.After(30 * time.Second)
			wait:
				for {
					select {
					case <-exited:
						t.Fatalf("%s ended before it could be stopped:\n%s", c.name, out.String())
					case <-deadline:
						cmd.Process.Kill()
						t.Fatalf("%s never got busy:\n%s", c.name, out.String())
					case <-time.After(2 * time.Millisecond):
						if c.busy(tmp, out.String()) {
							break wait
						}
					}
				}
				cmd.Process.Signal(sig)
				select {
				case <-exited:
				case <-time.After(30 * time.Second):
					cmd.Process.Kill()
					t.Fatalf("%s did not stop within 30 s of %v:\n%s", c.name, sig, out.String())
				}
				if got := treeHash(t, public); got != want {
					t.Error("the output changed")
				}
				if left := stale(t, site); len(left) > 0 {
					t.Errorf("left beside the output: %v", left)
				}
				left, _ := os.ReadDir(tmp)
				if sig == syscall.SIGKILL {
					if len(left) == 0 {
						t.Fatal("a killed command left nothing to sweep: the test proves nothing")
					}
					// the next command, on another site, removes it
					next := exec.Command(gen, "new", "story", "After "+c.name, "-s", scratch)
					next.Env = cmd.Env
					if b, err := next.CombinedOutput(); err != nil {
						t.Fatalf("new: %v\n%s", err, b)
					}
					left, _ = os.ReadDir(tmp)
				} else {
					if code := cmd.ProcessState.ExitCode(); code != c.exit(sig) {
						t.Errorf("exit status %d, want %d:\n%s", code, c.exit(sig), out.String())
					}
					if c.name != "serve" && !strings.Contains(out.String(), "generator: stopped by a signal ("+sig.String()+") before the end; the previous output is as it was.") {
						t.Errorf("it did not say it stopped:\n%s", out.String())
					}
				}
				if len(left) > 0 {
					t.Errorf("left in the temporary folder: %v", left[0].Name())
				}
			})
		}
	}
}

// stoppedBy is the exit status of a command a signal stopped, as a shell
// reports it.
func stoppedBy(sig syscall.Signal) int { return 128 + int(sig) }

// syncBuffer is a buffer a command writes to while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
