//go:build unix

package export

import (
	"os/exec"
	"syscall"
)

// ownGroup runs cmd in a process group of its own and, when its context
// ends, kills the whole group: Chromium starts helper processes that would
// otherwise outlive it, still writing into a profile folder that is being
// removed.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
