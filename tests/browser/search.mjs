// The search page in a real browser (Debian's Chromium driven by
// playwright-core), used the way a reader uses it: typing, filters, the
// keyboard, Back, the header search box, axe-core, and file://.
//
//   node search.mjs SITE_DIR [RELATIVE_SITE_DIR]
//
// SITE_DIR is the built example site (content/ at the repository root). It is
// served on 127.0.0.1 with the same strict Content-Security-Policy as
// a11y.mjs. RELATIVE_SITE_DIR is the same site built with --relative, the
// build meant to be opened from disk: its search page is opened through
// file://. Without it, the file:// check runs on SITE_DIR if that was built
// with relative links, and is skipped (SKIP line) otherwise. Every check
// prints a PASS or FAIL line; exit status 1 when any fails. The expected
// results below were read from content/: if the example content changes,
// they may need to change with it.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { serve } from './serve.mjs';
import fs from 'node:fs';
import path from 'node:path';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

const DENIS = '/stories/denis/', DYLAN = '/stories/dylan/', ROSE = '/stories/ways-to-wellbeing-client/';
const EPISODE = '/episodes/its-all-about-people-72/';
const SANDERSON = '/features/personalised-care-james-sanderson/', PRESCRIBING = '/features/personalised-care-social-prescribing/';

// Queries typed into the box, and the first result a practitioner expects.
const QUERIES = [
  { q: 'wheelchiar', first: [DYLAN], why: 'a typo (transposed letters)', fuzzy: true },
  { q: 'rehab pot', first: [EPISODE, DENIS], why: 'a prefix of the last word: both pages are about rehab potential' },
  { q: 'denis', first: [DENIS], why: 'a person' },
  { q: 'rose', first: [ROSE], why: 'a person (pseudonym)' },
  { q: 'social prescribing', first: [PRESCRIBING], why: 'a theme' },
  { q: 'cerebral palsy', first: [DYLAN], why: 'a condition' },
  { q: 'sara stedy', first: [DENIS, EPISODE], why: 'equipment in Denis\'s steps and in the episode\'s transcript' },
  { q: 'culture change', first: [SANDERSON], why: 'a theme and a heading of the feature' },
];

