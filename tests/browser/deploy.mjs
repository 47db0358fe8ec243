// The example site served from each bucket tests/deploy filled, in
// Chromium. A small proxy does what a CDN in front of a bucket does: /a/
// is the object a/index.html, a missing object is the site's 404.html
// with status 404, each object's stored Content-Type, Content-Encoding
// and Cache-Control pass through as they are, and the headers of the
// site's _headers (its strict policy) are added, as the README tells
// people to set them in the CDN. Home, a story, a theme and the search
// page (a query typed) must render with no console error, failed request
// or CSP violation; a stylesheet arrives gzipped with the matcher's
// Cache-Control; a deleted story's address answers 404 with the site's
// page.
//
//   node deploy.mjs --asset-cache VALUE NAME=TEMPLATE ...
//
// TEMPLATE is an object's address, anonymous, with {path} (the key, each
// segment escaped) or {key} (the key escaped whole) in it. Every check
// prints a PASS or FAIL line; exit status 1 when any fails.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { check, finish } from './checks.mjs';
import { hostRules } from './serve.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--asset-cache');
if (at < 0 || args.length < 3) {
  console.error('usage: node deploy.mjs --asset-cache VALUE NAME=TEMPLATE ...');
  process.exit(2);
}
const assetCache = args.splice(at, 2)[1];
const PAGES = ['/', '/stories/denis/', '/themes/personalised-care/', '/search/'];
const PASSED = ['content-type', 'content-encoding', 'cache-control', 'content-length', 'content-range', 'accept-ranges', 'etag', 'last-modified'];

// get is one GET, the body left unread and undecoded.
const get = (url, headers) => new Promise((resolve, reject) => http.get(url, { headers }, resolve).on('error', reject));

// cdn serves the bucket behind template on 127.0.0.1, a free port.
async function cdn(template) {
  const url = (key) => template.replace('{path}', key.split('/').map(encodeURIComponent).join('/')).replace('{key}', encodeURIComponent(key));
  const res = await get(url('_headers'), {});
  let text = '';
  for await (const chunk of res) text += chunk;
  if (res.statusCode !== 200) throw new Error(`${url('_headers')}: ${res.statusCode}; the bucket should hold the site's _headers`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'otpress-deploy-')), '_headers');
  fs.writeFileSync(file, text);
  const rules = hostRules(file, 'cloudflare');
  const server = http.createServer(async (req, res) => {
    try {
      const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      const key = pathname.slice(1) + (pathname.endsWith('/') ? 'index.html' : '');
      const ask = { 'accept-encoding': 'gzip', ...(req.headers.range ? { range: req.headers.range } : {}) };
      let obj = await get(url(key), ask), status = obj.statusCode;
      if (status === 404) {
        obj.resume();
        obj = await get(url('404.html'), { 'accept-encoding': 'gzip' });
      }
      const headers = Object.fromEntries(PASSED.filter((h) => obj.headers[h]).map((h) => [h, obj.headers[h]]));
      res.writeHead(status, { ...headers, ...rules(pathname) });
      obj.pipe(res);
    } catch (e) {
      res.writeHead(502);
      res.end(String(e));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
try {
  for (const arg of args) {
    const name = arg.slice(0, arg.indexOf('=')), template = arg.slice(arg.indexOf('=') + 1);
    const server = await cdn(template);
    const origin = `http://127.0.0.1:${server.address().port}`;
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const problems = [], responses = [];
    await ctx.exposeBinding('otpressViolation', ({ page }, v) => problems.push(`${page.url()}: CSP violation: ${v}`));
    await ctx.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => window.otpressViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`)));
    const page = await ctx.newPage();
    page.setDefaultTimeout(15000);
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`${page.url()}: console error: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`${page.url()}: uncaught ${String(e).split('\n')[0]}`));
    page.on('requestfailed', (r) => problems.push(`${r.url()}: request failed: ${r.failure()?.errorText}`));
    page.on('response', (r) => { responses.push(r); if (r.status() >= 400) problems.push(`${r.url()}: ${r.status()}`); });

    for (const p of PAGES) {
      problems.length = 0;
      const res = await page.goto(origin + p, { waitUntil: 'networkidle' });
      if (p === '/search/') {
        await page.waitForSelector('#search-form .facet-count', { state: 'attached' });
        await page.click('#q');
        await page.keyboard.type('Denis', { delay: 20 });
        const found = await page.waitForSelector('#search-results a[href="/stories/denis/"]').then(() => true, () => false);
        check(`${name} ${p}: typing "Denis" finds Denis's story`, found);
      }
      const look = await page.evaluate(() => ({
        title: document.title,
        styled: document.styleSheets.length > 0 && [...document.styleSheets].every((s) => s.cssRules.length > 0),
        pictures: [...document.images].filter((i) => i.loading !== 'lazy').every((i) => i.complete && i.naturalWidth > 0),
      }));
      const h = res.headers();
      check(`${name} ${p}: 200, the site's policy, served as a page`, res.status() === 200 && /^default-src 'self'/.test(h['content-security-policy'] || '') &&
        h['content-type'] === 'text/html; charset=utf-8' && h['cache-control'] === 'public, max-age=300' && !h['content-encoding'], `${res.status()} ${JSON.stringify(h)}`);
      check(`${name} ${p}: renders the last deploy (its title), styled, its pictures shown`, look.title.includes('OT Stories, deployed') && look.styled && look.pictures, JSON.stringify(look));
      check(`${name} ${p}: no console error, failed request or CSP violation`, problems.length === 0, problems.join(' | '));
    }

    // the example site has fingerprint = true: pages link main.<hash>.css,
    // kept a year
    const css = responses.find((r) => /^\/css\/main\.[0-9a-f]{10}\.css$/.test(new URL(r.url()).pathname));
    const ch = css ? css.headers() : {};
    check(`${name}: /css/main.<hash>.css reached the browser gzipped, kept a year (immutable)`, css && css.status() === 200 && ch['content-encoding'] === 'gzip' &&
      ch['cache-control'] === 'public, max-age=31536000, immutable' && ch['content-type'] === 'text/css; charset=utf-8', `${css && css.url()} ${JSON.stringify(ch)}`);
    const icon = await get(`${origin}/favicon.svg`, { 'accept-encoding': 'gzip' });
    icon.resume();
    check(`${name}: /favicon.svg served gzipped with the matcher's Cache-Control`, icon.statusCode === 200 && icon.headers['content-encoding'] === 'gzip' &&
      icon.headers['cache-control'] === assetCache, JSON.stringify(icon.headers));

    problems.length = 0;
    const gone = await page.goto(origin + '/stories/dylan/', { waitUntil: 'networkidle' });
    const is404 = await page.evaluate(() => document.body.classList.contains('page-404'));
    check(`${name}: the deleted story's address answers 404 with the site's page`, gone.status() === 404 && is404, `${gone.status()}, page-404 ${is404}`);
    const others = problems.filter((m) => !m.includes('/stories/dylan/'));
    check(`${name}: the 404 page has no other console error, failed request or CSP violation`, others.length === 0, others.join(' | '));
    await ctx.close();
    server.close();
  }
} finally {
  await browser.close();
}
finish('deployed site');
