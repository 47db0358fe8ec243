package render

import (
	"io"
	"testing"
	"time"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/content"
)

func BenchmarkExecute(b *testing.B) {
	cfg := config.Default()
	r, probs := New(Options{Site: cfg})
	if len(probs) > 0 {
		b.Fatal(probs)
	}
	it := &content.Item{Kind: content.Story, Path: "/stories/x/", Title: "A story", Date: time.Now(), Authors: []string{"a"},
		Story:   &content.StoryFields{Person: "D", Goals: []string{"a", "b"}, Steps: []string{"a", "b", "c"}, Outcomes: []content.Outcome{{Measure: "m", Before: 4, After: 0}}},
		Sources: []content.Source{{Work: &content.Work{ID: "p-nd-t", Type: "article-magazine", Title: "t", ContainerTitle: "p", Issue: "i"}, Relation: content.BasedOn}}}
	b.Run("404", func(b *testing.B) {
		for b.Loop() {
			if err := r.Execute(io.Discard, r.NotFoundPage()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("story", func(b *testing.B) {
		for b.Loop() {
			if err := r.Execute(io.Discard, r.ItemPage(it, nil, "summary", "<p>body</p>", nil)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
