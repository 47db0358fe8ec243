package content

// The front-matter fields of each kind of page: the keys the decoder
// knows (and warns about when a key is not one of them), and what the
// browser editor (package edit) builds its forms from. A new key is added
// here, with its label and hint, and read in decode.go or load.go.

// FieldType is what a front-matter field holds, as a form asks for it.
type FieldType uint8

const (
	Line     FieldType = iota // one line of text
	Para                      // a paragraph of text
	Day                       // a date (or date and time)
	Flag                      // true or false
	Whole                     // a whole number
	Lines                     // a list of one-line texts, in order
	Names                     // theme names, chosen from the site's themes or new
	WorkID                    // the id of a source in the site's list
	Choice                    // one of Choices
	Rows                      // a list of sets of fields (Sub): outcomes, hosts
	Group                     // one set of fields (Sub): image, audio
	Number                    // a number, such as a score
	Other                     // kept as written; edited in the file
	ItemRef                   // a story, episode or feature of the site: stories/denis
	LineList                  // a list typed one entry a line, in a row
)

var fieldTypes = [...]string{"Line", "Para", "Day", "Flag", "Whole", "Lines", "Names", "WorkID", "Choice", "Rows", "Group", "Number", "Other", "ItemRef", "LineList"}

func (t FieldType) String() string { return fieldTypes[t] }

// FieldSpec is one front-matter key of a kind of page.
type FieldSpec struct {
	Key   string
	Type  FieldType
	Label string // what a form calls it
	Hint  string // one line on what it is for, with an example
	Sub   []FieldSpec
	// Choices are the values a Choice field may take, the first the default.
	Choices []string
	// Required fields must be given for the page to build.
	Required bool
	// More fields are rarely changed: a form folds them away.
	More bool
	// Bare, for Rows, says an entry may be written as its first field's
	// value alone: "- stories/denis" for "- ref: stories/denis"; for a
	// Group, the same of the whole: "audio: episode.mp3".
	Bare bool
}

