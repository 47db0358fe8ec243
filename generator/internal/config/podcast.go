package config

import (
	"net/mail"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/otpress/otpress/generator/internal/diag"
)

// appleCategories are Apple Podcasts' categories and their subcategories,
// as podcast apps expect them in itunes:category.
var appleCategories = map[string][]string{
	"Arts":                    {"Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"},
	"Business":                {"Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"},
	"Comedy":                  {"Comedy Interviews", "Improv", "Stand-Up"},
	"Education":               {"Courses", "How To", "Language Learning", "Self-Improvement"},
	"Fiction":                 {"Comedy Fiction", "Drama", "Science Fiction"},
	"Government":              nil,
	"History":                 nil,
	"Health & Fitness":        {"Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality"},
	"Kids & Family":           {"Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"},
	"Leisure":                 {"Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies", "Home & Garden", "Video Games"},
	"Music":                   {"Music Commentary", "Music History", "Music Interviews"},
	"News":                    {"Business News", "Daily News", "Entertainment News", "News Commentary", "Politics", "Sports News", "Tech News"},
	"Religion & Spirituality": {"Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion", "Spirituality"},
	"Science":                 {"Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics", "Natural Sciences", "Nature", "Physics", "Social Sciences"},
	"Society & Culture":       {"Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships"},
	"Sports":                  {"Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf", "Hockey", "Rugby", "Running", "Soccer", "Swimming", "Tennis", "Volleyball", "Wilderness", "Wrestling"},
	"Technology":              nil,
	"True Crime":              nil,
	"TV & Film":               {"After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"},
}

// check validates the [podcast] table; at finds a key's line and column.
func (p *Podcast) check(at func(string) (int, int)) []*diag.Problem {
	var probs []*diag.Problem
	bad := func(key, hint, format string, args ...any) {
		l, c := at("podcast." + key)
		probs = append(probs, diag.Errorf(File, l, c, format, args...).WithHint("%s", hint))
	}
	var names []string
	for name := range appleCategories {
		names = append(names, name)
	}
	slices.Sort(names)
	subs, ok := appleCategories[p.Category]
	switch {
	case !ok:
		hint := "use one of Apple Podcasts' categories: " + strings.Join(names, ", ")
		if near := diag.Nearest(p.Category, names); near != "" {
			hint = "did you mean \"" + near + "\"? Apple Podcasts' categories are " + strings.Join(names, ", ")
		}
		bad("category", hint, "podcast category %q is not one of Apple Podcasts' categories", p.Category)
	case p.Subcategory != "" && !slices.Contains(subs, p.Subcategory):
		hint := "leave subcategory out: " + p.Category + " has none"
		if len(subs) > 0 {
			hint = "under " + p.Category + " use one of: " + strings.Join(subs, ", ")
			if near := diag.Nearest(p.Subcategory, subs); near != "" {
				hint = "did you mean \"" + near + "\"? " + hint
			}
		}
		bad("subcategory", hint, "podcast subcategory %q is not a subcategory of %q", p.Subcategory, p.Category)
	}
	if p.Type != "episodic" && p.Type != "serial" {
		bad("type", `write type = "episodic" when episodes stand alone (newest first), or "serial" when they are heard in order`, "podcast type %q is neither episodic nor serial", p.Type)
	}
	if p.GUID != "" {
		if _, err := uuid.Parse(p.GUID); err != nil {
			bad("guid", "copy the guid the build suggests, or remove the line to have one worked out from the feed's address", "podcast guid %q is not a UUID", p.GUID)
		}
	}
	if p.OwnerEmail != "" {
		if a, err := mail.ParseAddress(p.OwnerEmail); err != nil || a.Address != p.OwnerEmail {
			bad("owner_email", `write a bare address, e.g. owner_email = "podcast@example.org"`, "podcast owner_email %q is not an email address", p.OwnerEmail)
		}
	}
	if p.Image != "" {
		switch strings.ToLower(path.Ext(p.Image)) {
		case ".png", ".jpg", ".jpeg":
		default:
			bad("image", `give the cover art as a PNG or JPEG file, e.g. image = "/podcast-cover.png" for static/podcast-cover.png`, "podcast image %q is not a PNG or JPEG file", p.Image)
		}
		if !strings.Contains(p.Image, "://") && !strings.HasPrefix(p.Image, "/") {
			bad("image", `write the path from the site's root, e.g. image = "/podcast-cover.png" for static/podcast-cover.png`, "podcast image %q is not a site path", p.Image)
		}
	}
	for _, l := range p.Links {
		if u, err := url.Parse(l); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			bad("links", `give each link as the show's full web address in the app, e.g. links = ["https://podcasts.apple.com/gb/podcast/id123"]`, "podcast link %q is not a web address", l)
		}
	}
	return probs
}
