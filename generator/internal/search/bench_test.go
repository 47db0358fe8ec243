package search

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// BenchmarkAdd analyses documents as a big site's item pages hand them
// over: a title, themes, a summary and about 1,400 words of body.
//
//	go test -run '^$' -bench Add ./generator/internal/search/
func BenchmarkAdd(b *testing.B) {
	sentences := []string{
		"The occupational therapist worked on standing with a frame over six weeks.",
		"Denis kept a record of the morning routine, with support from a carer.",
		"The team talked through a graded plan for the stairs before the next review.",
		"Each session came back to what mattered most: walking to the kitchen again.",
		"The link worker made room for a referral to the community group in Salford.",
		"Café owners helped with the return to work; the rehabilitación plan held.",
	}
	var body strings.Builder
	for i := 0; body.Len() < 9000; i++ {
		body.WriteString(sentences[i%len(sentences)])
		body.WriteByte(' ')
	}
	doc := Doc{Text: [numFields]string{
		Title: "Denis walks to the kitchen again", Themes: "Rehab potential Goal setting Co-production",
		People: "Zoe Phillips Laura Martin", Summary: sentences[0] + " " + sentences[3], Body: body.String(),
	}}
	bl := NewBuilder(1000, Defaults())
	b.SetBytes(int64(body.Len()))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		bl.Add(i%1000, doc)
		i++
	}
}

// BenchmarkSentences: a page's passage file from a generated page's text
// (about 8 KB).
func BenchmarkSentences(b *testing.B) {
	var text strings.Builder
	for i := range 60 {
		fmt.Fprintf(&text, "Denis had been in bed for  a year, and %d carers came. \"Small steps,\" said Zoe.\nThe hoist went back to the store in the spring! Was it the plan? Yes.\n", i)
	}
	s := text.String()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Sentences(s, 16<<10)
	}
}

// BenchmarkBuild works out the index of 10,000 analysed pages, as a warm
// build does with every passage file kept: the postings, shards and rows.
// Words come from a vocabulary of 30,000 drawn with a Zipf law, about
// 1,000 a page.
//
//	go test -run '^$' -bench Build ./generator/internal/search/
func BenchmarkBuild(b *testing.B) {
	const pages = 10000
	r := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(r, 1.1, 2, 29999)
	word := func() string {
		n := zipf.Uint64()
		var w []byte
		for n > 0 || len(w) < 3 {
			w = append(w, byte('a'+n%26))
			n /= 26
		}
		return string(w)
	}
	bl := NewBuilder(pages, Defaults())
	for i := range pages {
		var body strings.Builder
		for range 400 {
			body.WriteString(word())
			body.WriteByte(' ')
		}
		bl.Add(i, Doc{Path: fmt.Sprintf("/stories/s%d/", i), Kind: "story", Date: "2024-05-01",
			Themes: []string{"co-production"}, Text: [numFields]string{Title: word() + " " + word(), Body: body.String()}})
	}
	keep := func(string, [32]byte) bool { return true }
	b.ReportAllocs()
	for b.Loop() {
		bl.BuildKeeping(func(File) {}, keep)
	}
}