var (
	imageFields = []FieldSpec{
		{Key: "src", Type: Line, Label: "Picture file", Hint: "A file beside the page, in static/, or a web address", Required: true},
		{Key: "alt", Type: Line, Label: "Text alternative", Hint: "What the picture shows, for readers who cannot see it; leave empty only if it adds nothing the text does not say", Required: true},
		{Key: "focus", Type: Line, Label: "Focus", Hint: "The point a crop keeps in view, across then down: 30% 40%"},
	}
	outcomeFields = []FieldSpec{
		{Key: "measure", Type: Line, Label: "Measure", Hint: "A measure named in site.toml, such as COPM performance", Required: true},
		{Key: "before", Type: Number, Label: "Before", Required: true},
		{Key: "after", Type: Number, Label: "After", Required: true},
		{Key: "unit", Type: Line, Label: "Unit", Hint: "points, metres, days"},
		{Key: "note", Type: Line, Label: "Note"},
	}
	personFields = []FieldSpec{
		{Key: "name", Type: Line, Label: "Name", Required: true},
		{Key: "role", Type: Line, Label: "Role", Hint: "Occupational therapist, Team lead"},
	}
	sourceFields = []FieldSpec{
		{Key: "id", Type: WorkID, Label: "Source", Required: true},
		{Key: "relation", Type: Choice, Label: "How it is used", Choices: relations},
		{Key: "locator", Type: Line, Label: "Where in it", Hint: "p. 15, or 12:30 in a recording"},
	}
	packItemFields = []FieldSpec{
		{Key: "ref", Type: ItemRef, Label: "Story, episode or feature", Hint: "Type a few words of its title to find it", Required: true},
		{Key: "note", Type: Para, Label: "Why it is here"},
		{Key: "questions", Type: LineList, Label: "Questions to discuss", Hint: "One a line"},
	}
	audioFields = []FieldSpec{
		{Key: "src", Type: Line, Label: "Sound file", Required: true},
		{Key: "type", Type: Line, Label: "Media type", Hint: "Only for a sound file on another site: audio/mpeg"},
		{Key: "bytes", Type: Whole, Label: "Size in bytes", Hint: "Only for a sound file on another site"},
	}

	commonFields = []FieldSpec{
		{Key: "title", Type: Line, Label: "Title", Hint: "What readers see first, in lists and at the top of the page", Required: true},
		{Key: "date", Type: Day, Label: "Date", Hint: "When it was published; a date after today keeps it off the site until then", Required: true},
		{Key: "updated", Type: Day, Label: "Updated", Hint: "When it last changed in a way readers should know", More: true},
		{Key: "expires", Type: Day, Label: "Expires", Hint: "The day it leaves the site; leave empty to keep it", More: true},
		{Key: "summary", Type: Para, Label: "Summary", Hint: "One or two sentences, shown in lists and search results"},
		{Key: "themes", Type: Names, Label: "Themes", Hint: "What it is about, such as co-production or rehab potential"},
		{Key: "tags", Type: Other, Label: "Tags", More: true},
		{Key: "draft", Type: Flag, Label: "Draft", Hint: "A draft is shown in the preview only, never published"},
		{Key: "slug", Type: Line, Label: "Address", Hint: "The last part of the page's address; leave empty to use the file's name", More: true},
		{Key: "aliases", Type: Lines, Label: "Old addresses", Hint: "Addresses that lead here, such as /news/denis/", More: true},
		{Key: "authors", Type: Lines, Label: "Authors"},
		{Key: "image", Type: Group, Label: "Picture", Sub: imageFields},
		{Key: "sources", Type: Rows, Label: "Sources", Hint: "The works it is based on, cites or mentions, from the site's list of sources", Sub: sourceFields, Bare: true},
	}
	storyFields = []FieldSpec{
		{Key: "person", Type: Line, Label: "Person", Hint: "Who the story is about, as they agreed to be named: Denis, 82"},
		{Key: "setting", Type: Line, Label: "Setting", Hint: "Where the work happened: at home, in a community rehab team"},
		{Key: "goals", Type: Lines, Label: "Goals", Hint: "What the person wanted to do again, in their words"},
		{Key: "steps", Type: Lines, Label: "Steps", Hint: "What was done, in order"},
		{Key: "outcomes", Type: Rows, Label: "Outcomes", Hint: "Measured changes, before and after", Sub: outcomeFields},
	}
	episodeFields = []FieldSpec{
		{Key: "episode", Type: Whole, Label: "Episode number"},
		{Key: "season", Type: Whole, Label: "Season"},
		{Key: "audio", Type: Group, Label: "Sound", Sub: audioFields, Bare: true},
		{Key: "duration", Type: Line, Label: "Duration", Hint: "Hours, minutes and seconds: 1:06:30"},
		{Key: "transcript", Type: Line, Label: "Transcript file", Hint: "A WebVTT or SubRip file beside the page: transcript.vtt"},
		{Key: "hosts", Type: Rows, Label: "Hosts", Sub: personFields},
		{Key: "guests", Type: Rows, Label: "Guests", Sub: personFields},
		{Key: "guid", Type: Other, Label: "Feed id", More: true},
		{Key: "chapters", Type: Other, Label: "Chapters", More: true},
	}
	themeFields = []FieldSpec{
		{Key: "title", Type: Line, Label: "Name", Hint: "The theme's name as readers see it", Required: true},
		{Key: "summary", Type: Para, Label: "Summary", Hint: "One sentence on what the theme covers"},
		{Key: "aliases", Type: Lines, Label: "Other names", Hint: "Names and spellings that mean this theme: coproduction"},
		{Key: "broader", Type: Line, Label: "Wider theme", Hint: "The theme this one belongs to: personalised-care"},
	}
	packFields = []FieldSpec{
		{Key: "title", Type: Line, Label: "Title", Required: true},
		{Key: "summary", Type: Para, Label: "Summary", Hint: "What the pack covers and when to use it"},
		{Key: "audience", Type: Line, Label: "Audience", Hint: "Community OT teams and new starters"},
		{Key: "outcomes", Type: Lines, Label: "Learning outcomes"},
		{Key: "items", Type: Rows, Label: "Items", Hint: "The stories, episodes and features in the pack, in the order learners meet them", Sub: packItemFields, Required: true, Bare: true},
		{Key: "questions", Type: Lines, Label: "Questions for discussion"},
		{Key: "themes", Type: Names, Label: "Themes"},
		{Key: "draft", Type: Flag, Label: "Draft", Hint: "A draft is shown in the preview only, never published"},
		{Key: "slug", Type: Line, Label: "Address", Hint: "The last part of the pack's address; leave empty to use the file's name", More: true},
	}
	sectionFields = []FieldSpec{
		{Key: "title", Type: Line, Label: "Title"},
		{Key: "summary", Type: Para, Label: "Summary"},
	}
	homeFields = append(sectionFields[:len(sectionFields):len(sectionFields)], FieldSpec{Key: "featured_pack", Type: Line, Label: "Featured pack", Hint: "The pack the home page offers: packs/personalised-care"})
)

// Fields returns the front-matter fields of a kind of page: "story",
// "episode", "feature", "theme", "pack", "section", "home" or "page".
func Fields(kind string) []FieldSpec {
	switch kind {
	case string(Story):
		return append(commonFields[:len(commonFields):len(commonFields)], storyFields...)
	case string(Episode):
		return append(commonFields[:len(commonFields):len(commonFields)], episodeFields...)
	case string(Feature):
		return commonFields
	case "theme":
		return themeFields
	case "pack":
		return packFields
	case "section", "page":
		return sectionFields
	case "home":
		return homeFields
	}
	return nil
}

// keys lists the keys of fields.
func keys(fields []FieldSpec) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Key
	}
	return out
}
