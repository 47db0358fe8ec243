package markdown

// Render's output depends on the document's bytes, the renderer's options
// and the answers of the Doc's callbacks, nothing else. A build that keeps
// rendered documents between runs records the answers (Recording) and,
// when the bytes are the same next time, asks the same questions again
// (Answers.Same): if every answer is as recorded, the kept Result is what
// Render would give.

// Call is one question a Doc's callback was asked, with its answer.
type Call struct {
	Kind Callback
	In   [2]string // Link and PictureSize: the destination; Cite: id and locator
	// the answer: Link's destination in Out[0]; PictureSize's width and
	// height in W, H and its error's text in Out[0]; Cite's Cited in Out
	// (HTML, Text, Href, Hint) and OK
	Out  [4]string
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
	for i, set := range []bool{d.Link != nil, d.PictureSize != nil, d.Cite != nil} {
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
			a.Calls = append(a.Calls, Call{Kind: LinkCall, In: [2]string{dest}, Out: [4]string{out}})
			return out
		}
	}
	if size := d.PictureSize; size != nil {
		d.PictureSize = func(dest string) (int, int, error) {
			w, h, err := size(dest)
			c := Call{Kind: PictureCall, In: [2]string{dest}, W: w, H: h}
			if err != nil {
				c.Out[0], c.OK = err.Error(), true
			}
			a.Calls = append(a.Calls, c)
			return w, h, err
		}
	}
	if cite := d.Cite; cite != nil {
		d.Cite = func(id, locator string) (Cited, bool) {
			c, ok := cite(id, locator)
			a.Calls = append(a.Calls, Call{Kind: CiteCall, In: [2]string{id, locator}, Out: [4]string{c.HTML, c.Text, c.Href, c.Hint}, OK: ok})
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
			w, h, err := d.PictureSize(c.In[0])
			if w != c.W || h != c.H || (err != nil) != c.OK || (err != nil && err.Error() != c.Out[0]) {
				return false
			}
		case CiteCall:
			got, ok := d.Cite(c.In[0], c.In[1])
			if ok != c.OK || [4]string{got.HTML, got.Text, got.Href, got.Hint} != c.Out {
				return false
			}
		default:
			return false
		}
	}
	return true
}
