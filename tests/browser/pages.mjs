// The pages of a built site, for the browser tests that walk them all
// (a11y.mjs, layout.mjs).
import fs from 'node:fs';
import path from 'node:path';

// htmlPages lists a built site's pages: their address, their template (the
// body's page-KIND class) and whether they only redirect.
export function htmlPages(dir) {
  const out = [];
  (function walk(d) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      // pages; not a pack's offline copy (packs/x/x.html), which carries its
      // styles inside for opening from disk, and packs.mjs checks apart
      else if (e.name === 'index.html' || e.name === '404.html') out.push(p);
    }
  })(dir);
  return out.sort().map(p => {
    const rel = '/' + path.relative(dir, p).split(path.sep).join('/');
    const html = fs.readFileSync(p, 'utf8');
    const kind = (html.match(/<body class="?page-([a-z0-9]+)/) || [])[1] || 'unknown';
    return { url: rel.endsWith('/index.html') ? rel.slice(0, -'index.html'.length) : rel, kind, redirect: /http-equiv="?refresh/i.test(html) };
  });
}

// sample keeps every page on small sites; on large ones, one page of each
// template plus an even spread, up to max.
export function sample(pages, max) {
  if (pages.length <= max) return pages;
  const chosen = new Map();
  const kinds = new Set();
  for (const p of pages) if (!kinds.has(p.kind)) { kinds.add(p.kind); chosen.set(p.url, p); }
  const step = pages.length / (max - chosen.size);
  for (let i = 0; chosen.size < max && i < pages.length; i += step) chosen.set(pages[Math.floor(i)].url, pages[Math.floor(i)]);
  return [...chosen.values()];
}