// --- reporting --------------------------------------------------------------
// Checks run in sections, a few at a time, each in a tab of its own; a
// section's PASS/FAIL lines are printed together when it ends, in order.
let passed = 0, failed = 0;
function checker(lines) {
  return (name, ok, detail) => {
    if (ok) { passed++; lines.push(`PASS ${name}`); } else { failed++; lines.push(`FAIL ${name}${detail ? ` — ${detail}` : ''}`); }
    return ok;
  };
}
const sections = [];
// section adds a group of checks; fn gets its check function and a fresh
// tab (in context, a function returning a browser context, by default the
// shared 1280 px light one). An exception fails the group, not the run.
function section(name, fn, context = () => shared) {
  if (process.env.SEARCH_ONLY && !name.includes(process.env.SEARCH_ONLY)) return; // SEARCH_ONLY=keyboard: one group
  sections.push(async () => {
    const lines = [], check = checker(lines), t0 = Date.now();
    const ctx = await context(), page = await ctx.newPage();
    try { await fn(check, page, lines); } catch (e) { check(`${name}: the check could not run`, false, e.message.split('\n')[0]); }
    await (ctx === shared ? page.close() : ctx.close());
    lines.push(`   (${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return lines;
  });
}
// runSections runs every section, n at a time, printing each one's lines
// in the order the sections were added.
async function runSections(n) {
  const done = sections.map(() => null);
  let next = 0, printed = 0;
  const flush = () => { while (printed < done.length && done[printed]) console.log(done[printed++].join('\n')); };
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < sections.length) {
      const i = next++;
      done[i] = await sections[i]();
      flush();
    }
  }));
  flush();
}


// withoutShardRows serves page the index's shards without the rows they
// carry (each stem's first results'), so that every row comes from a row
// file or a pack.
async function withoutShardRows(page) {
  await page.route(/\/search\/data\/s\d+\.js$/, async route => {
    const res = await route.fetch(), text = await res.text();
    const k = text.slice(text.indexOf('(') + 1, text.indexOf(','));
    const shard = JSON.parse(text.slice(text.indexOf(',') + 1, text.lastIndexOf(')')));
    delete shard.t;
    delete shard.tr;
    await route.fulfill({ response: res, body: `otpressSearch.s(${k},${JSON.stringify(shard)});` });
  });
}

// manifest is the site's search manifest, m.js.
function manifest() {
  const m = fs.readFileSync(path.join(siteDir, 'search', 'data', 'm.js'), 'utf8');
  return JSON.parse(m.slice(m.indexOf('(') + 1, m.lastIndexOf(')')));
}


// allRows is every row of the index, from its row files, in order.
function allRows() {
  const dir = path.join(siteDir, 'search', 'data'), rows = [];
  for (let k = 0; fs.existsSync(path.join(dir, `r${k}.js`)); k++) {
    const r = fs.readFileSync(path.join(dir, `r${k}.js`), 'utf8');
    rows.push(...JSON.parse(r.slice(r.indexOf(',') + 1, r.lastIndexOf(')'))));
  }
  return rows;
}

// --- the page, as the test sees it ------------------------------------------------
// snap reads the search page's state: status text, results, URL, focus.
async function snap(page) {
  const s = await page.evaluate(() => {
    const status = document.getElementById('search-status');
    const items = [...document.querySelectorAll('#search-results > li')].map(li => ({
      href: li.querySelector('h3 a')?.href,
      meta: li.querySelector('.meta')?.textContent || '',
      excerpt: li.querySelector('p.quote, p.excerpt'),
    })).map(i => ({ ...i, marks: i.excerpt ? [...i.excerpt.querySelectorAll('mark')].map(m => m.textContent) : [], excerpt: i.excerpt?.textContent || '' }));
    const m = status.textContent.match(/^(No results|1 result|(\d+) results)(?: for (.+?))?(?:, each with some of the words: no page has them all)?(, including close spellings)?(, filtered)?(?:; the first \d+ are listed)?\.(?: Also [^.]+\.)?$/);
    return {
      status: status.textContent,
      count: m ? (m[1] === 'No results' ? 0 : m[1] === '1 result' ? 1 : Number(m[2])) : null,
      fuzzy: !!(m && m[4]), filtered: !!(m && m[5]),
      items,
      q: document.getElementById('q').value,
      search: location.search,
      headingHidden: document.getElementById('results-heading').hidden,
      focus: document.activeElement && (document.activeElement.id || document.activeElement.tagName.toLowerCase()),
    };
  });
  const root = page.url().startsWith('file:') ? fileRoot : base + '/';
  s.hrefs = s.items.map(i => sitePath(i.href, root));
  return s;
}

// settled waits until the status region announces the results for text (and
// with or without filters), which search.js does once a query has run and,
// while typing, once typing has paused for a second.
async function settled(page, text, filtered = false) {
  await page.waitForFunction(([text, filtered]) => {
    const m = document.getElementById('search-status').textContent.match(/^(?:No results|1 result|\d+ results)(?: for (.+?))?(?:, each with some of the words: no page has them all)?(?:, including close spellings)?(, filtered)?(?:; the first \d+ are listed)?\.(?: Also [^.]+\.)?$/);
    return m && (m[1] || '') === text && !!m[2] === filtered;
  }, [text, filtered], { timeout: 10000 });
  await drawn(page);
  // the status read again after a frame: should a late answer have
  // rewritten it meanwhile, read until it is an answer's again
  let s = await snap(page);
  for (let t = 0; t < 20 && s.count === null; t++) {
    await page.waitForTimeout(50);
    s = await snap(page);
  }
  return s;
}

// drawn waits for the next frame and a task after it: search.js updates the
// address once the results are painted.
const drawn = page => page.evaluate(() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0))));

// facetCounts reads the count beside each filter ("kind=story": 3), once
// until(counts) holds or after 5 s: counts follow an answer.
async function facetCounts(page, until) {
  const read = () => Object.fromEntries([...document.querySelectorAll('#search-form input[type=checkbox]')]
    .map(b => [`${b.name}=${b.value}`, Number((b.labels[0].querySelector('.facet-count')?.textContent || '').replace(/\D/g, ''))]));
  for (let t = 0; until && t < 50 && !until(await page.evaluate(read)); t++) await page.waitForTimeout(100);
  return page.evaluate(read);
}
const sum = (c, facet) => Object.entries(c).filter(([k]) => k.startsWith(facet + '=')).reduce((a, [, n]) => a + n, 0);
const pick = (c, facet) => Object.fromEntries(Object.entries(c).filter(([k]) => k.startsWith(facet + '=')));
// total is the sum of a facet's counts in the manifest: every page, for kinds
function total(facet) {
  return manifest()[facet].reduce((a, f) => a + f[f.length - 1], 0);
}

// ready waits until search.js has read the manifest (it adds the counts
// beside the filters then).
const ready = page => page.waitForSelector('#search-form .facet-count', { state: 'attached', timeout: 10000 });

// typeQuery replaces the box's text the way a reader does: select all,
// delete, type at a human pace.
async function typeQuery(page, text) {
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text, { delay: 40 });
}

// tabTo presses Tab until focus is on an element matching selector.
async function tabTo(page, selector, limit = 30) {
  for (let i = 1; i <= limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(s => document.activeElement?.matches(s), selector)) return i;
  }
  return 0;
}

const kindOf = meta => meta.split(' · ')[0];

// sitePath turns a link's absolute URL into the site path it names
// ("/stories/dylan/"), whether served or opened from disk (root is the
// site's URL: http://127.0.0.1:N/ or file:///…/).
function sitePath(abs, root) {
  if (!abs || !abs.startsWith(root)) return abs;
  return '/' + abs.slice(root.length).replace(/(^|\/)index\.html(?=$|[?#])/, '$1');
}
const fold = s => s.normalize('NFKD').replace(/\p{Mn}/gu, '').toLowerCase();

// --- main --------------------------------------------------------------------------
const [site, relSite] = process.argv.slice(2);
if (!site || process.argv.length > 4) { console.error('usage: node search.mjs SITE_DIR [RELATIVE_SITE_DIR]'); process.exit(2); }
const siteDir = path.resolve(site);
for (const d of [site, relSite]) if (d && !fs.existsSync(path.join(d, 'search', 'index.html'))) { console.error(`${path.resolve(d)}/search/index.html: no search page`); process.exit(2); }
// relative tells a site built with --relative by its search page's script
const relative = dir => !/<script[^>]+src="\//.test(fs.readFileSync(path.join(dir, 'search', 'index.html'), 'utf8'));
const fileDir = relSite ? path.resolve(relSite) : relative(siteDir) ? siteDir : null;
const fileRoot = fileDir && 'file://' + fileDir + '/';

let executablePath = process.env.CHROMIUM;
if (!executablePath) {
  try { executablePath = execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim(); } catch { executablePath = '/usr/bin/chromium'; }
}
const started = Date.now();
const server = await serve(siteDir);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
});

// Every console error, uncaught exception, CSP violation and request that
// leaves the test server, on any http page, fails the last check.
const problems = [];
async function newContext(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  await context.addInitScript(AXE);
  await context.exposeBinding('__cspViolation', ({ page }, v) => problems.push(`${page.url()}: CSP violation: ${v}`));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', e => window.__cspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`));
  });
  context.on('page', watch);
  return context;
}
function watch(page) {
  page.setDefaultTimeout(10000); // generous: the machine may be busy
  page.on('console', m => { if (m.type() === 'error' && !page.url().startsWith('file:')) problems.push(`${page.url()}: console error: ${m.text()}`); });
  page.on('pageerror', e => problems.push(`${page.url()}: uncaught ${String(e).split('\n')[0]}`));
  page.on('request', r => { const u = r.url(); if (!u.startsWith(base) && !u.startsWith('file:') && !u.startsWith('data:')) problems.push(`request left the site: ${u}`); });
}

