package site

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"strings"
	"sync/atomic"

	"github.com/otpress/otpress/generator/internal/card"
	"github.com/otpress/otpress/generator/internal/render"
)

// cardsDrawn counts the cards drawn (not kept from the last run), for
// tests.
var cardsDrawn atomic.Int64

// setCards turns on the cards for sharing ([pictures] cards, on unless
// the site turns it off): each page without a picture of its own gets a
// 1200×630 picture of its title and kind, in the site's brand colour with
// its name and logo (package card), drawn as the page is written.
func (b *builder) setCards() {
	if !b.cfg.Pictures.Cards {
		return
	}
	look := card.Card{Site: b.cfg.Title, Lang: b.cfg.Language, Brand: card.DefaultBrand}
	if c, ok := card.ParseHex(b.cfg.BrandColour); ok {
		look.Brand = c
	}
	if lg := b.cfg.Logo; strings.HasPrefix(lg, "/") {
		// a PNG or JPEG logo goes on the cards (an SVG one cannot be drawn
		// there); one that is missing is reported by the link check
		if file := rootFile(b.fsys, lg); file != "" {
			if data, err := fs.ReadFile(b.fsys, file); err == nil && (bytes.HasPrefix(data, []byte("\x89PNG")) || bytes.HasPrefix(data, []byte("\xff\xd8"))) {
				look.Logo = data
			}
		}
	}
	b.cardLook = &look
	b.rnd.SetCards(sha256.Sum256(fmt.Appendf(nil, "card %d\x00%s\x00%s\x00%v\x00%x", card.Version, look.Site, look.Lang, look.Brand, sha256.Sum256(look.Logo))))
}

// cardFile is the output file of the card of the page at pagePath.
func cardFile(pagePath string) string { return strings.TrimPrefix(render.CardPath(pagePath), "/") }

// pageCardFile is the output file of the card of the page written to
// out, "" for a file that is no page's index.html.
func pageCardFile(out string) string {
	dir, ok := strings.CutSuffix(out, "index.html")
	if !ok || (dir != "" && !strings.HasSuffix(dir, "/")) {
		return ""
	}
	return cardFile("/" + dir)
}

// pageCard writes the card p owns, unless the last run or build drew the
// same one (it is planned by its key, like a picture's copies) or it is
// in place already (reusePage linked it with its page).
func (b *builder) pageCard(p *render.Page) {
	if p.Card == nil || b.cardLook == nil {
		return
	}
	rel := cardFile(p.Path)
	if b.warm != nil && b.warm.has(rel) {
		return
	}
	c := *b.cardLook
	c.Title, c.Kind = p.Card.Title, p.Card.Kind
	err := b.putMade(rel, p.Card.Key, func() ([]byte, error) {
		cardsDrawn.Add(1)
		return card.Draw(c)
	})
	if err != nil {
		b.fail(err)
	}
}
