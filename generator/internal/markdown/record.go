package markdown

import "fmt"

// Render's output depends on the document's bytes, the renderer's options
// and the answers of the Doc's callbacks, nothing else. A build that keeps
// rendered documents between runs records the answers (Recording) and,
// when the bytes are the same next time, asks the same questions again
// (Answers.Same): if every answer is as recorded, the kept Result is what
// Render would give.

// Call is one question a Doc's callback was asked, with its answer.
type Call struct {
	Kind Callback
	In   [2]string // Link: the destination; Picture: it and its "line:col"; Cite: id and locator
	// the answer: Link's destination in Out[0]; Picture's width and
	// height in W, H, its error's text in Out[0] (OK: there is one) and
	// its Src, Srcset, WebPSrcset and Sizes in Out[1:]; Cite's Cited in
	// Out (HTML, Text, Href, Hint) and OK
	Out  [5]string
	W, H int
	OK   bool
}

// Callback names a Doc's callback.
type Callback uint8

const (
	LinkCall Callback = iota + 1
	PictureCall
	CiteCall
)

// Answers are the questions a rendering asked, in order, and which
// callbacks its Doc had.
type Answers struct {
	Has   uint8 // bit Callback-1 for each callback set
	Calls []Call
}

func (d Doc) has() uint8 {
	var has uint8
	for i, set := range []bool{d.Link != nil, d.Picture != nil, d.Cite != nil} {
		if set {
			has |= 1 << i
		}
	}
	return has
}

// Recording returns d with each callback wrapped to append its questions
// and answers to the Answers returned, for one Render at a time.
func (d Doc) Recording() (Doc, *Answers) {
	a := &Answers{Has: d.has()}
	if link := d.Link; link != nil {
		d.Link = func(dest string) string {
			out := link(dest)
			a.Calls = append(a.Calls, Call{Kind: LinkCall, In: [2]string{dest}, Out: [5]string{out}})
			return out
		}
	}
	if picture := d.Picture; picture != nil {
		d.Picture = func(dest string, line, col int) (Picture, error) {
			p, err := picture(dest, line, col)
			c := Call{Kind: PictureCall, In: [2]string{dest, fmt.Sprintf("%d:%d", line, col)}, W: p.Width, H: p.Height, Out: p.answer(err)}
			c.OK = err != nil
			a.Calls = append(a.Calls, c)
			return p, err
		}
	}
	if cite := d.Cite; cite != nil {
		d.Cite = func(id, locator string) (Cited, bool) {
			c, ok := cite(id, locator)
			a.Calls = append(a.Calls, Call{Kind: CiteCall, In: [2]string{id, locator}, Out: [5]string{c.HTML, c.Text, c.Href, c.Hint}, OK: ok})
			return c, ok
		}
	}
	return d, a
}

// Same asks d's callbacks the recorded questions in order and reports
// whether every answer is the recorded one; d must have the callbacks the
// recorded Doc had. The callbacks' side effects happen as they did in the
// rendering.
func (a *Answers) Same(d Doc) bool {
	if d.has() != a.Has {
		return false
	}
	for _, c := range a.Calls {
		switch c.Kind {
		case LinkCall:
			if d.Link(c.In[0]) != c.Out[0] {
				return false
			}
		case PictureCall:
			var line, col int
			fmt.Sscanf(c.In[1], "%d:%d", &line, &col)
			p, err := d.Picture(c.In[0], line, col)
			if p.Width != c.W || p.Height != c.H || (err != nil) != c.OK || p.answer(err) != c.Out {
				return false
			}
		case CiteCall:
			got, ok := d.Cite(c.In[0], c.In[1])
			if ok != c.OK || [5]string{got.HTML, got.Text, got.Href, got.Hint} != c.Out {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// answer is what a recording keeps of Picture's answer besides the size.
func (p Picture) answer(err error) [5]string {
	out := [5]string{"", p.Src, p.Srcset, p.WebPSrcset, p.Sizes}
	if err != nil {
		out[0] = err.Error()
	}
	return out
}