let shared; // the 1280 px light context most sections share
try {
  shared = await newContext();

  // 1. Before any query: an empty status region, and the no-JS note hidden.
  section('before typing', async (check, page) => {
    await page.goto(base + '/search/');
    await ready(page);
    const r = await page.evaluate(() => {
      const s = document.getElementById('search-status');
      const note = document.getElementById('search-needs-js');
      const list = document.getElementById('search-results');
      return {
        status: !!s && s.getAttribute('role') === 'status', text: s ? s.textContent : null,
        noteHidden: !!note && !note.checkVisibility(),
        headingHidden: document.getElementById('results-heading').hidden,
        listLive: list.hasAttribute('aria-live') || list.getAttribute('role') === 'status',
      };
    });
    check('status region #search-status[role=status] is in the page before any query', r.status);
    check('status region is empty before any query', r.text === '', JSON.stringify(r.text));
    check('the "needs JavaScript" note is hidden when JavaScript runs', r.noteHidden);
    check('the results heading is hidden before any query', r.headingHidden);
    check('the results list itself is not a live region', !r.listLive);
  });

  // 2 and 3. Typed queries: the expected first result, and the announced
  // count matches the list. The first query also times the announcement.
  // Three tabs share the queries, as each waits a second for its count.
  for (let k = 0; k < 3; k++) section(`typed queries ${k + 1}`, async (check, page) => {
    await page.goto(base + '/search/');
    await ready(page);
    await page.click('#q');
    let timed = k > 0;
    for (const t of QUERIES.filter((_, i) => i % 3 === k)) {
      if (!timed) {
        await page.evaluate(() => {
          window.__times = {};
          new MutationObserver(() => { window.__times.list = performance.now(); }).observe(document.getElementById('search-results'), { childList: true });
          new MutationObserver(() => { window.__times.status = performance.now(); }).observe(document.getElementById('search-status'), { childList: true, characterData: true, subtree: true });
        });
      }
      await typeQuery(page, t.q);
      const s = await settled(page, t.q);
      check(`"${t.q}" (${t.why}): first result is ${t.first.join(' or ')}`, t.first.includes(s.hrefs[0]), `got ${s.hrefs.join(', ') || 'no results'}`);
      if (t.first.length > 1) check(`"${t.q}": ${t.first.join(' and ')} are both in the results`, t.first.every(h => s.hrefs.includes(h)), `got ${s.hrefs.join(', ')}`);
      check(`"${t.q}": status "${s.status}" counts the ${s.items.length} results shown`, s.count !== null && s.count > 0 && s.count === s.items.length);
      if (t.fuzzy) check(`"${t.q}": status says close spellings were included`, s.fuzzy, s.status);
      check(`"${t.q}": the URL follows the box (${s.search})`, new URLSearchParams(s.search).get('q') === t.q);
      if (!timed) {
        timed = true;
        const d = await page.evaluate(() => window.__times.status - window.__times.list);
        check(`"${t.q}": the count is announced after typing settles (${Math.round(d)} ms after the list)`, d >= 700 && d < 3000);
      }
    }
    if (k > 0) return;
    // a query is text, never markup
    await typeQuery(page, '<b>denis</b>');
    const s = await settled(page, '<b>denis</b>');
    check('a query with markup is shown as text in the status', s.hrefs[0] === DENIS && await page.locator('#search-status b, #search-results b').count() === 0, `${s.status} / ${s.hrefs[0]}`);
  });

  // 4. Facets: only episodes, then all kinds again. Denis's story and the
  // episode with him both answer "denis".
  section('facets', async (check, page) => {
    await page.goto(base + '/search/');
    await ready(page);
    await page.click('#q');
    await typeQuery(page, 'denis');
    const all = await settled(page, 'denis');
    const kinds = new Set(all.items.map(i => kindOf(i.meta)));
    check(`"denis" finds several kinds (${[...kinds].join(', ')})`, kinds.size > 1 && kinds.has('Episode'));
    await page.check('#kind-episode');
    const ep = await settled(page, 'denis', true);
    check(`with Episodes checked only episodes are listed (${ep.items.length} of ${all.items.length})`, ep.items.length > 0 && ep.items.length < all.items.length && ep.items.every(i => kindOf(i.meta) === 'Episode'), ep.items.map(i => i.meta).join('; '));
    check('with Episodes checked the status counts them and says "filtered"', ep.count === ep.items.length && ep.filtered, ep.status);
    check(`with Episodes checked the URL holds kind=episode (${ep.search})`, new URLSearchParams(ep.search).getAll('kind').join() === 'episode');
    await page.uncheck('#kind-episode');
    const back = await settled(page, 'denis', false);
    check('unchecking Episodes restores every result', back.hrefs.join() === all.hrefs.join(), `${back.hrefs.length} of ${all.hrefs.length}`);
    check(`unchecking Episodes removes kind from the URL (${back.search})`, !new URLSearchParams(back.search).has('kind'));

    // the counts beside the filters: the whole site's, then the query's
    // (each page has one kind and one year, so those counts add up to the
    // results), a facet's own filter leaving its counts alone
    await page.click('#q');
    await typeQuery(page, '');
    await page.waitForFunction(() => document.getElementById('results-heading').hidden);
    await drawn(page);
    const site = await facetCounts(page);
    check('with nothing asked the counts are the whole site\'s', sum(site, 'kind') === total('kinds') && sum(site, 'year') === total('kinds'), JSON.stringify(site));
    await typeQuery(page, 'denis');
    const d = await settled(page, 'denis');
    const dc = await facetCounts(page, c => sum(c, 'kind') === d.count);
    check(`for "denis" the kind counts add up to its ${d.count} results, and so do the years`, sum(dc, 'kind') === d.count && sum(dc, 'year') === d.count && d.count < total('kinds'), JSON.stringify(dc));
    await page.check('#kind-episode');
    const e = await settled(page, 'denis', true);
    const ec = await facetCounts(page, c => sum(c, 'year') === e.count);
    check('with Episodes checked the kind counts stay and the years count the episodes', JSON.stringify(pick(ec, 'kind')) === JSON.stringify(pick(dc, 'kind')) && sum(ec, 'year') === e.count && ec['kind=episode'] === e.count, JSON.stringify(ec));
    await page.uncheck('#kind-episode');
    await settled(page, 'denis', false);
    await page.click('#q');
    await typeQuery(page, '');
    await page.waitForFunction(() => document.getElementById('results-heading').hidden);
    const again = await facetCounts(page, c => JSON.stringify(c) === JSON.stringify(site));
    check('with the box emptied the whole site\'s counts come back', JSON.stringify(again) === JSON.stringify(site), JSON.stringify(again));
  });

  // 5. URL state: a link with ?q= shows results; Back after two searches.
  section('URL and history', async (check, page) => {
    await page.goto(base + '/search/?q=denis');
    const s = await settled(page, 'denis');
    check('/search/?q=denis shows results at once, Denis first', s.hrefs[0] === DENIS && s.q === 'denis' && !s.headingHidden, `${s.q}: ${s.hrefs.join(', ')}`);
    // a theme every page has, in the title of both features
    await page.goto(base + '/search/?q=personalised+care');
    const pc = await settled(page, 'personalised care');
    check('/search/?q=personalised+care lists a feature titled "personalised care" first', [SANDERSON, PRESCRIBING].includes(pc.hrefs[0]) && pc.count === 6, `${pc.status} ${pc.hrefs.join(', ')}`);
    await page.goto(base + '/search/?q=wheelchair&kind=feature');
    const f = await settled(page, 'wheelchair', true);
    check('/search/?q=wheelchair&kind=feature checks the filter and applies it', f.hrefs.join() === SANDERSON && await page.isChecked('#kind-feature'), f.hrefs.join(', '));

    // two searches, each typed (results as you type) and then submitted
    await page.goto(base + '/search/');
    await ready(page);
    await page.click('#q');
    await typeQuery(page, 'denis');
    await settled(page, 'denis');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'results-heading');
    await page.click('#q');
    await typeQuery(page, 'dylan');
    await settled(page, 'dylan');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'results-heading');
    await drawn(page);
    check(`after submitting "dylan" the URL is ?q=dylan (${page.url()})`, new URL(page.url()).search === '?q=dylan');
    await page.goBack();
    const b1 = await settled(page, 'denis').catch(() => snap(page));
    check('Back after two searches restores the earlier query and its results', b1.q === 'denis' && b1.search === '?q=denis' && b1.hrefs[0] === DENIS, `box "${b1.q}", URL ${b1.search}, first ${b1.hrefs[0]}`);
    await page.goForward();
    const f1 = await settled(page, 'dylan').catch(() => snap(page));
    check('Forward brings the later search back', f1.q === 'dylan' && f1.hrefs[0] === DYLAN, `box "${f1.q}", first ${f1.hrefs[0]}`);
    await page.goBack();
    await settled(page, 'denis');
    await page.goBack();
    await page.waitForFunction(() => document.getElementById('q').value === '' && document.getElementById('results-heading').hidden);
    const e = await snap(page);
    check('Back once more returns to the empty search page', e.search === '' && e.items.length === 0 && e.status === '', `URL "${e.search}", ${e.items.length} results, status "${e.status}"`);
  });

  // 6. Keyboard only.
  section('keyboard', async (check, page) => {
    await page.goto(base + '/search/');
    await ready(page);
    const tabs = await tabTo(page, '#q');
    check(`from the top of the page Tab reaches the search box (${tabs} presses)`, tabs > 0);
    await page.keyboard.type('wheelchair', { delay: 20 });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'results-heading').catch(() => {});
    const s = await snap(page);
    check('Enter in the box moves focus to the results heading', s.focus === 'results-heading', `focus on ${s.focus}`);
    check('Enter announces the count at once', s.count === s.items.length && s.count > 0, s.status);
    await page.keyboard.press('Tab');
    const link = await page.evaluate(() => {
      const a = document.activeElement;
      const topics = !document.getElementById('search-topics').hidden;
      const first = topics ? document.querySelector('#search-topic-list > li:first-child a') : document.querySelector('#search-results > li:first-child h3 a');
      return { href: a?.getAttribute('href'), first: a === first, topics };
    });
    check(`Tab from the heading reaches the first theme or pack listed, or else the first result link (${link.href})`, link.first);

    // the filters, from the box: "york" finds Rose's story and the social
    // prescribing feature
    await page.goto(base + '/search/');
    await ready(page);
    await tabTo(page, '#q');
    await page.keyboard.type('york', { delay: 20 });
    const all = await settled(page, 'york');
    const toKind = await tabTo(page, '#kind-story', 10);
    check('Tab from the box reaches the Stories filter', toKind > 0);
    await page.keyboard.press('Space');
    const st = await settled(page, 'york', true);
    check('Space checks Stories and filters the results', await page.isChecked('#kind-story') && st.hrefs.join() === ROSE, st.hrefs.join(', '));
    await page.keyboard.press('Space');
    const un = await settled(page, 'york', false);
    check('Space again unchecks it and restores the results', !await page.isChecked('#kind-story') && un.hrefs.length === 2 && un.hrefs.join() === all.hrefs.join(), un.hrefs.join(', '));
    const toThemes = await tabTo(page, '#search-form .theme-filters > summary', 10);
    check('Tab reaches the closed Themes disclosure', toThemes > 0);
    await page.keyboard.press('Enter');
    check('Enter opens the Themes disclosure', await page.evaluate(() => document.querySelector('#search-form .theme-filters').open));
    await page.keyboard.press('Tab');
    const theme = await page.evaluate(() => document.activeElement?.id);
    check(`Tab then reaches the first theme (${theme})`, theme === 'theme-co-production');
    await page.keyboard.press('Space');
    const th = await settled(page, 'york', true);
    check(`Space checks the theme: results filtered, theme=co-production in the URL (${th.search})`, new URLSearchParams(th.search).get('theme') === 'co-production' && th.hrefs.join() === PRESCRIBING, th.hrefs.join(', '));
    await page.keyboard.press('Space');
    await settled(page, 'york', false);

    // the search box in every page's header
    await page.goto(base + '/');
    const toSite = await tabTo(page, 'header #site-q');
    check(`on the home page Tab reaches the header search box (${toSite} presses)`, toSite > 0);
    await page.keyboard.type('rehab potential', { delay: 20 });
    await Promise.all([page.waitForURL(u => u.pathname === '/search/'), page.keyboard.press('Enter')]);
    const h = await settled(page, 'rehab potential');
    check(`Enter in the header box leads to ${h.search} with results`, new URLSearchParams(h.search).get('q') === 'rehab potential' && h.q === 'rehab potential' && [EPISODE, DENIS].includes(h.hrefs[0]), `box "${h.q}", first ${h.hrefs[0]}`);
  });

  // 7. Highlighting.
  section('highlighting', async (check, page) => {
    for (const [q, word] of [['kitchen', 'kitchen'], ['wheelchiar', 'wheelchair']]) {
      await page.goto(base + '/search/?q=' + q);
      const s = await settled(page, q);
      const marks = s.items[0]?.marks || [];
      check(`"${q}": the first excerpt marks "${word}"`, marks.some(m => fold(m).startsWith(word)), `marks: ${marks.join(', ') || 'none'}`);
    }
    // a match in a transcript quotes the paragraph under its episode,
    // "Speaker at m:ss: …", the place linking into the episode page; other
    // moments are listed as links
    await page.goto(base + '/search/?q=hoist');
    const h = await settled(page, 'hoist');
    const quote = await page.evaluate(() => {
      const p = document.querySelector('#search-results > li:first-child p.quote'), a = p?.querySelector('a');
      return p && { href: a?.href, label: a?.textContent, text: p.textContent, marks: [...p.querySelectorAll('mark')].map(m => m.textContent) };
    });
    check('"hoist": the episode quotes its transcript, "Speaker at m:ss: …", the hoist marked, linked to that moment',
      h.hrefs[0] === EPISODE && quote?.href?.startsWith(base + EPISODE + '#t') && /^\S.* at \d+:\d\d$/.test(quote.label) && quote.text.startsWith(quote.label + ': ') && quote.marks.some(m => /^hoist/i.test(m)), JSON.stringify(quote));
    const parts = await page.evaluate(() => [...document.querySelectorAll('#search-results > li:first-child .in-transcript li')].map(li => ({ href: li.querySelector('a')?.href, text: li.textContent })));
    check('"hoist": other moments are listed, "Speaker at m:ss", linked into the episode page', parts.every(x => x.href?.startsWith(base + EPISODE + '#t') && / at \d+:\d\d$/.test(x.text)), JSON.stringify(parts));
    check('nothing outside titles and quotes is marked', await page.locator('#search-results .meta mark, #search-results .themes mark, #search-results .in-transcript mark, #search-results .quote a mark').count() === 0);
    if (quote?.href) parts.unshift({ href: quote.href });
    // …and the place it links to says it
    if (parts.length) { // (last: this leaves the search page)
      await page.goto(parts[0].href);
      const said = await page.evaluate(() => document.getElementById(decodeURIComponent(location.hash.slice(1)))?.textContent || '');
      check('"hoist": the first transcript link leads to a paragraph that says it', /hoist/i.test(said), said.slice(0, 120));
    }
  });

  // 8. axe-core with results shown and every filter visible, and no
  // sideways scrolling.
  for (const mode of [
    { name: '1280 light', width: 1280, colorScheme: 'light' },
    { name: '1280 dark', width: 1280, colorScheme: 'dark' },
    { name: '320 light', width: 320, colorScheme: 'light' },
    { name: '320 dark', width: 320, colorScheme: 'dark' },
  ]) section(`axe ${mode.name}`, async (check, page) => {
    await page.goto(base + '/search/?q=wheelchair');
    await settled(page, 'wheelchair');
    await page.evaluate(() => { document.querySelectorAll('#search-form details').forEach(d => { d.open = true; }); });
    const res = await page.evaluate(tags => axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), TAGS);
    check(`axe on the search page with results [${mode.name}]`, res.violations.length === 0,
      res.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`).join('; '));
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    check(`the search page with results does not scroll sideways [${mode.name}]`, wide <= 0, `${wide}px too wide`);
  }, () => newContext({ viewport: { width: mode.width, height: 800 }, colorScheme: mode.colorScheme }));

  // 8b. On a phone the filters wait behind their summary, so the first
  // result is on the first screen; a filter in the address opens them, and
  // the summary counts what is chosen. From 48em they are always open.
  section('filters on a phone', async (check, page) => {
    await page.goto(base + '/search/?q=wheelchair');
    await settled(page, 'wheelchair');
    const closed = await page.evaluate(() => ({ open: document.getElementById('search-filters').open, top: document.querySelector('#search-topic-list > li, #search-results > li')?.getBoundingClientRect().top }));
    check('at 375 px the filters are closed and the first answer starts on the first screen', !closed.open && closed.top < 740, JSON.stringify(closed));
    const opened = await tabTo(page, '#search-filters > summary', 30);
    await page.keyboard.press('Enter');
    check('the Filters summary is reached by Tab and opens with Enter', opened && await page.evaluate(() => document.getElementById('search-filters').open && !!document.getElementById('kind-story').checkVisibility()));
    await page.locator('#kind-story').check();
    await settled(page, 'wheelchair', true);
    check('the summary counts the chosen filters', await page.locator('#search-filters > summary').textContent() === 'Filters (1 chosen)', await page.locator('#search-filters > summary').textContent());
    await page.goto(base + '/search/?q=wheelchair&kind=feature');
    await settled(page, 'wheelchair', true);
    check('a filter in the address opens them', await page.evaluate(() => document.getElementById('search-filters').open));
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(base + '/search/?q=wheelchair');
    await settled(page, 'wheelchair');
    check('at 1280 px they are open and the summary is not shown', await page.evaluate(() => document.getElementById('search-filters').open && !document.querySelector('#search-filters > summary').checkVisibility()));
  }, () => newContext({ viewport: { width: 375, height: 740 } }));

  // 9. file://. The index files are scripts, so search.js reads them from
  // disk too; a site built with --relative links every page relatively.
  section('file://', async (check, page, lines) => {
    if (!fileDir) {
      lines.push('SKIP file://: SITE_DIR has root-relative links, which file:// cannot follow; pass a --relative build as RELATIVE_SITE_DIR');
      return;
    }
    if (fileDir !== siteDir) check(`${fileDir} is a --relative build`, relative(fileDir));
    const p = page, failedLoads = [], errors = [];
    p.on('requestfailed', r => failedLoads.push(r.url()));
    p.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
    p.on('pageerror', e => errors.push(String(e)));
    await p.goto(fileRoot + 'search/index.html?q=wheelchiar');
    const s = await settled(p, 'wheelchiar').catch(() => snap(p));
    check('file://…/search/index.html?q=wheelchiar shows results, Dylan first', s.hrefs[0] === DYLAN && s.count === s.items.length, `status "${s.status}", first ${s.hrefs[0]}`);
    const missing = s.items.map(i => i.href).filter(h => !h.startsWith('file://') || !fs.existsSync(decodeURIComponent(new URL(h).pathname)));
    check('from file:// every result links to a file that exists', s.items.length > 0 && missing.length === 0, missing.join(', '));
    check('from file:// every script loads, without errors', failedLoads.length === 0 && errors.length === 0, [...failedLoads, ...errors].join('; '));
  });

  // 11. The client and the Go reference engine (generator/internal/search)
  // give the same answers: the judged queries of tests/search/judged.json,
  // submitted and while typing, through both; the client twice, with its
  // rows from the row files and then from the packs it fetches once a
  // query has been answered.
  section('same answers as the Go engine', async (check, page) => {
    const judged = JSON.parse(fs.readFileSync(new URL('../search/judged.json', import.meta.url), 'utf8'));
    const qs = judged.flatMap(j => [{ q: j.q, typing: false }, { q: j.q, typing: true }]);
    const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
    const want = JSON.parse(execFileSync('go', ['run', './generator/internal/search/searchq', '-index', path.join(siteDir, 'search', 'data')],
      { cwd: repo, input: JSON.stringify(qs), encoding: 'utf8', maxBuffer: 64 << 20 }));
    const answers = () => page.evaluate(async qs => {
      const out = [];
      for (const q of qs) {
        const r = await window.otpressSearch.query({ text: q.q, kinds: [], themes: [], years: [], typing: q.typing });
        const quote = h => !h.quote || !h.quote.text ? '' : (h.quote.part >= 0 ? h.parts[h.quote.part].row[1] + ': ' : '') + h.quote.text;
        out.push({
          q: q.q, typing: q.typing, total: r.total, fuzzy: r.fuzzy, any: r.any, hits: r.hits.map(h => [h.row[0], ...h.parts.map(p => p.row[0] + ' ' + p.row[1])]),
          quotes: r.hits.map(quote), topics: r.topics.map(h => h.row[2] + ' ' + h.row[0] + ' ' + quote(h)),
        });
      }
      return out;
    }, qs);
    const compare = (got, how) => {
      const differ = got.filter((g, i) => JSON.stringify(g) !== JSON.stringify(want[i]));
      check(`the client answers ${qs.length} queries exactly as the Go engine, ${how}`, got.length === qs.length && differ.length === 0,
        differ.slice(0, 3).map(g => `${g.q}${g.typing ? ' (typing)' : ''}: ${JSON.stringify(g.hits.slice(0, 3))} vs ${JSON.stringify(want[got.indexOf(g)].hits.slice(0, 3))}`).join('; '));
    };
    await page.goto(base + '/search/');
    await ready(page);
    // the counts beside the filters, for queries with and without words
    // and filters
    const facets = manifest();
    const [theme, year] = [facets.themes[0][0], facets.years[facets.years.length - 1][0]];
    const cq = [
      { q: 'denis' }, { q: 'wheelchair', kinds: ['feature'] }, { q: '', themes: [theme] }, { q: 'personalised care', years: [year], kinds: ['story', 'episode'] },
      { q: 'carers' }, { q: 'the' }, { q: 'zebra' }, { q: '', years: [year], themes: [theme, facets.themes[1][0]] },
    ].map(c => ({ kinds: [], themes: [], years: [], typing: false, counts: true, ...c }));
    const wantCounts = JSON.parse(execFileSync('go', ['run', './generator/internal/search/searchq', '-index', path.join(siteDir, 'search', 'data')],
      { cwd: repo, input: JSON.stringify(cq), encoding: 'utf8' })).map(a => JSON.stringify(Object.entries(a.counts).sort()));
    const gotCounts = (await page.evaluate(async cq => {
      const out = [];
      for (const c of cq) out.push((await window.otpressSearch.query({ text: c.q, kinds: c.kinds, themes: c.themes, years: c.years, typing: false, counts: true })).counts);
      return out;
    }, cq)).map(c => JSON.stringify(Object.entries(c).sort()));
    const off = cq.filter((c, i) => gotCounts[i] !== wantCounts[i]);
    check(`the client counts every facet value as the Go engine for ${cq.length} queries`, off.length === 0 && gotCounts.some(c => c.includes(',0]')) && gotCounts.some(c => /,[1-9]\d*\]/.test(c)),
      off.slice(0, 2).map(c => `${JSON.stringify(c)}: ${gotCounts[cq.indexOf(c)]} vs ${wantCounts[cq.indexOf(c)]}`).join('; '));
    compare(await answers(), 'with the quotes and the themes and packs');
    const quoted = (await answers()).filter(a => a.quotes.some(Boolean)).length;
    check(`the judged queries' results quote what matched (${quoted} of ${qs.length} queries)`, quoted > qs.length * 0.9);
  });

  // 14. Quotes, themes and learning packs: each result quotes the passage
  // that matched, its words marked; a theme or pack the words match is
  // listed apart, above the results.
  section('quotes, themes and packs', async (check, page) => {
    await page.goto(base + '/search/?q=' + encodeURIComponent('carers four times a day'));
    const s = await settled(page, 'carers four times a day');
    const q = await page.evaluate(() => [...document.querySelectorAll('#search-results > li')].map(li => {
      const p = li.querySelector('p.quote'), a = p?.querySelector('a');
      return { href: li.querySelector('h3 a').getAttribute('href'), text: p?.textContent || '', link: a?.getAttribute('href') || '', label: a?.textContent || '', marks: p ? [...p.querySelectorAll('mark')].map(m => m.textContent.toLowerCase()) : [] };
    }));
    const ep = q.find(x => x.href === EPISODE), denis = q.find(x => x.href === DENIS);
    check('the episode quotes its transcript: "Speaker at m:ss: …carers came four times a day…", linked to that moment',
      ep && /^[A-Z][\w ]* at \d+:\d\d$/.test(ep.label) && ep.link.startsWith(EPISODE + '#t') && /carers came four times a day/.test(ep.text) && ['carers', 'four', 'times', 'day'].every(w => ep.marks.includes(w)), JSON.stringify(ep));
    check('Denis\'s story quotes the sentence of its text with the words, each marked', denis && /carers came four times a day/.test(denis.text) && ['carers', 'four', 'times', 'day'].every(w => denis.marks.includes(w)) && !denis.link, JSON.stringify(denis));
    const weight = await page.evaluate(() => { const m = document.querySelector('#search-results mark'); return m && getComputedStyle(m).fontWeight; });
    check('marks are bold, not colour alone', Number(weight) >= 700, weight);
    check('the status counts the results and names the topics apart', /^2 results for carers four times a day\. Also 1 theme\.$/.test(s.status), s.status);

    // with no words to quote, each result shows its summary (from its
    // passage file, not its row)
    await page.goto(base + '/search/?kind=episode');
    await settled(page, '', true);
    const sums = await page.$$eval('#search-results > li', lis => lis.map(li => li.querySelector('p.excerpt')?.textContent || ''));
    check('a filter alone lists each result with its summary', sums.length > 0 && sums.every(t => t.length > 20), JSON.stringify(sums));

    await page.goto(base + '/search/?q=co-production');
    const c = await settled(page, 'co-production');
    const topics = await page.evaluate(() => ({
      hidden: document.getElementById('search-topics').hidden,
      heading: document.getElementById('topics-heading').textContent,
      items: [...document.querySelectorAll('#search-topic-list > li')].map(li => ({ href: li.querySelector('a').getAttribute('href'), meta: li.querySelector('.meta').textContent, marks: [...li.querySelectorAll('mark')].map(m => m.textContent) })),
    }));
    check('"co-production" lists the Co-production theme first, with its size', !topics.hidden && topics.items[0]?.href === '/themes/co-production/' && /^Theme · \d+ items?$/.test(topics.items[0].meta) && topics.items[0].marks.length > 0, JSON.stringify(topics));
    check('…and the learning pack about it', topics.items.some(t => t.href.startsWith('/packs/') && /^Learning pack · \d+ items$/.test(t.meta)), JSON.stringify(topics.items));
    check('the status says so', /Also 1 theme and 1 learning pack\.$/.test(c.status) && c.count === c.items.length, c.status);
    check('themes and packs are not counted or listed among the results', c.hrefs.every(h => !h.startsWith('/themes/') && !h.startsWith('/packs/')), c.hrefs.join(', '));
    await page.locator('#kind-story').check();
    const f = await settled(page, 'co-production', true);
    check('with a filter checked, no theme or pack is listed', await page.locator('#search-topics').isHidden() && !/Also/.test(f.status), f.status);
  });

  // 15. The next results are fetched ahead once an answer with more than
  // a page of them is shown, so "Show more results" needs nothing more;
  // not when the browser asks to save data or is on a mobile network.
  // Two results a page (data-page rewritten as served).
  for (const net of [null, { saveData: true }, { type: 'cellular' }, { effectiveType: '2g' }]) {
    section(`next results fetched ahead${net ? ' ' + JSON.stringify(net) : ''}`, async (check, page) => {
      await page.route(base + '/search/?*', async route => {
        const res = await route.fetch();
        await route.fulfill({ response: res, body: (await res.text()).replace(/data-page="?10"?/, 'data-page=2') });
      });
      if (net) await page.addInitScript(c => Object.defineProperty(navigator, 'connection', { value: c }), net);
      const asked = [];
      page.on('request', r => { if (/\/search\/data\/[rx][\d-]+\.js$/.test(r.url())) asked.push(r.url().replace(/^.*\//, '')); });
      await page.goto(base + '/search/?q=occupational+therapists');
      await page.waitForFunction(() => /^\d+ results/.test(document.getElementById('search-status').textContent));
      const atAnswer = asked.length;
      const prefetched = await page.waitForFunction(() => window.otpressSearch.prefetched() > 0, null, { timeout: 3000 }).then(() => true, () => false);
      await page.waitForTimeout(500);
      const ahead = asked.length;
      if (!net) {
        check('after the answer the next results\' files are fetched in the background', prefetched, asked.join(', '));
        await page.locator('#search-more').click();
        await page.waitForFunction(() => document.querySelectorAll('#search-results > li').length === 4);
        check('"Show more results" then shows them with no request', asked.length === ahead, asked.slice(ahead).join(', '));
      } else {
        check(`with ${JSON.stringify(net)} nothing is fetched in the background`, !prefetched && ahead === atAnswer, asked.slice(atAnswer).join(', '));
        await page.locator('#search-more').click();
        await page.waitForFunction(() => document.querySelectorAll('#search-results > li').length === 4);
        check('"Show more results" then fetches the next results\' files', asked.length > ahead, asked.join(', '));
      }
    });
  }

  // 12. "Show more results": with two results a page (data-page, set by
  // rewriting the page as it is served), the button adds the next two and
  // moves focus to the first of them; it hides when all are shown.
  section('show more results', async (check, page) => {
    await page.route(base + '/search/?*', async route => {
      const res = await route.fetch();
      await route.fulfill({ response: res, body: (await res.text()).replace(/data-page="?10"?/, 'data-page=2') });
    });
    await page.goto(base + '/search/?q=occupational+therapists');
    await page.waitForFunction(() => document.querySelectorAll('#search-results > li').length > 0);
    const count = () => page.locator('#search-results > li').count();
    const total = Number((await page.locator('#search-status').textContent()).match(/^(\d+) results/)?.[1]);
    check('a long answer lists the first page of results and says so', await count() === 2 && total > 4 && /the first 2 are listed/.test(await page.locator('#search-status').textContent()), `${await count()} listed of ${total}`);
    const moreBtn = page.locator('#search-more');
    check('"Show more results" is a visible button', await moreBtn.isVisible());
    await moreBtn.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#search-results > li').length === 4);
    const focused = await page.evaluate(() => document.activeElement === document.querySelector('#search-results > li:nth-child(3) h3 a'));
    check('Enter on it adds the next results and moves focus to the first new one', focused);
    while (await moreBtn.isVisible()) {
      const n = await count();
      await moreBtn.click();
      await moreBtn.click({ timeout: 1000 }).catch(() => {}); // a second click before the first is done adds nothing
      await page.waitForFunction(n => document.querySelectorAll('#search-results > li').length > n, n);
    }
    check('after the last page every result is listed and the button is gone', await count() === total, `${await count()} of ${total}`);
  });

  // 13. Results arrive top down into an empty list, and a list already
  // showing results is replaced whole. The test serves the rows one a file
  // (m.js says "r":1; file k is row k) and holds back the files it chooses until it lets them go.
  section('results arrive top down', async (check, page) => {
    const rows = allRows();
    const docOf = p => rows.findIndex(r => '/' + r[0] === p);
    const asked = new Set();
    let hold = () => false, release = () => {}, held = Promise.resolve();
    const holdBack = which => { hold = which; held = new Promise(r => { release = r; }); };
    await page.route(base + '/search/data/m.js', async route => {
      const res = await route.fetch();
      await route.fulfill({ response: res, body: (await res.text()).replace(/"r":\d+/, '"r":1') });
    });
    await withoutShardRows(page); // nor rows in the shards
    await page.route(/\/search\/data\/r\d+\.js$/, async route => {
      const k = Number(route.request().url().match(/r(\d+)\.js$/)[1]);
      asked.add(k);
      if (hold(k)) await held;
      await route.fulfill({ contentType: 'text/javascript', body: `otpressSearch.r(${k},${JSON.stringify([rows[k]])});` });
    });
    const denis = docOf(DENIS), dylan = docOf(DYLAN);
    holdBack(k => k !== denis);
    // (held scripts hold back the load event: wait for the parse only)
    await page.goto(base + '/search/?q=denis', { waitUntil: 'domcontentloaded' });
    const shown = await page.waitForFunction(() => document.querySelectorAll('#search-results > li').length > 0, null, { timeout: 5000 }).then(() => true, () => false);
    await page.waitForTimeout(300);
    const early = await snap(page);
    check('into an empty list the first result is shown as soon as its row is in, before the rest',
      shown && early.hrefs.join() === DENIS && early.status === '' && !early.headingHidden, `${early.hrefs.join(', ') || 'nothing shown'}; status "${early.status}"`);
    release();
    const all = await settled(page, 'denis');
    check('then the others follow below it, and the status counts them', all.hrefs[0] === DENIS && all.hrefs.length > 1 && all.count === all.hrefs.length, `${all.status} ${all.hrefs.join(', ')}`);
    // a second query whose first result's row has not been loaded yet
    check('(Dylan\'s row was not needed for "denis")', dylan >= 0 && !asked.has(dylan), `doc ${dylan}`);
    holdBack(() => true);
    await page.fill('#q', 'dylan');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(400);
    const during = await snap(page);
    check('a list showing results stays whole while the next answer\'s rows load', during.hrefs.join() === all.hrefs.join(), during.hrefs.join(', '));
    release();
    const next = await settled(page, 'dylan');
    check('then it is replaced by the new answer', next.hrefs[0] === DYLAN, next.hrefs.join(', '));
  });

  await runSections(3);

  // 10. Errors from every http page above.
  const lines = [], check = checker(lines);
  check('no console errors, uncaught exceptions, CSP violations or outside requests', problems.length === 0, [...new Set(problems)].slice(0, 10).join('\n     '));
  console.log(lines.join('\n'));
} finally {
  await browser.close();
  server.close();
}
console.log(`search: ${passed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
