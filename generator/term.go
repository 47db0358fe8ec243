package main

import (
	"io"
	"os"

	"github.com/otpress/otpress/generator/internal/diag"
)

// printableWriter escapes control characters on their way to the
// terminal (diag.Printable): file names, source lines and messages come
// from the site's files.
type printableWriter struct{ w io.Writer }

func printable(w io.Writer) io.Writer {
	if _, ok := w.(printableWriter); ok {
		return w
	}
	return printableWriter{w}
}

func (p printableWriter) Write(b []byte) (int, error) {
	if s := diag.Printable(string(b)); len(s) != len(b) {
		if _, err := io.WriteString(p.w, s); err != nil {
			return 0, err
		}
		return len(b), nil
	}
	return p.w.Write(b)
}

// terminal is the file under w when w is a terminal, for the progress
// line, which moves the cursor itself.
func terminal(w io.Writer) *os.File {
	if p, ok := w.(printableWriter); ok {
		w = p.w
	}
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return f
}
