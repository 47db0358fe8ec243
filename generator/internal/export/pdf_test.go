//go:build unix

package export

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPDFStoppedKillsTheBrowser: an export stopped while Chromium prints
// leaves none of its processes running (a browser's helpers would go on
// writing into the profile folder being removed).
func TestPDFStoppedKillsTheBrowser(t *testing.T) {
	dir := t.TempDir()
	pids := filepath.Join(dir, "pids")
	// a stand-in for Chromium: starts a helper, then waits, as a browser
	// printing a long page would
	browser := filepath.Join(dir, "chromium")
	script := "#!/bin/sh\nsleep 60 >/dev/null 2>&1 &\necho $$ $! > " + pids + "\nwait\n"
	if err := os.WriteFile(browser, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "pack.html")
	os.WriteFile(page, []byte("<!doctype html><title>x</title>"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := PDF(ctx, browser, page, dir)
		done <- err
	}()
	var ids []int
	for deadline := time.Now().Add(10 * time.Second); len(ids) < 2; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the stand-in browser did not start")
		}
		b, _ := os.ReadFile(pids)
		ids = ids[:0]
		for _, f := range strings.Fields(string(b)) {
			n, _ := strconv.Atoi(f)
			ids = append(ids, n)
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("PDF = %v; want context.Canceled", err)
	}
	for _, pid := range ids {
		gone := false
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) || zombie(pid) {
				gone = true
				break
			}
		}
		if !gone {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Errorf("process %d is still running after the export stopped", pid)
		}
	}
}

// zombie reports whether a process has ended but not been waited for (its
// parent, the stand-in shell, was killed; init will reap it).
func zombie(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return errors.Is(err, os.ErrNotExist)
	}
	f := strings.Fields(string(b))
	return len(f) > 2 && f[2] == "Z"
}
