// Measures otpress's built-in search and Pagefind on the same site in
// headless Chromium (Debian's, driven by playwright-core), and writes the
// raw numbers as JSON for report.mjs. bench/search.sh runs it; by hand:
//
//	node measure.mjs --ours OUT --pagefind COPY --queries queries.txt --out results.json \
//	  [--cold 30] [--latency 50] [--judged judged.json --example-ours EX --example-pagefind EXCOPY]
//
// OUT is a site built by otpress; COPY is a copy of it on which Pagefind has
// written COPY/pagefind/. Each site is served from 127.0.0.1 by server.mjs
// (gzip for text, Pagefind's compressed files as they are).
//
// What it measures, per engine:
//   index     files, raw and served bytes of what the search needs: ours is
//             /js/search.js and /search/data/*; Pagefind's is /pagefind/
//             without its UI bundles (the whole folder is reported too);
//   cold      the first query in a fresh browser context (empty cache): the
//             time from the engine's first request to results, the part of
//             it after the engine was ready, and the bytes and requests it
//             took; and again with the search page open and ready first,
//             timed from the submit (the guide's "first keystroke");
//   latency   with --latency MS: the cold runs again, every response held
//             back MS milliseconds by the server, as a round trip would be;
//   warm      every query of the list in turn in one page, back to back
//             and with a reader's pause after each answer (--pause MS);
//   relevance with --judged: the top ten results of each judged query on
//             the example site, for success@1, success@3 and MRR@10.
//
// "Bytes" are response bodies as sent (Content-Length: gzipped where the
// server gzips), without HTTP headers; the request count is reported beside
// them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { isText } from './common.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const { values: opt } = parseArgs({
  options: {
    ours: { type: 'string' },
    pagefind: { type: 'string' },
    queries: { type: 'string', default: path.join(here, 'queries.txt') },
    cold: { type: 'string' }, // how many queries get a cold run (default: all)
    latency: { type: 'string' }, // ms each response waits in a second cold pass
    pause: { type: 'string' }, // ms a reader takes after each answer in the paused warm pass (1000)
    judged: { type: 'string' },
    'example-ours': { type: 'string' },
    'example-pagefind': { type: 'string' },
    out: { type: 'string' },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
    'cold-only': { type: 'boolean' }, // the cold pass alone: bytes and first-query times
  },
});
for (const need of ['ours', 'pagefind', 'out']) {
  if (!opt[need]) {
    console.error(`measure.mjs: --${need} is required`);
    process.exit(2);
  }
}

const queries = fs.readFileSync(opt.queries, 'utf8').split('\n')
  .map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
const coldQueries = queries.slice(0, opt.cold ? Number(opt.cold) : queries.length);
const TIMEOUT = 30_000; // a query that takes longer than this counts as failed

// ---- which requests belong to each engine ------------------------------------

// The files each engine's search fetches, by URL path. The search page's own
// HTML and CSS (ours) and the blank harness page (Pagefind's) are not counted.
// Ours also fetches packs of every page's row in the background once a
// query has been answered (/search/data/p*.js): they are counted apart, as
// t.prefetch, not in the query's bytes.
const ENGINES = {
  ours: (p) => p === '/js/search.js' || p.startsWith('/search/data/') && !isPack(p),
  pagefind: (p) => p.startsWith('/pagefind/'),
};
const isPack = (p) => /^\/search\/data\/p\d+\.js$/.test(p);
// Pagefind's UI bundles are not used by its JS API, so they are left out of
// its index size (and shown separately).
const pagefindUI = (rel) => /^pagefind-(ui|modular-ui|component-ui|highlight)\.|^playground\//.test(rel);

// ---- serving -------------------------------------------------------------------

const servers = [];
async function serve(root, delay = 0) {
  const child = spawn(process.execPath, [path.join(here, 'server.mjs'), root, String(delay)], { stdio: ['ignore', 'pipe', 'inherit'] });
  servers.push(child);
  const port = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server.mjs ${root} exited with ${code}`)));
    child.stdout.once('data', (d) => resolve(Number(String(d).match(/listening (\d+)/)[1])));
  });
  return `http://127.0.0.1:${port}`;
}
function stopServers() {
  for (const s of servers) s.kill('SIGTERM');
}

