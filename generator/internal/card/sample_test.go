package card

import (
	"image/color"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteSamples writes sample cards to $CARD_SAMPLES, for looking at.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("CARD_SAMPLES")
	if dir == "" {
		t.Skip("set CARD_SAMPLES=DIR to write sample cards")
	}
	logo, _ := os.ReadFile(os.Getenv("CARD_LOGO"))
	for name, c := range samples(logo) {
		b, err := Draw(c)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func samples(logo []byte) map[string]Card {
	return map[string]Card{
		"story":  {Title: "Getting back to the allotment after a stroke: Margaret’s story", Kind: "Story", Site: "OT Evidence Stories", Logo: logo, Lang: "en-GB"},
		"short":  {Title: "Rehab", Kind: "Episode", Site: "OT Evidence Stories", Lang: "en-GB"},
		"long":   {Title: "A very long title that goes on and on about co-production in community mental health services, social prescribing, rehab potential, and the many ways occupational therapists work with people and families over months and years, which no card could ever show whole", Kind: "Learning pack", Site: "Royal College of Occupational Therapists – Evidence and Stories for Practice", Logo: logo, Lang: "en-GB"},
		"welsh":  {Title: "Ŵyr a wyresau: gwŷr a gwragedd yn dysgu â’i gilydd", Kind: "Stori", Site: "Straeon Therapi Galwedigaethol", Lang: "cy", Brand: color.RGBA{0x8a, 0x1c, 0x2b, 0xff}},
		"arabic": {Title: "العلاج الوظيفي في المجتمع: قصة العودة إلى العمل", Kind: "قصة", Site: "قصص العلاج الوظيفي", Lang: "ar", Logo: logo},
		"light":  {Title: "Social prescribing in primary care", Kind: "Feature", Site: "OT News", Brand: color.RGBA{0xf2, 0xc9, 0x4c, 0xff}, Lang: "en-GB", Logo: logo},
		"mixed":  {Title: "Co-production مع العائلات and families", Kind: "Theme", Site: "OT Evidence Stories", Lang: "en"},
	}
}
