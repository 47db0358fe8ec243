// Package themes embeds the default theme in the otpress binary, so the
// generator works from any folder. A site overrides any file by putting its
// own copy at the same path under its themes/<name>/ folder.
package themes

import (
	"embed"
	"io/fs"
)

//go:embed default
var files embed.FS

// Default is the default theme: templates/ and static/.
var Default, _ = fs.Sub(files, "default")
