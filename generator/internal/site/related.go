package site

import (
	"crypto/sha256"
	"encoding/binary"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// A Session keeps each item's related list between runs, by its file, with
// a key of everything taxonomy.Related works it out from: the item's
// address and date, how many items there are, and for each of its themes
// the slug, title and who is under it (each member's address, date and
// kind, in order). A run whose key is the same takes the kept list, with
// the items and themes of its own library; an edit that moves one story
// works out again only the lists of the items sharing a theme it left or
// joined.
type relatedKept struct {
	key  [32]byte
	list []taxonomy.Related
}

// memberKeys are the keys of who is under each theme, for relatedKey.
func memberKeys(themes []*taxonomy.Theme) map[*taxonomy.Theme][32]byte {
	keys := make(map[*taxonomy.Theme][32]byte, len(themes))
	var buf []byte
	for _, th := range themes {
		buf = buf[:0]
		for _, it := range th.Items {
			buf = append(buf, it.Path...)
			buf = append(buf, 0, byte(len(it.Kind)))
			buf = append(buf, it.Kind...)
			buf = binary.LittleEndian.AppendUint64(buf, uint64(it.Date.UnixNano()))
		}
		keys[th] = sha256.Sum256(buf)
	}
	return keys
}

// relatedKey is the key of an item's related list.
func (b *builder) relatedKey(it *content.Item) [32]byte {
	buf := make([]byte, 0, 256)
	buf = append(buf, it.Path...)
	buf = append(buf, 0)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(it.Date.UnixNano()))
	buf = binary.LittleEndian.AppendUint64(buf, uint64(len(b.lib.Items)))
	for _, th := range b.themes.Of(it) {
		k := b.memberKeys[th]
		buf = append(buf, th.Slug...)
		buf = append(buf, 0)
		buf = append(buf, th.Title...)
		buf = append(buf, 0)
		buf = append(buf, k[:]...)
	}
	return sha256.Sum256(buf)
}

// related is an item's related list: in a Session, the kept one when its
// key is the same; in a warm build, the last build's.
func (b *builder) related(it *content.Item) []taxonomy.Related {
	if b.kept == nil {
		if b.warm != nil && b.warm.lists != nil {
			return b.warm.related(b, it) // the last build's, by the same key
		}
		return b.themes.Related(it, taxonomy.DefaultRelated)
	}
	key := b.relatedKey(it)
	if v, ok := b.kept.related.Load(it.File); ok && v.(relatedKept).key == key {
		if list, ok := b.ownRelated(v.(relatedKept).list); ok {
			return list
		}
	}
	list := b.themes.Related(it, taxonomy.DefaultRelated)
	b.kept.related.Store(it.File, relatedKept{key: key, list: list})
	return list
}

// ownRelated is a kept related list with this run's items and themes.
func (b *builder) ownRelated(kept []taxonomy.Related) ([]taxonomy.Related, bool) {
	out := make([]taxonomy.Related, len(kept))
	for i, r := range kept {
		out[i] = taxonomy.Related{Item: b.byFile[r.Item.File], Score: r.Score, Shared: make([]*taxonomy.Theme, len(r.Shared))}
		if out[i].Item == nil {
			return nil, false
		}
		for j, th := range r.Shared {
			if out[i].Shared[j] = b.themes.Get(th.Slug); out[i].Shared[j] == nil {
				return nil, false
			}
		}
	}
	return out, true
}
