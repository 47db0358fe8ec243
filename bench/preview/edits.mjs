// The edits bench/preview's scripts save, as an editor would make them:
//   body   a line of text added
//   title  a word added to the title
//   theme  the first theme replaced by one the story does not have; the
//          page then links the new theme (otpress /themes/x/, Hugo /tags/x/),
//          and the story moves between theme pages, lists and feeds
// change returns the edited file and what the page shows once the edit is
// in: a text, or for a theme the path of the link to look for.

// themes the generator uses, as slugs (both sites accept slugs)
const THEMES = ['stroke', 'dementia', 'hand-therapy', 'falls-prevention', 'mental-health', 'social-prescribing', 'workforce', 'research'];
const slugOf = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export function change(src, i, edit, mode = 'otpress') {
  const mark = `Latencymark${i}x${Date.now()}`;
  if (edit === 'title') return [src.replace(/^title: "(.*)"$/m, `title: "$1 ${mark}"`), mark];
  if (edit === 'theme') {
    const list = src.match(/^(?:themes|tags):\n((?:  - .*\n)+)/m);
    const have = list[1].split('\n').filter(Boolean).map((l) => slugOf(l.replace(/^  - "?|"$/g, '')));
    const to = THEMES.find((t) => !have.includes(t));
    return [src.replace(list[1], list[1].replace(/^  - .*$/m, `  - "${to}"`)), `/${mode === 'hugo' ? 'tags' : 'themes'}/${to}/`];
  }
  return [src + `\n${mark}\n`, mark];
}