// ---- index size ------------------------------------------------------------------

function walk(dir, base = dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p, base) : [path.relative(base, p)];
  });
}

// sizes adds up files' raw bytes and their bytes as served (gzipped at the
// server's level for text, as they are otherwise).
function sizes(root, files) {
  let raw = 0, served = 0;
  for (const f of files) {
    const body = fs.readFileSync(path.join(root, f));
    raw += body.length;
    served += isText(f) ? zlib.gzipSync(body).length : body.length;
  }
  return { files: files.length, raw, served };
}

function indexStats() {
  const ours = ['js/search.js', ...walk(path.join(opt.ours, 'search/data')).map((f) => 'search/data/' + f)];
  const manifest = fs.readFileSync(path.join(opt.ours, 'search/data/m.js'), 'utf8');
  const pfDir = path.join(opt.pagefind, 'pagefind');
  const pfAll = walk(pfDir);
  const entry = JSON.parse(fs.readFileSync(path.join(pfDir, 'pagefind-entry.json'), 'utf8'));
  return {
    ours: { ...sizes(opt.ours, ours), pages: Number(manifest.match(/[{,]\s*"?n"?\s*:\s*([\de.+]+)/)[1]) },
    pagefind: {
      ...sizes(pfDir, pfAll.filter((f) => !pagefindUI(f))),
      pages: Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0),
      version: entry.version,
    },
    pagefindWithUI: sizes(pfDir, pfAll),
  };
}

// ---- the browser ---------------------------------------------------------------------

let browser;

// track counts the bytes and requests of one engine's files in a context.
// settled() waits until every request seen so far has finished, so the
// count is complete when it is read.
// bodyBytes is a response's body as sent: its Content-Length, or, when
// Playwright has no headers to give (it happened to five of six packs in a
// run), the body size Chromium received.
async function bodyBytes(req) {
  const res = await req.response();
  const len = Number((await res?.allHeaders())?.['content-length']);
  return len > 0 ? len : (await req.sizes()).responseBodySize;
}

