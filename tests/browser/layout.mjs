// The layout test: every page of each built site, in Debian's Chromium at
// 320, 375, 768 and 1280 px, checked for what a reader on a phone or a
// magnified screen meets first:
//
//   - nothing wider than the viewport, and nothing cut off by an ancestor
//     that hides its overflow, unless it sits in a scroll region a keyboard
//     can reach (tabindex) and a screen reader can name (aria-label or
//     aria-labelledby);
//   - no text drawn over other text (HTML text and SVG labels alike);
//   - on theme maps, no label over a node.
//
// It also writes a full-page screenshot of the first page of each template
// at 375 and 1280 px into SHOTS_DIR (default: ./screenshots, not committed),
// so a reviewer can look at every template.
//
//   node layout.mjs SITE_DIR [SITE_DIR...]
//
// LAYOUT_MAX_PAGES (default 60) caps the pages of a large site: one of each
// template, then an even spread. Exit status 1 when any check fails.
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';
import { htmlPages, sample } from './pages.mjs';
import fs from 'node:fs';
import path from 'node:path';

const WIDTHS = [320, 375, 768, 1280];
const SHOT_WIDTHS = [375, 1280];
const MAX_PAGES = Number(process.env.LAYOUT_MAX_PAGES || 60);
const SHOTS = path.resolve(process.env.SHOTS_DIR || 'screenshots');

let passed = 0, failed = 0;
function fail(where, msg) { failed++; console.log(`FAIL ${where}: ${msg}`); }

