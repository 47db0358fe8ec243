package harvard

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/otpress/otpress/generator/internal/content"
)

var updateHarvard = flag.Bool("update", false, "rewrite testdata/harvard.golden")

// harvardWorks has a work of every type and the cases the house style
// treats apart: organisations, no author, no date, several authors, a
// DOI, an edition, an Act, a title ending in a question mark, and two
// works of one author and year.
var harvardWorks = []*content.Work{
	{ID: "otnews-2019-04", Type: "article-magazine", Title: "Personalised care", ContainerTitle: "OTnews", Issued: content.Date{Year: 2019, Month: 4}, Page: "15",
		Author: []content.Name{{Family: "Sanderson", Given: "James"}}},
	{ID: "otnews-2019-02", Type: "article-magazine", Title: "Personalised care", ContainerTitle: "OTnews", Issue: "February 2019", Issued: content.Date{Year: 2019, Month: 2}, Page: "15-16"},
	{ID: "bjot-2020", Type: "article-journal", Title: "Graded steps at home", ContainerTitle: "British Journal of Occupational Therapy", Volume: "83", Issue: "2", Page: "101-109", Issued: content.Date{Year: 2020},
		Author: []content.Name{{Family: "Moss", Given: "Anna-Marie"}, {Family: "Tran", Given: "Bo"}, {Family: "Okafor", Given: "Chi Chi"}}, DOI: "10.1177/0308022619000001"},
	{ID: "big-team-2021", Type: "article-journal", Title: "Who decides?", ContainerTitle: "Journal of Practice", Issued: content.Date{Year: 2021},
		Author: []content.Name{{Family: "Ahmed", Given: "A."}, {Family: "Brown", Given: "B."}, {Family: "Clark", Given: "C."}, {Family: "Dunn", Given: "D."}}},
	{ID: "iaap-72", Type: "broadcast", Title: "Rebuilding lives: Personalisation in Occupational Therapy", ContainerTitle: "It's All About People", Number: "72"},
	{ID: "hosted-2021", Type: "broadcast", Title: "Small steps", ContainerTitle: "OT Talks", Number: "5", Issued: content.Date{Year: 2021, Month: 3, Day: 14},
		Host: []content.Name{{Family: "Host", Given: "Sam"}}, URL: "https://example.org/ot-talks/5", Accessed: content.Date{Year: 2024, Month: 5, Day: 1}},
	{ID: "rcot-2019", Type: "report", Title: "Improving lives, saving money", Author: []content.Name{{Literal: "Royal College of Occupational Therapists"}},
		Publisher: "RCOT", PublisherPlace: "London", Issued: content.Date{Year: 2019}, URL: "https://example.org/report.pdf", Accessed: content.Date{Year: 2024, Month: 5, Day: 1}},
	{ID: "nhs-2019", Type: "webpage", Title: "Personalised care", ContainerTitle: "NHS England", Issued: content.Date{Year: 2019},
		URL: "https://example.org/personalised-care/", Accessed: content.Date{Year: 2024, Month: 5, Day: 1}},
	{ID: "creek-2014", Type: "book", Title: "Occupational therapy and mental health", Edition: "5", Publisher: "Churchill Livingstone", PublisherPlace: "Edinburgh", Issued: content.Date{Year: 2014},
		Editor: []content.Name{{Family: "Bryant", Given: "Wendy"}, {Family: "Fieldhouse", Given: "Jon"}}},
	{ID: "duncan-2011", Type: "chapter", Title: "The person-environment-occupation model", ContainerTitle: "Foundations for practice in occupational therapy", Page: "81-90",
		Author: []content.Name{{Family: "Duncan", Given: "Edward A. S."}}, Editor: []content.Name{{Family: "Duncan", Given: "Edward"}},
		Publisher: "Elsevier", PublisherPlace: "Edinburgh", Issued: content.Date{Year: 2011}},
	{ID: "bsi-2018", Type: "standard", Title: "Design of an accessible and inclusive built environment", Number: "BS 8300-2:2018",
		Author: []content.Name{{Literal: "British Standards Institution"}}, Publisher: "BSI", PublisherPlace: "London", Issued: content.Date{Year: 2018}},
	{ID: "care-act-2014", Type: "legislation", Title: "Care Act 2014", Number: "c. 23", Issued: content.Date{Year: 2014},
		URL: "https://www.legislation.gov.uk/ukpga/2014/23", Accessed: content.Date{Year: 2024, Month: 5, Day: 1}},
	{ID: "ons-2021", Type: "dataset", Title: "Disability, England and Wales", Author: []content.Name{{Literal: "Office for National Statistics"}}, Publisher: "ONS", Issued: content.Date{Year: 2021}},
	{ID: "inline-doc", Type: content.Document, Title: "A leaflet", Inline: true},
	{ID: "inline-publication-only", Type: "article-magazine", ContainerTitle: "OTnews", Issue: "April 2019", Page: "15", Inline: true},
}

