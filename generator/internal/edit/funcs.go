package edit

import (
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
)

var funcs = template.FuncMap{
	"id":       fieldID,
	"editLink": EditLink,
	"lower":    strings.ToLower,
	"sourceLink": func(back string) string {
		if back == "" {
			return Prefix + "source"
		}
		return Prefix + "source?" + url.Values{"back": {back}}.Encode()
	},
	"upload": func(key, label, hint, accept string) map[string]string {
		return map[string]string{"Key": key, "Label": label, "Hint": hint, "Accept": accept}
	},
	"entry":       func(f *field, i, n int) map[string]any { return map[string]any{"F": f, "I": i, "N": n} },
	"inc":         func(i int) int { return i + 1 },
	"problemText": problemText,
	"isDate": func(s string) bool {
		_, err := time.Parse(time.DateOnly, s)
		return s == "" || err == nil
	},
	"focus": func(f *field, focus bool) map[string]any {
		return map[string]any{"F": f, "Focus": focus || f.FocusAt > 0}
	},
	"describedBy": func(f *field) string {
		var ids []string
		if f.Hint != "" {
			ids = append(ids, "h-"+fieldID(f.Name))
		}
		if len(f.Probs) > 0 {
			ids = append(ids, "e-"+fieldID(f.Name))
		}
		return strings.Join(ids, " ")
	},
	"choiceLabel": func(s string) string {
		switch content.Relation(s) {
		case content.BasedOn:
			return "The page is based on it"
		case content.Cites:
			return "The page cites it for a point"
		case content.Mentions:
			return "The page mentions it in passing"
		}
		if l, ok := typeLabels[s]; ok {
			return l
		}
		return s
	},
	"workLabel": func(w *content.Work) string {
		label := w.Title
		if w.Issued.Year > 0 {
			label += fmt.Sprintf(" (%d)", w.Issued.Year)
		}
		return label + " – " + w.ID
	},
}

// fieldID is an HTML id for a form name: "outcomes.2.before" →
// "outcomes-2-before".
func fieldID(name string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, strings.ToLower(name))
}

// problemText is a problem as the form says it: what is wrong, then how
// to put it right; a problem in the text says on which of its lines.
func problemText(p *diag.Problem) string {
	s := p.Msg
	if s != "" {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	if p.Severity == diag.Warning {
		s = "Warning: " + s
	}
	if p.Hint != "" {
		s += ". " + strings.ToUpper(p.Hint[:1]) + p.Hint[1:]
	}
	return s + "."
}
