package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/otpress/otpress/generator/internal/sitetest"
)

// hostile is one input an attacker or a careless editor could give: files
// written over a good site that has been built once, a command run on it
// in a subprocess with a ceiling on CPU time and memory (enforced by the
// kernel, so a slow or greedy case is killed, not timed), the exit status
// and messages wanted, and, when the command fails, the previous output
// left byte for byte as it was.
type hostile struct {
	name  string
	files map[string]string // written over the base site, by slash path; a file of "" is removed
	// setup, when set, does what files cannot (modes, symbolic links,
	// folders); site is the site folder, tmp the command's TMPDIR
	setup func(t *testing.T, site, tmp string)
	args  []string // after "generator", run in the site folder; default {"build"}
	exit  int      // the exit status wanted
	want  []string // regular expressions the output (stdout then stderr) must each match
	avoid []string // regular expressions it must not match
	cpu   int      // CPU seconds the command may use; default 10
	memMB int      // memory the command may map (RLIMIT_DATA), in MB; default 512
	// changes: the command may change the output (a build that succeeds);
	// otherwise the output must be as the base build left it
	changes bool
	// after, when set, checks what else the command must have left alone
	// or done
	after func(t *testing.T, site string)
}

// hostileCases are the rows of TestHostile, added by the hostile_*_test.go
// files from init.
var hostileCases []hostile

func addHostile(cases ...hostile) { hostileCases = append(hostileCases, cases...) }

// limitedMain is the command as "generator-limited" (TestMain): the real
// CLI under the CPU and memory ceilings in OTPRESS_TEST_CPU (seconds) and
// OTPRESS_TEST_MEM (bytes of data segment and private mappings: unlike
// RLIMIT_AS it leaves out the address space Go reserves without using).
// Over the CPU ceiling the kernel kills it; over the memory ceiling the Go
// runtime cannot map memory and exits.
func limitedMain() {
	for env, res := range map[string]int{"OTPRESS_TEST_CPU": syscall.RLIMIT_CPU, "OTPRESS_TEST_MEM": syscall.RLIMIT_DATA} {
		n, err := strconv.ParseUint(os.Getenv(env), 10, 64)
		if err != nil {
			fmt.Fprintf(os.Stderr, "generator-limited: %s: %v\n", env, err)
			os.Exit(3)
		}
		if err := syscall.Setrlimit(res, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
			fmt.Fprintf(os.Stderr, "generator-limited: setrlimit %s: %v\n", env, err)
			os.Exit(3)
		}
	}
	main()
}

