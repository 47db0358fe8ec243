package frontmatter

import (
	"bytes"
	"strings"
)

// Decode reads a whole data file (such as data/sources.yaml) in one
// format, YAML or TOML, into a tree of values that keep their line and
// column, as front matter is read. The file is a set of fields; an empty
// file is an empty one.
func Decode(src []byte, f Format) (*Value, error) {
	if err := CheckEncoding(src); err != nil {
		return nil, err
	}
	src = bytes.TrimPrefix(src, bom)
	var v *Value
	var err error
	switch f {
	case TOML:
		v, err = decodeTOML(src, 1)
	default:
		v, err = decodeYAML(src, 1, true)
	}
	if e, ok := err.(*Error); ok {
		// the messages are written for front matter
		e.Msg = strings.ReplaceAll(e.Msg, "the front matter", "the file")
		e.Msg = strings.ReplaceAll(e.Msg, "in front matter", "here")
		e.Hint = strings.ReplaceAll(e.Hint, " inside the front matter", "")
		return nil, e
	}
	return v, err
}
