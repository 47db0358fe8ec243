package publish

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// CheckFile refuses to let a single-file output (a pack export) replace
// name unless name is missing or a file of the same kind as what will be
// written there, which ext names (.html, .zip, .epub, .pdf): an export run
// again replaces its last copy, never site.toml or a folder. force allows
// any other file, never a folder.
func CheckFile(name, ext string, force bool) error {
	fi, err := os.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return explain("read "+name, filepath.Dir(name), err)
	case fi.IsDir():
		return &RefusedError{Dir: name, Msg: fmt.Sprintf("%s is a folder; the export is one file", name),
			Hint: fmt.Sprintf("name a file with -o, such as -o %s", filepath.Join(name, "pack"+ext))}
	case force:
		return nil
	case !fi.Mode().IsRegular():
		return &RefusedError{Dir: name, Forcible: true, Msg: fmt.Sprintf("%s is not a plain file (a symbolic link or a device); the export would replace it", name),
			Hint: "name another file with -o, or add --force to replace it"}
	}
	want := kindOfExt(ext)
	f, err := os.Open(name)
	if err != nil {
		return explain("read "+name, filepath.Dir(name), err)
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	if n == 0 {
		return nil // an empty file holds nothing to lose
	}
	if got := kindOf(head[:n]); got != want || want == "" {
		what := "a " + got + " file"
		if got == "" {
			what = "not " + article(want) + " file"
		}
		return &RefusedError{Dir: name, Forcible: true,
			Msg:  fmt.Sprintf("%s already exists and is %s, so it is not an earlier export to replace", name, what),
			Hint: "name another file with -o, or add --force to replace it"}
	}
	return nil
}

func article(kind string) string {
	if kind == "" {
		return "an export"
	}
	if strings.ContainsAny(kind[:1], "AEIOUaeiou") || kind == "HTML" {
		return "an " + kind
	}
	return "a " + kind
}

// kindOfExt is the kind of file an export with that extension is.
func kindOfExt(ext string) string {
	switch strings.ToLower(ext) {
	case ".html", ".htm":
		return "HTML"
	case ".zip", ".epub":
		return "zip"
	case ".pdf":
		return "PDF"
	}
	return ""
}

// kindOf tells an export's kind from a file's first bytes.
func kindOf(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "PDF"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "zip"
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.ToLower(bytes.TrimLeft(head, " \t\r\n"))
	if bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) {
		return "HTML"
	}
	return ""
}

// WriteFile writes a single-file output in one step: into a temporary
// file beside name, then renamed over it, so an export that fails or is
// stopped never leaves half a file, nor a temporary one.
func WriteFile(name string, data []byte) error {
	err := WriteBeside(name, "."+filepath.Base(name)+".writing-*", data)
	return explain("write "+name, filepath.Dir(name), err)
}

// WriteBeside writes data into a new file beside name (named by pattern,
// as os.CreateTemp takes it), then renames it over name: a reader sees
// the old file or the new, never half of one.
func WriteBeside(name, pattern string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), pattern)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
