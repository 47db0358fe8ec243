package edit

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// commit records a save in the site's git repository: the files it wrote,
// with a message naming the page, by whoever git config names. It returns
// what went wrong, for the saved page to say; the save itself stands.
func (e *Editor) commit(message string, files []string) error {
	if !e.o.Git || len(files) == 0 {
		return nil
	}
	if _, err := e.git("add", append([]string{"--"}, files...)...); err != nil {
		return err
	}
	_, err := e.git("commit", append([]string{"--quiet", "--only", "-m", message, "--"}, files...)...)
	return err
}

// git runs one git command in the site's folder, never a shell, never
// asking at a terminal.
func (e *Editor) git(cmd string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := exec.CommandContext(ctx, "git", append([]string{"-C", e.o.SiteDir, cmd}, args...)...)
	c.Env = append(c.Environ(), "GIT_TERMINAL_PROMPT=0")
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	if err := c.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("git %s: %s", cmd, msg)
	}
	return out.String(), nil
}

// CheckGit says whether the site's folder is in a git repository that can
// take commits, for serve --edit --git to refuse to start otherwise.
func CheckGit(siteDir string) error {
	e := &Editor{o: Options{SiteDir: siteDir, Git: true}}
	if _, err := e.git("rev-parse", "--show-toplevel"); err != nil {
		return fmt.Errorf("--git commits each save, but %s is not in a git repository (%v); run git init there, or leave out --git", siteDir, err)
	}
	if name, _ := e.git("config", "user.name"); strings.TrimSpace(name) == "" {
		return fmt.Errorf("--git commits each save in your name, but git does not know it; run git config --global user.name \"Your Name\" (and user.email), or leave out --git")
	}
	return nil
}