function track(ctx, origin, engine) {
  const t = { bytes: 0, requests: 0, files: [], sizes: [], prefetch: { bytes: 0, requests: 0 } };
  let pending = 0, idle = () => {};
  ctx.on('request', () => pending++);
  const done = async (req, ok) => {
    try {
      const u = new URL(req.url());
      if (ok && u.origin === origin && ENGINES[engine](u.pathname)) {
        const len = await bodyBytes(req);
        t.bytes += len;
        t.requests++;
        t.files.push(u.pathname.replace(/^.*\//, ''));
        t.sizes.push({ path: u.pathname, bytes: len });
      } else if (ok && u.origin === origin && engine === 'ours' && isPack(u.pathname)) {
        t.prefetch.bytes += await bodyBytes(req);
        t.prefetch.requests++;
      }
    } catch {
      // a background request (ours: a pack) still under way when the
      // context closed: its response is gone, and it belongs to no query
    } finally {
      if (--pending === 0) idle();
    }
  };
  ctx.on('requestfinished', (r) => done(r, true));
  ctx.on('requestfailed', (r) => done(r, false));
  t.settled = () => pending === 0 ? Promise.resolve() : new Promise((r) => { idle = r; });
  return t;
}

const count = (status) => /^No results/.test(status) ? 0 : Number((status.match(/^(\d+) results?/) || [])[1] ?? NaN);

// Installed before the search page's scripts: records the moment the status
// line first gets text, which search.js sets right after it has rendered
// the results (for a query in the URL, which runs as a submitted query),
// and the moment the first result is in the list (search.js fills an empty
// list top down as the results' rows arrive).
function recordFirstStatus() {
  new MutationObserver((_, mo) => {
    const list = document.getElementById('search-results');
    if (list && list.children.length && window.__benchFirst === undefined) window.__benchFirst = performance.now();
    const st = document.getElementById('search-status');
    if (!st || !st.textContent) return;
    mo.disconnect();
    const hrefs = [...document.querySelectorAll('#search-results > li h3 a')].map((a) => a.getAttribute('href'));
    // every file in by the answer: those it needed, and not those search.js
    // asks for after it (the lists behind the counts beside the filters,
    // which issue 5 allows on top of a first query)
    const done = performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname);
    window.__bench = { t: performance.now(), status: st.textContent, hrefs, done };
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

// fresh runs one query in a fresh browser context that counts one engine's
// requests: fn(page, t) does the work and returns the measures; an error
// becomes the query's result. The context is closed after.
async function fresh(origin, engine, q, fn) {
  const ctx = await browser.newContext();
  const t = track(ctx, origin, engine);
  try {
    return { q, ...(await fn(await ctx.newPage(), t)) };
  } catch (e) {
    return { q, error: String(e.message || e).split('\n')[0] };
  } finally {
    await ctx.close();
  }
}

// mark notes the counts so far; the function it returns gives the bytes,
// requests and files counted since, once every request has finished.
// With done (the paths of the files the page had when the answer was
// shown), files loaded after the answer count apart, as afterKb and
// afterRequests.
function mark(t) {
  const at = t.sizes.length;
  return async (done) => {
    await t.settled();
    const since = t.sizes.slice(at), mine = done ? since.filter((f) => done.includes(f.path)) : since;
    const after = since.filter((f) => !mine.includes(f));
    const kb = (fs) => fs.reduce((a, f) => a + f.bytes, 0) / 1024;
    return { kb: kb(mine), requests: mine.length, files: mine.map((f) => f.path.replace(/^.*\//, '')), afterKb: kb(after), afterRequests: after.length };
  };
}

// SOON is how long after the first answer fetches still count towards a
// first query's total (issue 27: everything fetched within 2 s of the
// first answer at most Pagefind's total).
const SOON = 2000;

// soon waits SOON ms after the answer, then gives the KB of every file of
// the engine fetched since mark was called (at) and the requests, those
// fetched in the background after the answer included.
async function soon(page, t, at) {
  await page.waitForTimeout(SOON);
  await t.settled();
  const fs = t.sizes.slice(at);
  return { soonKb: (fs.reduce((a, f) => a + f.bytes, 0) + t.prefetch.bytes) / 1024, soonRequests: fs.length + t.prefetch.requests };
}

// oursCold loads /search/?q=… in a fresh context. Total time runs from the
// request for search.js to the rendered results; query time from the
// arrival of the manifest m.js (the engine is ready) to the same point.
const oursCold = (origin, q) => fresh(origin, 'ours', q, async (page, t) => {
  const since = mark(t), at = t.sizes.length;
  await page.addInitScript(recordFirstStatus);
  await page.goto(`${origin}/search/?q=${encodeURIComponent(q)}`);
  await page.waitForFunction(() => window.__bench, null, { timeout: TIMEOUT, polling: 20 });
  const r = await page.evaluate(() => {
    const res = performance.getEntriesByType('resource');
    const js = res.find((e) => new URL(e.name).pathname === '/js/search.js');
    const m = res.find((e) => new URL(e.name).pathname.endsWith('/search/data/m.js'));
    const first = window.__benchFirst === undefined ? null : window.__benchFirst - js.startTime;
    return { ms: window.__bench.t - js.startTime, firstMs: first, queryMs: window.__bench.t - m.responseEnd, status: window.__bench.status, done: window.__bench.done };
  });
  const got = await since(r.done);
  return { ms: r.ms, firstMs: r.firstMs, queryMs: r.queryMs, hits: count(r.status), ...got, ...(await soon(page, t, at)) };
});

// oursReady is the first query as a reader makes it: /search/ opened in a
// fresh context, and once the page is ready (search.js has read the
// manifest), the query submitted. Time and bytes run from the submit to the
// results in the page, and to the first of them.
const oursReady = (origin, q) => fresh(origin, 'ours', q, async (page, t) => {
  await page.goto(`${origin}/search/`);
  await page.waitForSelector('.facet-count', { state: 'attached', timeout: TIMEOUT });
  await t.settled();
  const since = mark(t);
  const r = await page.evaluate(oursSubmit, q);
  return { ms: r.ms, firstMs: r.firstMs, hits: count(r.status), ...(await since(r.done)) };
});

// The Pagefind side of a query, run in the harness page: import the module,
// init, search, and load the data of the top ten results, which is what a
// list of results needs. init is skipped once done (a warm page).
async function pagefindQuery(q) {
  const t0 = performance.now();
  if (!window.__pf) {
    window.__pf = await import('/pagefind/pagefind.js');
    await window.__pf.init();
  }
  const t1 = performance.now();
  const r = await window.__pf.search(q);
  const top = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
  const t2 = performance.now();
  return { ms: t2 - t0, queryMs: t2 - t1, hits: r.results.length, urls: top.map((d) => d.url) };
}

// pagefindCold: import, init, search and the top ten results' data in a
// blank page of the site's origin.
const pagefindCold = (origin, q) => fresh(origin, 'pagefind', q, async (page, t) => {
  const since = mark(t), at = t.sizes.length;
  await page.goto(`${origin}/pf-bench.html`);
  const r = await page.evaluate(pagefindQuery, q);
  const got = await since();
  return { ms: r.ms, queryMs: r.queryMs, hits: r.hits, ...got, ...(await soon(page, t, at)) };
});

// pagefindReady: Pagefind imported and initialised first, then the query
// timed from search() to the top ten results' data, counting the bytes
// from there.
const pagefindReady = (origin, q) => fresh(origin, 'pagefind', q, async (page, t) => {
  await page.goto(`${origin}/pf-bench.html`);
  await page.evaluate(async () => {
    window.__pf = await import('/pagefind/pagefind.js');
    await window.__pf.init();
  });
  await t.settled();
  const since = mark(t);
  const r = await page.evaluate(pagefindQuery, q);
  return { ms: r.queryMs, hits: r.hits, ...(await since()) };
});

// A submitted query in an open search page: set the box, submit the form,
// and time until the status line names this query (search.js sets it right
// after rendering), and until the list first changes (firstMs: the first
// result, when the list was empty). Returns the result links too.
function oursSubmit(q) {
  const form = document.getElementById('search-form');
  const input = document.getElementById('q');
  const st = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no results rendered')), 30_000);
    let firstMs = null;
    const lo = new MutationObserver(() => {
      if (firstMs === null && list.children.length) firstMs = performance.now() - t0;
    });
    lo.observe(list, { childList: true });
    const mo = new MutationObserver(() => {
      // "N results for QUERY." and what may follow: ", including close
      // spellings", "; the first 10 are listed"
      const s = st.textContent, at = s.indexOf(' for ' + q);
      if (at < 0 || !/^[.,;]/.test(s.slice(at + 5 + q.length))) return;
      const t1 = performance.now();
      mo.disconnect();
      lo.disconnect();
      clearTimeout(timer);
      const hrefs = [...document.querySelectorAll('#search-results > li h3 a')].map((a) => a.getAttribute('href'));
      const done = performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname); // as in recordFirstStatus
      resolve({ ms: t1 - t0, firstMs: firstMs ?? (list.children.length ? t1 - t0 : null), status: s, hrefs, done });
    });
    mo.observe(st, { childList: true, subtree: true, characterData: true });
    input.value = q;
    const t0 = performance.now();
    form.requestSubmit();
  });
}

// A typed query: one input event with the whole text, as a paste or the last
// key would give, then the time until the list is rendered. search.js waits
// 120 ms for typing to settle, so this includes that pause; its status line
// follows a second later and is not waited for.
function oursTyped(q) {
  const input = document.getElementById('q');
  const list = document.getElementById('search-results');
  const heading = document.getElementById('results-heading');
  return new Promise((resolve) => {
    // a query with no results after one with none changes nothing to see
    const timer = setTimeout(() => { mo.disconnect(); resolve({ ms: null }); }, 5_000);
    const mo = new MutationObserver(() => {
      const t1 = performance.now();
      mo.disconnect();
      clearTimeout(timer);
      resolve({ ms: t1 - t0, hits: list.children.length });
    });
    mo.observe(list, { childList: true });
    mo.observe(heading, { attributes: true });
    input.value = q;
    const t0 = performance.now();
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

// oursPage opens the search page and waits until the manifest has loaded
// (search.js then writes the count beside each filter).
async function oursPage(origin) {
  const ctx = await browser.newContext();
  const t = track(ctx, origin, 'ours');
  const page = await ctx.newPage();
  await page.goto(`${origin}/search/`);
  await page.waitForSelector('.facet-count', { state: 'attached', timeout: TIMEOUT });
  return { ctx, page, t };
}

async function pagefindPage(origin) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${origin}/pf-bench.html`);
  return { ctx, page };
}

// warm runs the whole list in one page per engine, in order; report.mjs
// leaves out the first query, which still loads the engine's files. Each
// engine runs the list twice, in a fresh page each time: back to back, the
// next query submitted the moment the last is answered, and with a reader's
// pause of PAUSE ms after each answer, the time anyone takes to look at the
// results (ours fetches its packs of rows in such pauses).
const PAUSE = Number(opt.pause ?? 1000);
async function warm(oursOrigin, pfOrigin) {
  const out = { pause: PAUSE, ours: [], oursPaused: [], oursTyped: [], pagefind: [], pagefindPaused: [] };
  const wait = () => new Promise((r) => setTimeout(r, PAUSE));
  const submitAll = async (page, into, pause) => {
    for (const q of queries) {
      try {
        const r = await page.evaluate(oursSubmit, q);
        into.push({ q, ms: r.ms, hits: count(r.status) });
      } catch (e) {
        into.push({ q, error: String(e.message || e).split('\n')[0] });
      }
      if (pause) await wait();
    }
  };
  let { ctx, page, t } = await oursPage(oursOrigin);
  await submitAll(page, out.oursPaused, true);
  await t.settled();
  out.prefetch = { ...t.prefetch };
  await ctx.close();
  ({ ctx, page } = await oursPage(oursOrigin));
  await submitAll(page, out.ours, false);
  // typed queries in a second pass: a typed query announces its count a
  // second late, which must not land while a submitted query is timed
  for (const q of queries) out.oursTyped.push({ q, ...(await page.evaluate(oursTyped, q)) });
  await ctx.close();

  for (const [into, pause] of [[out.pagefindPaused, true], [out.pagefind, false]]) {
    ({ ctx, page } = await pagefindPage(pfOrigin));
    for (const q of queries) {
      try {
        const r = await page.evaluate(pagefindQuery, q);
        into.push({ q, ms: r.queryMs, hits: r.hits });
      } catch (e) {
        into.push({ q, error: String(e.message || e).split('\n')[0] });
      }
      if (pause) await wait();
    }
    await ctx.close();
  }
  return out;
}

// ---- relevance -------------------------------------------------------------------------

// A result counts when its path, without query, fragment or a final
// index.html, is one of the wanted paths.
function norm(url) {
  const p = new URL(url, 'http://x').pathname.replace(/index\.html$/, '');
  return p.endsWith('/') || path.extname(p) ? p : p + '/';
}

async function relevance(judged, oursOrigin, pfOrigin) {
  const rows = judged.map((j) => ({ q: j.q, typo: !!j.typo, want: j.want.map(norm) }));
  const rank = (urls, want) => {
    const i = urls.slice(0, 10).map(norm).findIndex((u) => want.includes(u));
    return i < 0 ? null : i + 1;
  };
  let { ctx, page } = await oursPage(oursOrigin);
  for (const row of rows) {
    try {
      const r = await page.evaluate(oursSubmit, row.q);
      row.ours = { rank: rank(r.hrefs, row.want), top: r.hrefs.slice(0, 3).map(norm) };
    } catch (e) {
      row.ours = { rank: null, top: [], error: String(e.message || e).split('\n')[0] };
    }
  }
  await ctx.close();
  ({ ctx, page } = await pagefindPage(pfOrigin));
  for (const row of rows) {
    try {
      const r = await page.evaluate(pagefindQuery, row.q);
      row.pagefind = { rank: rank(r.urls, row.want), top: r.urls.slice(0, 3).map(norm) };
    } catch (e) {
      row.pagefind = { rank: null, top: [], error: String(e.message || e).split('\n')[0] };
    }
  }
  await ctx.close();
  return rows;
}

// coldPass runs every cold query on both engines, interleaved query by
// query so that drift hits both alike, after a warm-up run each. Between runs the browser gets a
// moment to finish closing the last context (its renderer and, for
// Pagefind, its worker), which on two cores otherwise lands in the next run.
async function coldPass(oursOrigin, pfOrigin, label, ready) {
  const out = { ours: [], pagefind: [], ...(ready ? { oursReady: [], pagefindReady: [] } : {}) };
  const settle = () => new Promise((r) => setTimeout(r, 300));
  // one unrecorded run each first: the browser's first contexts are slower
  await oursCold(oursOrigin, coldQueries[0]);
  await pagefindCold(pfOrigin, coldQueries[0]);
  await settle();
  for (const [i, q] of coldQueries.entries()) {
    out.ours.push(await oursCold(oursOrigin, q));
    await settle();
    out.pagefind.push(await pagefindCold(pfOrigin, q));
    await settle();
    if (ready) {
      out.oursReady.push(await oursReady(oursOrigin, q));
      await settle();
      out.pagefindReady.push(await pagefindReady(pfOrigin, q));
      await settle();
    }
    process.stderr.write(`\r${label} ${i + 1}/${coldQueries.length}`);
  }
  process.stderr.write('\n');
  return out;
}

// ---- main ------------------------------------------------------------------------------

// The Pagefind harness page: blank, no script; queries run through
// page.evaluate on its origin.
fs.writeFileSync(path.join(opt.pagefind, 'pf-bench.html'),
  '<!doctype html><html lang="en"><meta charset="utf-8"><title>Pagefind benchmark</title><p>Pagefind benchmark page.</p></html>\n');

class Done extends Error {}
const results = { queries, index: indexStats(), load: {} };
// the 1-minute load average as each pass starts: timings are only fair on a quiet machine
const noteLoad = (pass) => { results.load[pass] = Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]); };
try {
  browser = await chromium.launch({ executablePath: opt.chromium });
  results.chromium = browser.version();
  const oursOrigin = await serve(opt.ours);
  const pfOrigin = await serve(opt.pagefind);

  noteLoad('cold');
  results.cold = await coldPass(oursOrigin, pfOrigin, 'cold', true);
  if (Number(opt.latency) > 0) {
    const ms = Number(opt.latency);
    noteLoad('latency');
    results.latency = { ms, ...(await coldPass(await serve(opt.ours, ms), await serve(opt.pagefind, ms), `cold, ${ms} ms a response`)) };
  }
  if (opt['cold-only']) throw new Done();
  process.stderr.write('warm\n');
  noteLoad('warm');
  results.warm = await warm(oursOrigin, pfOrigin);

  if (opt.judged) {
    if (!fs.existsSync(opt.judged)) {
      results.relevance = { file: opt.judged, missing: true };
    } else {
      process.stderr.write('relevance\n');
      noteLoad('relevance');
      const exDir = opt['example-pagefind'];
      fs.writeFileSync(path.join(exDir, 'pf-bench.html'), fs.readFileSync(path.join(opt.pagefind, 'pf-bench.html')));
      const judged = JSON.parse(fs.readFileSync(opt.judged, 'utf8'));
      results.relevance = {
        file: opt.judged,
        rows: await relevance(judged, await serve(opt['example-ours']), await serve(exDir)),
      };
    }
  }
} catch (e) {
  if (!(e instanceof Done)) throw e;
} finally {
  await browser?.close();
  stopServers();
}
noteLoad('end');
fs.writeFileSync(opt.out, JSON.stringify(results, null, 1) + '\n');
