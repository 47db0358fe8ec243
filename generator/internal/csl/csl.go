// Package csl writes a site's sources for reference managers: CSL-JSON
// (what Zotero imports and pandoc --citeproc and citeproc-js read) and
// BibTeX (Zotero, Mendeley, JabRef, EndNote, LaTeX). It works from its own
// typed structs, never the content model.
package csl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Name is a person (family and given names) or an organisation (literal).
type Name struct {
	Family  string `json:"family,omitempty"`
	Given   string `json:"given,omitempty"`
	Literal string `json:"literal,omitempty"`
}

// Date is a CSL date: {"date-parts": [[2019, 4]]}.
type Date struct {
	DateParts [][]int `json:"date-parts"`
}

// NewDate is a date of a year, a month or a day; nil when year is 0.
func NewDate(year, month, day int) *Date {
	if year == 0 {
		return nil
	}
	parts := []int{year}
	if month > 0 {
		parts = append(parts, month)
		if day > 0 {
			parts = append(parts, day)
		}
	}
	return &Date{DateParts: [][]int{parts}}
}

func (d *Date) part(i int) int {
	if d == nil || len(d.DateParts) == 0 || len(d.DateParts[0]) <= i {
		return 0
	}
	return d.DateParts[0][i]
}

// Item is one source as CSL-JSON has it.
type Item struct {
	ID              string `json:"id"`
	Type            string `json:"type"`
	Title           string `json:"title,omitempty"`
	TitleShort      string `json:"title-short,omitempty"`
	ContainerTitle  string `json:"container-title,omitempty"`
	CollectionTitle string `json:"collection-title,omitempty"`
	Author          []Name `json:"author,omitempty"`
	Editor          []Name `json:"editor,omitempty"`
	Host            []Name `json:"host,omitempty"`
	Guest           []Name `json:"guest,omitempty"`
	Issued          *Date  `json:"issued,omitempty"`
	Accessed        *Date  `json:"accessed,omitempty"`
	Publisher       string `json:"publisher,omitempty"`
	PublisherPlace  string `json:"publisher-place,omitempty"`
	Volume          string `json:"volume,omitempty"`
	Issue           string `json:"issue,omitempty"`
	Page            string `json:"page,omitempty"`
	Number          string `json:"number,omitempty"`
	Edition         string `json:"edition,omitempty"`
	Genre           string `json:"genre,omitempty"`
	Medium          string `json:"medium,omitempty"`
	URL             string `json:"URL,omitempty"`
	DOI             string `json:"DOI,omitempty"`
	ISBN            string `json:"ISBN,omitempty"`
	ISSN            string `json:"ISSN,omitempty"`
}

// JSON is the items as a CSL-JSON array, one field a line.
func JSON(items []Item) ([]byte, error) {
	if items == nil {
		items = []Item{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(items); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// bibType is the BibTeX entry type of a CSL type.
func bibType(t string) string {
	switch t {
	case "article-journal", "article-magazine", "article-newspaper":
		return "article"
	case "book":
		return "book"
	case "chapter":
		return "incollection"
	case "report", "standard":
		return "techreport"
	}
	return "misc"
}

var months = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// BibTeX is the items as BibTeX entries, keyed by their ids. Text is
// escaped for TeX (& % $ # _ { } ~ ^ \), titles are braced so styles keep
// their capitals, and organisations are braced so they stay one name.
// header, when set, is written first as a comment.
func BibTeX(items []Item, header string) []byte {
	var b bytes.Buffer
	for _, line := range strings.Split(strings.TrimSpace(header), "\n") {
		if line != "" {
			fmt.Fprintf(&b, "%% %s\n", line)
		}
	}
	for _, it := range items {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		typ := bibType(it.Type)
		fmt.Fprintf(&b, "@%s{%s,\n", typ, it.ID)
		field := func(name, value string) {
			if value != "" {
				fmt.Fprintf(&b, "  %s = {%s},\n", name, value)
			}
		}
		authors := it.Author
		if len(authors) == 0 && it.Type == "broadcast" {
			authors = it.Host
		}
		field("author", names(authors))
		field("editor", names(it.Editor))
		if it.Title != "" {
			field("title", "{"+Escape(it.Title)+"}")
		}
		switch typ {
		case "article":
			field("journal", Escape(it.ContainerTitle))
		case "incollection":
			field("booktitle", Escape(it.ContainerTitle))
		case "misc":
			how := it.Genre
			switch {
			case how == "" && it.Type == "broadcast":
				how = "Podcast"
			case how == "" && it.Type == "dataset":
				how = "Dataset"
			}
			if it.ContainerTitle != "" {
				how = strings.TrimPrefix(how+": "+it.ContainerTitle, ": ")
			}
			if it.Type == "broadcast" && it.Number != "" {
				how += ", episode " + it.Number
			}
			field("howpublished", Escape(how))
		}
		field("series", Escape(it.CollectionTitle))
		field("volume", Escape(it.Volume))
		switch {
		case typ == "article":
			field("number", Escape(it.Issue))
		case typ == "techreport" || typ == "misc" && it.Type != "broadcast":
			field("number", Escape(it.Number))
		}
		field("pages", Escape(pageRange(it.Page)))
		field("edition", Escape(it.Edition))
		if typ == "techreport" {
			field("institution", Escape(it.Publisher))
		} else {
			field("publisher", Escape(it.Publisher))
		}
		field("address", Escape(it.PublisherPlace))
		if y := it.Issued.part(0); y > 0 {
			fmt.Fprintf(&b, "  year = {%d},\n", y)
		}
		if m := it.Issued.part(1); m >= 1 && m <= 12 {
			fmt.Fprintf(&b, "  month = %s,\n", months[m-1])
		}
		field("doi", escapeURL(it.DOI))
		field("url", escapeURL(it.URL))
		if y := it.Accessed.part(0); y > 0 {
			fmt.Fprintf(&b, "  urldate = {%04d-%02d-%02d},\n", y, it.Accessed.part(1), it.Accessed.part(2))
		}
		field("isbn", Escape(it.ISBN))
		field("issn", Escape(it.ISSN))
		// the last field's comma is allowed; take it off all the same
		b.Truncate(b.Len() - 2)
		b.WriteString("\n}\n")
	}
	return b.Bytes()
}

// pageRange writes a range with BibTeX's dash: "15-17" → "15--17".
func pageRange(p string) string {
	p = strings.ReplaceAll(p, "--", "–")
	p = strings.ReplaceAll(p, "-", "–")
	return strings.ReplaceAll(p, "–", "--")
}

// names joins names with "and": "Sanderson, James and {Royal College of
// Occupational Therapists}".
func names(ns []Name) string {
	var out []string
	for _, n := range ns {
		switch {
		case n.Literal != "":
			out = append(out, "{"+Escape(n.Literal)+"}")
		case n.Given != "":
			out = append(out, Escape(n.Family)+", "+Escape(n.Given))
		default:
			out = append(out, Escape(n.Family))
		}
	}
	return strings.Join(out, " and ")
}

// Escape makes text safe in a BibTeX value: TeX's special characters
// become commands that print them.
func Escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\textbackslash{}`)
		case '{', '}', '&', '%', '$', '#', '_':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '~':
			b.WriteString(`\textasciitilde{}`)
		case '^':
			b.WriteString(`\textasciicircum{}`)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// escapeURL keeps an address as it is, as the url and doi fields want,
// but for % and # (escaped) and braces, backslashes and spaces
// (percent-encoded, which means the same address).
func escapeURL(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '%', '#':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '{', '}', '\\', ' ':
			fmt.Fprintf(&b, `\%%%02X`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
