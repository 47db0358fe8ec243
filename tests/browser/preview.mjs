// The editors' preview in a real browser (Debian's Chromium driven by
// playwright-core): "generator serve" on a copy of a site, a page open in a
// tab, files edited on disk. The open page must reload by itself after an
// edit and keep its scroll position; a CSS-only edit swaps the stylesheet
// without reloading; a broken file shows its problems over the last good
// page (axe-clean), and fixing it removes them by itself. With --navigate,
// saving a story takes a page open elsewhere to it.
//
//   node preview.mjs GENERATOR_BINARY SITE_DIR
//
// SITE_DIR is copied to a temporary folder first (content/, data/, static/,
// site.toml), so the repository is never edited. Every check prints a PASS
// or FAIL line; exit status 1 when any fails.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { axe, check, finish } from './checks.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [bin, src] = process.argv.slice(2);


const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otpress-preview-'));
for (const p of ['content', 'data', 'static', 'site.toml']) {
  if (fs.existsSync(path.join(src, p))) fs.cpSync(path.join(src, p), path.join(dir, p), { recursive: true });
}
const story = path.join(dir, 'content/stories/denis.md');
const original = fs.readFileSync(story, 'utf8');

// serve starts "generator serve" on the copy with more flags, and resolves
// to the server, its address and its output so far.
function serve(...flags) {
  const server = spawn(bin, ['serve', '-s', dir, '--port', '0', ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
  const out = { server, log: '' };
  return new Promise((resolve, reject) => {
    server.stdout.on('data', (d) => {
      out.log += d;
      const m = out.log.match(/at (http:\/\/\S+)/);
      if (m && !out.url) { out.url = m[1]; resolve(out); }
    });
    server.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out.log}`)));
  });
}
const first = await serve();
const { server, url } = first;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 700 } })).newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(url + 'stories/denis/');
  await page.waitForFunction(() => window.otpressLive && window.otpressLive.readyState === 1);
  await page.evaluate(() => { document.body.dataset.marker = 'before'; window.scrollTo(0, 600); });
  const y0 = await page.evaluate(() => window.scrollY);
  // a second tab on a page the edit does not touch
  const other = await page.context().newPage();
  await other.goto(url + 'features/');
  await other.waitForFunction(() => window.otpressLive && window.otpressLive.readyState === 1);
  await other.evaluate(() => { document.body.dataset.marker = 'untouched'; });

  // a body edit: the page reloads by itself, at the same place
  fs.writeFileSync(story, original.replace(/^## (.*)$/m, '## $1 (edited in the preview test)'));
  await page.waitForFunction(() => document.body.innerText.includes('(edited in the preview test)'), null, { timeout: 15000 }).catch(() => {});
  const after = await page.evaluate(() => ({ marker: document.body.dataset.marker, text: document.body.innerText, y: window.scrollY }));
  check('an open page shows the edit by itself', after.marker === undefined && after.text.includes('(edited in the preview test)'), after.text.slice(0, 80));
  check('…and keeps its scroll position', Math.abs(after.y - y0) < 5, `scrollY ${y0} → ${after.y}`);
  await page.waitForSelector('.pack-tools:not([hidden]) .add-to-pack', { timeout: 5000 }).catch(() => {});
  check('…with the learning packs script run again on the new page ("Add to my pack" shown)', await page.isVisible('.add-to-pack'));
  check('a page the edit did not change stays as it is', (await other.evaluate(() => document.body.dataset.marker)) === 'untouched');
  await other.close();

  // a CSS-only edit swaps the stylesheet, no reload
  await page.evaluate(() => { window.__marker = 'kept'; });
  fs.mkdirSync(path.join(dir, 'static/css'), { recursive: true });
  const css = path.join(dir, 'static/css/main.css');
  const theme = fs.readFileSync(new URL('../../themes/default/static/css/main.css', import.meta.url), 'utf8');
  fs.writeFileSync(css, theme + '\nh1 { letter-spacing: 0.3em; }\n');
  await page.waitForFunction(() => getComputedStyle(document.querySelector('h1')).letterSpacing !== 'normal', null, { timeout: 15000 }).catch(() => {});
  const cssState = await page.evaluate(() => ({ marker: window.__marker, spacing: getComputedStyle(document.querySelector('h1')).letterSpacing }));
  check('a CSS-only edit restyles the page without reloading it', cssState.marker === 'kept' && cssState.spacing !== 'normal', JSON.stringify(cssState));

  // a broken file: the last good page stays, with the problems over it
  fs.writeFileSync(story, original.replace(/^date: .*$/m, 'date: next Tuesday'));
  await page.waitForSelector('.otpress-overlay', { timeout: 15000 }).catch(() => {});
  const overlay = await page.evaluate(() => { const o = document.querySelector('.otpress-overlay'); return o && { role: o.getAttribute('role'), text: o.innerText, h1: document.querySelector('h1').textContent }; });
  check('a broken file shows its problem over the page', overlay && overlay.role === 'alert' && /content\/stories\/denis\.md:\d+:\d+/.test(overlay.text) && overlay.text.includes('next Tuesday'), overlay && overlay.text.slice(0, 200));
  check('…over the last good version of the page', overlay && overlay.h1.length > 0);
  const violations = await axe(page);
  check('axe-core passes with the problems shown', violations.length === 0, violations.join('; '));
  // the problem is named once in the terminal
  const named = (first.log.match(/is not a date/g) || []).length;
  check('the terminal names the problem once', named === 1, `${named} times`);

  // fixing it removes the overlay by itself
  fs.writeFileSync(story, original);
  await page.waitForFunction(() => !document.querySelector('.otpress-overlay') && !document.body.innerText.includes('(edited in the preview test)'), null, { timeout: 15000 }).catch(() => {});
  check('fixing the file removes the problems by itself', await page.evaluate(() => !document.querySelector('.otpress-overlay') && !document.body.innerText.includes('(edited in the preview test)')));

  // a page with scripts of its own (an episode's player) reloads instead, at the same place
  const episode = path.join(dir, 'content/episodes/its-all-about-people-72/index.md');
  const epSrc = fs.readFileSync(episode, 'utf8');
  await page.goto(url + 'episodes/its-all-about-people-72/');
  await page.waitForFunction(() => window.otpressLive && window.otpressLive.readyState === 1);
  await page.evaluate(() => { window.__marker = 'old page'; window.scrollTo(0, 500); });
  const y2 = await page.evaluate(() => window.scrollY);
  const loaded = page.waitForEvent('load', { timeout: 15000 });
  fs.writeFileSync(episode, epSrc.replace('## What the episode covers', '## What the episode covers (edited)'));
  await loaded;
  await page.waitForFunction(() => window.otpressLive && window.otpressLive.readyState === 1);
  const ep = await page.evaluate(() => ({ marker: window.__marker, text: document.body.innerText, y: window.scrollY, player: !!document.querySelector('script[src*="episode.js"]') }));
  check('a page with its own scripts reloads, keeping its scroll position', ep.marker === undefined && ep.text.includes('(edited)') && Math.abs(ep.y - y2) < 5, JSON.stringify({ ...ep, text: undefined }));
  fs.writeFileSync(episode, epSrc);

  // serve --navigate: saving a story takes an open page elsewhere to it
  const nav = await serve('--navigate');
  try {
    const home = await page.context().newPage();
    home.on('pageerror', (e) => problems.push(String(e)));
    await home.goto(nav.url);
    await home.waitForFunction(() => window.otpressLive && window.otpressLive.readyState === 1);
    fs.writeFileSync(story, original.replace(/^## (.*)$/m, '## $1 (saved for the navigate check)'));
    await home.waitForURL(nav.url + 'stories/denis/', { timeout: 15000 }).catch(() => {});
    check('with --navigate, saving a story takes an open page to it', home.url() === nav.url + 'stories/denis/' &&
      (await home.innerText('body')).includes('(saved for the navigate check)'), home.url());
    fs.writeFileSync(story, original);
  } finally {
    nav.server.kill('SIGINT');
    await new Promise((r) => nav.server.once('exit', r));
  }
  check('no script errors or CSP violations', problems.length === 0, problems.join('; '));
} finally {
  await browser.close();
  server.kill('SIGINT');
  await new Promise((r) => server.once('exit', r));
  check('Ctrl+C stops the preview cleanly', /Stopped\./.test(first.log), first.log.slice(-200));
  fs.rmSync(dir, { recursive: true, force: true });
}
finish('preview');