// inspect runs in the page and returns its layout problems as strings.
function inspect() {
  const vw = document.documentElement.clientWidth;
  const problems = [];
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    else if (typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\s+/).join('.');
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ');
    return text ? `${s} ("${text.slice(0, 40)}${text.length > 40 ? '…' : ''}")` : s;
  };
  // hidden on purpose: the visually-hidden pattern (clipped to 1px) and
  // skip links parked off-screen until focused
  const parked = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.clip !== 'auto' && cs.position === 'absolute') return true;
      if (cs.clipPath && cs.clipPath !== 'none') return true;
      if (cs.position === 'absolute' || cs.position === 'fixed') {
        const r = e.getBoundingClientRect();
        if (r.right <= 0 || r.bottom <= 0) return true;
      }
    }
    return false;
  };
  const scrolls = (cs) => /(auto|scroll)/.test(cs.overflowX) || /(auto|scroll)/.test(cs.overflowY);
  const hides = (cs) => /(hidden|clip)/.test(cs.overflowX) || /(hidden|clip)/.test(cs.overflowY);
  const labelled = (el) => el.tabIndex >= 0 && (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby'));
  // a scroll region must show that it scrolls: scrollbars are often drawn
  // only while scrolling (phones, macOS), so a shadow at the cut edge
  // (a gradient background) is the cue
  const cued = (el) => /gradient/.test(getComputedStyle(el).backgroundImage);

  if (document.documentElement.scrollWidth > vw + 1) problems.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${vw}px viewport`);

  const seen = new Set();
  const report = (key, msg) => { if (!seen.has(key)) { seen.add(key); problems.push(msg); } };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || !el.checkVisibility({ contentVisibilityAuto: true })) continue;
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue; // inside a drawing: checked as a whole
    // the nearest ancestor that scrolls or hides overflow, and whether this
    // element spills out of it
    let box = null;
    for (let a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (scrolls(cs) || hides(cs)) { box = a; break; }
    }
    if (box) {
      const cs = getComputedStyle(box);
      const b = box.getBoundingClientRect();
      const spills = r.right > b.right + 1 || r.left < b.left - 1 || r.bottom > b.bottom + 1 || r.top < b.top - 1;
      if (spills && !parked(el)) {
        if (scrolls(cs)) {
          if (!labelled(box)) report(box, `${name(box)} scrolls but has no tabindex and aria-label(ledby): a keyboard cannot reach it, a screen reader cannot name it`);
          else if (!cued(box)) report(box, `${name(box)} scrolls but nothing shows it does: give it a shadow at the cut edge`);
        } else report(el, `${name(el)} is cut off by ${name(box)}, which hides its overflow`);
        continue;
      }
      if (scrolls(cs) && labelled(box)) continue; // inside a labelled scroll region
    }
    if ((r.right > vw + 1 || r.left < -1) && !parked(el)) {
      // report the outermost element that is too wide, not each child
      const parent = el.parentElement.getBoundingClientRect();
      if (el.parentElement === document.body || parent.right <= vw + 1 && parent.left >= -1) report(el, `${name(el)} reaches ${Math.round(r.left)}..${Math.round(r.right)}px in a ${vw}px viewport`);
    }
  }

  // text over text: every line box of every text node, and every SVG label
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.data.trim()) continue;
    const el = n.parentElement;
    if (!el || el.closest('svg, script, style, noscript') || parked(el)) continue;
    if (!el.checkVisibility({ contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true })) continue; // closed <details>, hidden
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) if (r.width > 1 && r.height > 1) boxes.push({ r, el, n });
  }
  for (const t of document.querySelectorAll('svg text')) {
    const r = t.getBoundingClientRect();
    if (r.width > 1 && r.height > 1 && t.checkVisibility({ opacityProperty: true, visibilityProperty: true })) boxes.push({ r, el: t, n: t });
  }
  boxes.sort((a, b) => a.r.top - b.r.top);
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].r.top < a.r.bottom; j++) {
      const b = boxes[j];
      if (a.n === b.n) continue;
      const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (w > 2 && h > 0.25 * Math.min(a.r.height, b.r.height)) {
        report(a.el.tagName + b.el.tagName + Math.round(a.r.top) + Math.round(a.r.left), `text overlaps text: ${name(a.el)} and ${name(b.el)} at ${Math.round(Math.max(a.r.left, b.r.left))},${Math.round(Math.max(a.r.top, b.r.top))}`);
      }
    }
  }

  // theme maps: no label over a node (a circle, by its centre and radius)
  for (const svg of document.querySelectorAll('svg')) {
    if (!svg.checkVisibility()) continue; // a drawing for another width
    const circles = [...svg.querySelectorAll('circle')].map(c => { const r = c.getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2, rad: r.width / 2, c }; }).filter(c => c.rad > 1);
    if (!circles.length) continue;
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.width === 0) continue;
      for (const c of circles) {
        const dx = Math.max(r.left - c.x, 0, c.x - r.right);
        const dy = Math.max(r.top - c.y, 0, c.y - r.bottom);
        if (dx * dx + dy * dy < (c.rad - 1) * (c.rad - 1)) report(t, `map label ${name(t)} at ${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)} lies over a node at ${Math.round(c.x)},${Math.round(c.y)} r ${Math.round(c.rad)}`);
      }
    }
  }
  return problems;
}

const sites = process.argv.slice(2);
if (!sites.length) { console.error('usage: node layout.mjs SITE_DIR [SITE_DIR...]'); process.exit(2); }
fs.mkdirSync(SHOTS, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
});
const shots = [];
try {
  for (const dir of sites) {
    const server = await serve(dir);
    const origin = `http://127.0.0.1:${server.address().port}`;
    const label = path.basename(dir);
    const all = htmlPages(dir).filter(p => !p.redirect);
    const pages = sample(all, MAX_PAGES);
    console.log(`${dir}: ${all.length} pages, checking ${pages.length} at ${WIDTHS.join(', ')} px`);
    for (const width of WIDTHS) {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      const firstOfKind = new Set();
      const queue = [...pages];
      await Promise.all(Array.from({ length: 3 }, async () => {
        const page = await context.newPage();
        while (queue.length) {
          const p = queue.shift();
          const where = `${p.url} [${width}px]`;
          try {
            await page.goto(origin + p.url, { waitUntil: 'load' });
            const problems = await page.evaluate(inspect);
            if (problems.length) for (const m of problems.slice(0, 8)) fail(where, m);
            else passed++;
            if (problems.length > 8) fail(where, `and ${problems.length - 8} more`);
            if (SHOT_WIDTHS.includes(width) && !firstOfKind.has(p.kind)) {
              firstOfKind.add(p.kind);
              const file = path.join(SHOTS, `${label}-${p.kind}-${width}.png`);
              await page.screenshot({ path: file, fullPage: true });
              shots.push(file);
            }
          } catch (e) {
            fail(where, `the check could not run: ${e.message.split('\n')[0]}`);
          }
        }
        await page.close();
      }));
      await context.close();
    }
    server.close();
  }
} finally {
  await browser.close();
}
console.log(`screenshots: ${shots.length} in ${SHOTS}`);
console.log(`layout: ${passed} pages passed, ${failed} problems`);
process.exit(failed ? 1 : 0);
