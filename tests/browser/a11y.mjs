// The accessibility gate: every built page in a real browser (Debian's
// Chromium driven by playwright-core), checked by axe-core and by our own
// keyboard, reflow and print checks.
//
//   node a11y.mjs SITE_DIR [SITE_DIR...]
//
// Each SITE_DIR is a built public/ folder. It is served on 127.0.0.1 with a
// strict Content-Security-Policy; a page that breaks it fails. Exit status 0
// when every check passes, 1 otherwise. Ends with one line: N passed, M failed.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { serve } from './serve.mjs';
import { htmlPages, sample } from './pages.mjs';
import fs from 'node:fs';

// axe-core from npm, injected into every page before it loads (through the
// DevTools protocol, so the page's CSP does not apply to it). Running
// axe.run directly measured 0.5 s a page here against 2.5 s through
// @axe-core/playwright, which re-injects axe and runs frame by frame.
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const MAX_PAGES = Number(process.env.A11Y_MAX_PAGES || 200);
const MODES = [
  { name: '1280 light', width: 1280, colorScheme: 'light' },
  { name: '320 light', width: 320, colorScheme: 'light' },
  { name: '1280 dark', width: 1280, colorScheme: 'dark' },
  { name: '320 dark', width: 320, colorScheme: 'dark' },
  { name: '1280 forced colours', width: 1280, colorScheme: 'light', forcedColors: 'active' },
  { name: '1280 reduced motion', width: 1280, colorScheme: 'light', reducedMotion: 'reduce' },
];

// A11Y_MODES, names of modes separated by commas, checks those alone: for
// a site whose templates another site checks in every mode (the same
// templates in another language, or at scale), what may differ is its
// words and its lengths, which light and narrow show.
const modes = process.env.A11Y_MODES ? process.env.A11Y_MODES.split(',').map(n => {
  const m = MODES.find(m => m.name === n.trim());
  if (!m) { console.error(`A11Y_MODES: no mode "${n}"; the modes are ${MODES.map(m => m.name).join(', ')}`); process.exit(2); }
  return m;
}) : MODES;

let passed = 0, failed = 0;
const failures = [];
function fail(where, msg) { failed++; failures.push(`${where}: ${msg}`); console.log(`FAIL ${where}: ${msg}`); }
function pass() { passed++; }


