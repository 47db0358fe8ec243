package site

import (
	"strings"
	"testing"
	"time"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/vtt"
)

// TestPackTime: text is read at 200 words a minute, a story's goals and
// steps with it; an episode is heard for its length, or its transcript read
// when the length is not known.
func TestPackTime(t *testing.T) {
	words := func(n int) string { return strings.Repeat("word ", n) }
	tests := []struct {
		name         string
		it           *content.Item
		text         string
		read, listen time.Duration
	}{
		{"a feature", &content.Item{Kind: content.Feature}, words(400), 2 * time.Minute, 0},
		{"a story with goals and steps", &content.Item{Kind: content.Story, Story: &content.StoryFields{Goals: []string{words(50)}, Steps: []string{words(50)}}}, words(300), 2 * time.Minute, 0},
		{"an episode of known length", &content.Item{Kind: content.Episode, Episode: &content.EpisodeFields{Duration: 42 * time.Minute, Paragraphs: []vtt.Paragraph{{Text: words(5000)}}}}, words(200), time.Minute, 42 * time.Minute},
		{"an episode without a length", &content.Item{Kind: content.Episode, Episode: &content.EpisodeFields{Paragraphs: []vtt.Paragraph{{Text: words(1800)}}}}, words(200), 10 * time.Minute, 0},
	}
	for _, tt := range tests {
		got := packTime(tt.it, tt.text)
		if got.Read != tt.read || got.Listen != tt.listen {
			t.Errorf("%s: read %v, listen %v; want %v, %v", tt.name, got.Read, got.Listen, tt.read, tt.listen)
		}
	}
}