// TestHarvardGolden formats every work in full, in the text, with a
// locator, and in HTML, and compares them with testdata/harvard.golden
// (go test -update rewrites it; review the diff).
func TestHarvardGolden(t *testing.T) {
	bib := NewBibliography(harvardWorks)
	var b strings.Builder
	for _, ref := range bib.All() {
		html, text, _ := bib.Short(ref.ID, "p. 15")
		full, _ := bib.Full(ref.ID, "p. 15")
		fmt.Fprintf(&b, "== %s (%s)\n%s\nin the text: (%s) (%s)\nHTML: %s\nshort HTML: %s\ncited at p. 15: %s\n\n", ref.ID, ref.Work.Type, ref.Text, ref.ShortText, text, ref.HTML, html, full)
	}
	got := b.String()
	const file = "testdata/harvard.golden"
	if *updateHarvard {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", file, d)
	}
}

func yearSuffix() string {
	b := NewBibliography([]*content.Work{
		{ID: "b", Type: "book", Title: "Second book", Author: []content.Name{{Family: "Smith", Given: "Jo"}}, Issued: content.Date{Year: 2020}},
		{ID: "a", Type: "book", Title: "A first book", Author: []content.Name{{Family: "Smith", Given: "Jo"}}, Issued: content.Date{Year: 2020}},
	})
	return b.Get("a").ShortText + "; " + b.Get("b").ShortText
}

// TestHarvardRules checks the points of the house style one by one.
func TestHarvardRules(t *testing.T) {
	bib := NewBibliography(harvardWorks)
	text := func(id string) string { return bib.Get(id).Text }
	for _, c := range []struct{ got, want string }{
		// a person under family name and initials, the year, the article in quotes, the magazine in italics
		{text("otnews-2019-04"), "Sanderson, J. (2019) ‘Personalised care’, *OTnews*, April, p. 15."},
		// no author: the title first; two works of one title and year are 2019a and 2019b
		{text("otnews-2019-02"), "‘Personalised care’ (2019) *OTnews*, February 2019, pp. 15–16."},
		{bib.Get("nhs-2019").Text, "NHS England (2019) *Personalised care*. Available at: https://example.org/personalised-care/ (Accessed: 1 May 2024)."},
		// three authors, hyphenated and double given names, a DOI
		{text("bjot-2020"), "Moss, A.-M., Tran, B. and Okafor, C.C. (2020) ‘Graded steps at home’, *British Journal of Occupational Therapy*, 83(2), pp. 101–109. Available at: https://doi.org/10.1177/0308022619000001."},
		{bib.Get("bjot-2020").ShortText, "Moss, Tran and Okafor, 2020"},
		{bib.Get("big-team-2021").ShortText, "Ahmed et al., 2021"},
		// no date
		{bib.Get("iaap-72").ShortText, "*Rebuilding lives: Personalisation in Occupational Therapy*, n.d."},
		// an organisation as author
		{bib.Get("rcot-2019").ShortText, "Royal College of Occupational Therapists, 2019"},
		// an Act is cited by its title
		{bib.Get("care-act-2014").ShortText, "*Care Act 2014*"},
		// two works of one author and year
		{yearSuffix(), "Smith, 2020a; Smith, 2020b"},
		// a title ending in a question mark takes no full stop after it
		{text("big-team-2021"), "Ahmed, A., Brown, B., Clark, C. and Dunn, D. (2021) ‘Who decides?’, *Journal of Practice*."},
	} {
		if c.got != c.want {
			t.Errorf("got  %s\nwant %s", c.got, c.want)
		}
	}
	// a page locator fills in the page of a work without one, so a work
	// named by id and the same written inline read alike
	issue := &content.Work{ID: "issue", Type: "article-magazine", Title: "Personalised care", ContainerTitle: "OTnews", Issue: "April 2019", Issued: content.Date{Year: 2019, Month: 4, Day: 1}}
	inline := *issue
	inline.ID, inline.Page, inline.Inline = "inline", "15", true
	byID, _ := NewBibliography([]*content.Work{issue}).Full("issue", "p. 15")
	written, _ := NewBibliography([]*content.Work{&inline}).Full("inline", "")
	if byID != written {
		t.Errorf("by id:  %s\ninline: %s", byID, written)
	}
	// HTML: titles in <cite>, text escaped, no style attributes
	h := string(NewBibliography([]*content.Work{{ID: "x", Type: "book", Title: "Tea & <toast>", Issued: content.Date{Year: 2020}}}).Get("x").HTML)
	if h != "<cite>Tea &amp; &lt;toast&gt;</cite> (2020)." {
		t.Errorf("HTML %s", h)
	}
}