// checkPage loads one page in a worker's tab and runs axe, the reflow check
// and the CSP check; extra runs the keyboard and print checks.
async function checkPage(tab, base, p, mode, extra) {
  const where = `${p.url} [${mode.name}]`;
  const { page, errors } = tab;
  errors.length = 0;
  try {
    const resp = await page.goto(base + p.url, { waitUntil: 'load' });
    if (!resp || resp.status() !== 200) fail(where, `HTTP ${resp && resp.status()}`);
    const results = await page.evaluate(tags => axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), TAGS);
    if (results.violations.length) {
      for (const v of results.violations) fail(where, `axe ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
    } else pass();
    // 1.4.10 Reflow: nothing wider than the viewport scrolls the page.
    const overflow = await page.evaluate(() => {
      const w = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth <= w) return null;
      const wide = [...document.querySelectorAll('body *')].filter(el => el.getBoundingClientRect().right > w + 1 && !el.closest('.scroll-box')).slice(0, 3);
      return `${document.documentElement.scrollWidth}px wide: ` + wide.map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')).join(', ');
    });
    if (overflow) fail(where, `page scrolls sideways (${overflow})`); else pass();
    if (errors.length) fail(where, `Content-Security-Policy or script errors: ${errors.join('; ')}`); else pass();
    if (extra) await extra(page, where);
  } catch (e) {
    fail(where, `the check could not run: ${e.message.split('\n')[0]}`);
  }
}

async function newTab(context) {
  const page = await context.newPage();
  const errors = [];
  page.on('console', m => { if (m.type() === 'error' && /Content.Security.Policy|Refused to/i.test(m.text())) errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  return { page, errors };
}

// keyboard: the first Tab reaches the skip link, which moves focus to main;
// Tab then walks every focusable element in order, each one visibly
// different from its unfocused look and not hidden behind anything, and
// leaves the page at the end (no trap).
async function keyboard(page, where) {
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement && document.activeElement.className);
  if (first !== 'skip-link') { fail(where, `first Tab stop is "${first}", not the skip link`); return; }
  const visible = await page.evaluate(() => { const r = document.activeElement.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && r.width > 0; });
  if (!visible) fail(where, 'the focused skip link is not visible'); else pass();
  await page.keyboard.press('Enter');
  const onMain = await page.evaluate(() => document.activeElement && document.activeElement.id);
  if (onMain !== 'main-content') fail(where, `the skip link moved focus to "${onMain}", not main`); else pass();

  // From a fresh load, note how every focusable element looks unfocused.
  await page.goto(page.url().split('#')[0], { waitUntil: 'load' });
  const expected = await page.evaluate(() => {
    const look = el => { const cs = getComputedStyle(el); return [cs.outlineStyle, cs.outlineWidth, cs.outlineColor, cs.backgroundColor, cs.color, cs.boxShadow, cs.textDecorationLine, cs.borderColor].join(';'); };
    const els = [...document.querySelectorAll('a[href], button, input, select, textarea, audio[controls], video[controls], [tabindex]:not([tabindex="-1"]), summary')]
      .filter(el => !el.disabled && el.checkVisibility({ visibilityProperty: true }));
    window.__unfocused = els.map(look);
    els.forEach((el, i) => { el.dataset.a11yId = String(i); });
    window.__look = look;
    return els.length;
  });
  const seen = new Set();
  let order = -1, wrapped = false;
  for (let i = 0; i < expected + 20; i++) { // every stop, however long the page (a table of every story's figures)
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const id = el.dataset.a11yId;
      // hidden: what is drawn at its centre is something else; a link in a
      // drawing (a map's node: a circle and its label, apart) at the
      // centre of each of its shapes, hidden when all of them are
      const hidden = (part) => {
        const r = part.getBoundingClientRect();
        const cx = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1), cy = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
        const atPoint = document.elementFromPoint(cx, cy);
        return !!atPoint && !(el === atPoint || el.contains(atPoint) || atPoint.contains(el));
      };
      const parts = el instanceof SVGElement ? [...el.querySelectorAll('circle, text')] : [];
      return {
        id: id === undefined ? null : Number(id),
        native: el.matches('audio, video'), // the browser draws focus on its own controls
        changed: id !== undefined && window.__look(el) !== window.__unfocused[Number(id)],
        obscured: parts.length ? parts.every(hidden) : hidden(el),
        tag: el.tagName.toLowerCase(),
        text: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40),
      };
    });
    if (info === null) break; // focus left the page: no trap
    if (info.id === null) { fail(where, `Tab reached <${info.tag}> "${info.text}", which was not focusable at load`); continue; }
    if (seen.has(info.id)) { if (info.id === 0) { wrapped = true; break; } continue; } // inner stops of a media control
    seen.add(info.id);
    if (info.id < order) fail(where, `Tab order goes back up the page at <${info.tag}> "${info.text}"`);
    order = info.id;
    if (!info.changed && !info.native) fail(where, `focus is not visible on <${info.tag}> "${info.text}"`);
    if (info.obscured) fail(where, `focused <${info.tag}> "${info.text}" is hidden behind another element`);
  }
  if (wrapped || seen.size === expected) pass();
  if (seen.size < expected) fail(where, `Tab reached ${seen.size} of ${expected} focusable elements`);
}

// print: under print media the navigation is hidden and the main text shows.
async function print(page, where) {
  await page.emulateMedia({ media: 'print' });
  const r = await page.evaluate(() => ({
    nav: [...document.querySelectorAll('header nav, .breadcrumbs, .skip-link')].some(el => el.checkVisibility()),
    main: document.querySelector('main').checkVisibility(),
    h1: document.querySelector('h1').checkVisibility(),
  }));
  if (r.nav) fail(where, 'navigation is visible in print'); else pass();
  if (!r.main || !r.h1) fail(where, 'main text is hidden in print'); else pass();
  const pdf = await page.pdf({ format: 'A4', tagged: true, outline: true });
  const text = pdf.toString('latin1');
  if (!text.includes('/StructTreeRoot')) fail(where, 'the PDF is not tagged'); else pass();
}

const dirs = process.argv.slice(2);
if (!dirs.length) { console.error('usage: node a11y.mjs SITE_DIR...'); process.exit(2); }
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
});
try {
  for (const dir of dirs) {
    const server = await serve(dir);
    const base = `http://127.0.0.1:${server.address().port}`;
    const all = htmlPages(dir);
    const pages = sample(all.filter(p => !p.redirect), MAX_PAGES);
    const kinds = [...new Set(pages.map(p => p.kind))].sort();
    console.log(`${dir}: ${all.length} pages, checking ${pages.length} (${kinds.join(', ')}) in ${modes.length} modes`);
    for (const mode of modes) {
      const context = await browser.newContext({
        viewport: { width: mode.width, height: 800 },
        colorScheme: mode.colorScheme, forcedColors: mode.forcedColors || 'none', reducedMotion: mode.reducedMotion || 'no-preference',
      });
      await context.addInitScript(AXE);
      const firstOfKind = new Set();
      const queue = pages.map(p => {
        let extra = null;
        // keyboard and print checks: once per template, at desktop width
        if (mode.name === '1280 light' && !firstOfKind.has(p.kind)) {
          firstOfKind.add(p.kind);
          // in a tab of its own, brought to the front, so key presses land
          extra = async (_, where) => {
            const page = await context.newPage();
            try {
              await page.bringToFront();
              await page.goto(base + p.url, { waitUntil: 'load' });
              await keyboard(page, where);
              if (p.kind === 'story') await print(page, where);
            } finally { await page.close(); }
          };
        }
        return tab => checkPage(tab, base, p, mode, extra);
      });
      // a few tabs at a time, each reused from page to page
      await Promise.all(Array.from({ length: 3 }, async () => {
        const tab = await newTab(context);
        while (queue.length) await queue.shift()(tab);
        await tab.page.close();
      }));
      await context.close();
    }
    server.close();
  }
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
