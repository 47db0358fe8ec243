package render

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Card is what the picture drawn for sharing a page (package card) shows
// of the page; the site's name, logo and colour are the same on every
// card (SetCards).
type Card struct {
	Title, Kind string
	Key         [32]byte // cardKey's, for the site to plan the card by
}

// CardPath is the site path of the card of the page at pagePath: "/" has
// /cards/index.png, "/stories/denis/" /cards/stories/denis.png.
func CardPath(pagePath string) string {
	p := strings.Trim(pagePath, "/")
	if p == "" {
		p = "index"
	}
	return "/cards/" + p + ".png"
}

// SetCards gives every page without a picture of its own a card as its
// og:image; sum is a fingerprint of what all cards show besides their
// page's title and kind, and of how they are drawn.
func (r *Renderer) SetCards(sum [32]byte) {
	r.cardSum = &sum
	r.site.cards = sum
}

// cardKey is a fingerprint of a card's picture, from its title and kind:
// the same key, the same bytes.
func (r *Renderer) cardKey(c Card) [32]byte {
	h := sha256.New()
	if r.cardSum != nil {
		h.Write(r.cardSum[:])
	}
	h.Write([]byte(c.Title))
	h.Write([]byte{0})
	h.Write([]byte(c.Kind))
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// card makes the card of the page at owner p's og:image, unless cards are
// off or p has a picture already: p's own card when owner is p's path (the
// site then draws it from p.Card), else that of the page at owner, such
// as the first page of p's list. The card shows title (p's title when
// empty) and kind. Its address carries its key, so a changed card is
// fetched again by those who keep the old one.
func (r *Renderer) card(p *Page, title, kind, owner string) {
	if r.cardSum == nil || p.OGImage != "" {
		return
	}
	c := Card{Title: cmp.Or(title, p.Title), Kind: kind}
	c.Key = r.cardKey(c)
	if owner == p.Path {
		p.Card = &c
	}
	key := c.Key
	p.OGImage = r.absolute(r.cfg.Link(CardPath(owner))) + "?v=" + hex.EncodeToString(key[:5])
	p.OGImageWidth, p.OGImageHeight = 1200, 630
	p.OGImageAlt = c.Title
	if kind != "" {
		p.OGImageAlt += " – " + kind
	}
	p.OGImageAlt += " – " + r.cfg.Title
}