// TestHostile runs every hostile case through the real command.
func TestHostile(t *testing.T) {
	gen, err := exec.LookPath("generator-limited")
	if err != nil {
		t.Fatal(err)
	}
	everything, err := os.ReadFile("internal/site/testdata/sites/everything.txtar")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if os.Getuid() == 0 {
		// Root may write anywhere: a read-only folder would not stop it.
		// The command runs as nobody, as an editor's account would, from
		// a copy of this binary that nobody may run.
		gen = asNobody(t, root, gen)
	}
	base := filepath.Join(root, "base")
	if err := sitetest.WriteFiles(base, string(everything)); err != nil {
		t.Fatal(err)
	}
	chownNobody(t, base)
	if out, code := runLimited(t, gen, base, "", []string{"build"}, 30, 1536); code != 0 {
		t.Fatalf("the base site does not build (exit %d):\n%s", code, out)
	}
	for _, c := range hostileCases {
		t.Run(c.name, func(t *testing.T) {
			dir, err := os.MkdirTemp(root, "case-") // where nobody may reach it
			if err != nil {
				t.Fatal(err)
			}
			site, tmp := filepath.Join(dir, "site"), filepath.Join(dir, "tmp")
			if err := os.CopyFS(site, os.DirFS(base)); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(tmp, 0o755); err != nil {
				t.Fatal(err)
			}
			before := treeHash(t, filepath.Join(site, "public"))
			for name, data := range c.files {
				p := filepath.Join(site, filepath.FromSlash(name))
				if data == "" {
					if err := os.Remove(p); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			chownNobody(t, dir)
			if c.setup != nil {
				c.setup(t, site, tmp)
			}
			args := c.args
			if args == nil {
				args = []string{"build"}
			}
			out, code := runLimited(t, gen, site, tmp, args, cmpOr(c.cpu, 10), cmpOr(c.memMB, 512))
			if code != c.exit {
				t.Errorf("exit status %d, want %d; output:\n%s", code, c.exit, out)
			}
			for _, w := range c.want {
				if !regexp.MustCompile(w).Match(out) {
					t.Errorf("the output does not match %q:\n%s", w, out)
				}
			}
			for _, a := range c.avoid {
				if regexp.MustCompile(a).Match(out) {
					t.Errorf("the output matches %q:\n%s", a, out)
				}
			}
			if i := bytes.IndexFunc(out, func(r rune) bool { return r < ' ' && r != '\n' && r != '\t' || r == 0x7f }); i >= 0 {
				t.Errorf("the output has the control character %q at byte %d, which a terminal would act on:\n%q", out[i], i, out)
			}
			if !c.changes && treeHash(t, filepath.Join(site, "public")) != before {
				t.Error("the output folder changed")
			}
			if left := stale(t, site); len(left) > 0 {
				t.Errorf("temporary folders left beside the output: %v", left)
			}
			if c.after != nil {
				c.after(t, site)
			}
			if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("left in the temporary folder: %v", names)
			}
		})
	}
}

func cmpOr(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}

// runLimited runs gen with args in dir under the ceilings and returns its
// output (stdout, then stderr) and exit status. Going over a ceiling fails
// the test, naming the ceiling.
func runLimited(t *testing.T, gen, dir, tmp string, args []string, cpu, memMB int) ([]byte, int) {
	t.Helper()
	cmd := exec.Command(gen, args...)
	cmd.Dir = dir
	if os.Getuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	}
	cmd.Env = append(os.Environ(), "OTPRESS_TEST_CPU="+strconv.Itoa(cpu), "OTPRESS_TEST_MEM="+strconv.Itoa(memMB<<20))
	if tmp != "" {
		cmd.Env = append(cmd.Env, "TMPDIR="+tmp)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	out := append(stdout.Bytes(), stderr.Bytes()...)
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	used := fmt.Sprintf("(%v CPU, %d MB at most)", cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime(), ru.Maxrss>>10)
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		t.Fatalf("generator %s was killed by %v: over its ceiling of %d CPU seconds? %s\n%s", strings.Join(args, " "), ws.Signal(), cpu, used, out)
	}
	if regexp.MustCompile(`fatal error: (runtime: )?(out of memory|cannot allocate memory)`).Match(out) {
		t.Fatalf("generator %s ran out of its %d MB %s", strings.Join(args, " "), memMB, used)
	}
	t.Logf("generator %s: exit %d %s", strings.Join(args, " "), cmd.ProcessState.ExitCode(), used)
	return out, cmd.ProcessState.ExitCode()
}

// nobody is the user and group the commands run as when the tests run as
// root.
const nobody = 65534

// asNobody copies gen where nobody can run it, and opens the folders
// above root to nobody.
func asNobody(t *testing.T, root, gen string) string {
	t.Helper()
	bin := filepath.Join(root, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(gen)
	if err != nil {
		t.Fatal(err)
	}
	to := filepath.Join(bin, "generator-limited")
	if err := os.WriteFile(to, b, 0o755); err != nil {
		t.Fatal(err)
	}
	for d := root; d != filepath.Dir(d); d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o001 == 0 {
			if err := os.Chmod(d, fi.Mode().Perm()|0o011); err != nil {
				t.Fatal(err)
			}
		}
	}
	return to
}

// chownNobody gives dir and everything in it to nobody, when the tests
// run as root.
func chownNobody(t *testing.T, dir string) {
	t.Helper()
	if os.Getuid() != 0 {
		return
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, nobody, nobody)
	})
	if err != nil {
		t.Fatal(err)
	}
}
