// Theme maps in a real browser (Debian's Chromium driven by playwright-core):
// on /themes/ and every theme page with a map, at 320, 375, 640 (1280 px
// at 200% zoom) and 1280 px wide, light and dark, each map drawing shown
// fits its column (no sideways scrolling), its labels are at least 12 CSS
// px, inside the drawing, and no label's box (getBBox, in screen
// coordinates) overlaps another label, a node's circle or the end of a
// line. A map hidden by its media query is not checked; at least one
// drawing of each map must show at every width.
//
//   node maps.mjs SITE_DIR [SITE_DIR…]
//
// MAPS_MAX_PAGES=N checks only /themes/ and the first theme pages, N in all.
// SHOTS=DIR also writes a screenshot of /themes/ and the first theme page
// with a map at 375 and 1280 px in light and dark (and in forced colours and
// print at 375 px) into DIR, named after the site's folder. Every check
// prints a PASS or FAIL line; exit status 1 when any fails.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { check, finish } from './checks.mjs';
import { serve } from './serve.mjs';

const WIDTHS = [320, 375, 640, 1280];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
const servers = [];

// mapPages lists /themes/ and each theme page whose HTML has a map.
function mapPages(dir) {
  const out = [];
  const themes = path.join(dir, 'themes');
  if (!fs.existsSync(themes)) return out;
  if (/class="map"/.test(fs.readFileSync(path.join(themes, 'index.html'), 'utf8'))) out.push('/themes/');
  for (const slug of fs.readdirSync(themes).sort()) {
    const f = path.join(themes, slug, 'index.html');
    if (fs.existsSync(f) && /class="map"/.test(fs.readFileSync(f, 'utf8'))) out.push(`/themes/${slug}/`);
  }
  return out;
}

// measure reads every map drawing shown on the page: its labels' boxes,
// circles and line ends in CSS px, the labels' size on screen, and whether
// the drawing fits its column and the page the viewport.
function measure() {
  const box = (r) => ({ x0: r.left, y0: r.top, x1: r.right, y1: r.bottom });
  const maps = [];
  for (const fig of document.querySelectorAll('figure.map')) {
    const drawings = [...fig.querySelectorAll('svg')].filter((s) => s.getClientRects().length > 0 && getComputedStyle(s).display !== 'none');
    const m = { id: fig.querySelector('svg')?.id || fig.querySelector('[id$="-end"]')?.id, shown: drawings.length, drawings: [] };
    for (const svg of drawings) {
      const ctm = svg.getScreenCTM();
      const pt = (x, y) => { const p = new DOMPoint(x, y).matrixTransform(ctm); return { x: p.x, y: p.y }; };
      const vb = svg.viewBox.baseVal;
      const frame = { ...pt(vb.x, vb.y), ...(() => { const p = pt(vb.x + vb.width, vb.y + vb.height); return { X: p.x, Y: p.y }; })() };
      const labels = [...svg.querySelectorAll('text')].map((t) => {
        const b = t.getBBox();
        const a = pt(b.x, b.y), z = pt(b.x + b.width, b.y + b.height);
        return { text: t.textContent, x0: a.x, y0: a.y, x1: z.x, y1: z.y, px: parseFloat(getComputedStyle(t).fontSize) * ctm.a };
      });
      const circles = [...svg.querySelectorAll('circle')].map((c) => {
        const p = pt(c.cx.baseVal.value, c.cy.baseVal.value);
        return { x: p.x, y: p.y, r: c.r.baseVal.value * ctm.a, text: c.closest('.node')?.querySelector('text')?.textContent };
      });
      const ends = [];
      for (const l of svg.querySelectorAll('line')) {
        ends.push(pt(l.x1.baseVal.value, l.y1.baseVal.value), pt(l.x2.baseVal.value, l.y2.baseVal.value));
      }
      for (const l of svg.querySelectorAll('path')) {
        const a = l.getPointAtLength(0), z = l.getPointAtLength(l.getTotalLength());
        ends.push(pt(a.x, a.y), pt(z.x, z.y));
      }
      const parent = svg.parentElement.getBoundingClientRect();
      m.drawings.push({ cls: svg.getAttribute('class') || '', labels, circles, ends, lines: ends.length / 2, frame, svg: box(svg.getBoundingClientRect()), parent: box(parent) });
    }
    maps.push(m);
  }
  return { maps, scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth };
}

// problems lists what is wrong with one measured drawing.
function problems(d) {
  const out = [];
  const overlap = (a, b) => Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > 0.5 && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > 0.5;
  const touchesCircle = (l, c) => {
    const dx = Math.max(l.x0 - c.x, 0, c.x - l.x1), dy = Math.max(l.y0 - c.y, 0, c.y - l.y1);
    return Math.hypot(dx, dy) < c.r - 0.5;
  };
  const L = d.labels;
  for (let i = 0; i < L.length; i++) {
    if (L[i].px < 11.95) out.push(`"${L[i].text}" is ${L[i].px.toFixed(1)} px`);
    if (L[i].x0 < d.frame.x - 0.5 || L[i].y0 < d.frame.y - 0.5 || L[i].x1 > d.frame.X + 0.5 || L[i].y1 > d.frame.Y + 0.5) out.push(`"${L[i].text}" leaves the drawing`);
    for (let j = i + 1; j < L.length; j++) if (overlap(L[i], L[j])) out.push(`"${L[i].text}" overlaps "${L[j].text}"`);
    for (const c of d.circles) if (touchesCircle(L[i], c)) out.push(`"${L[i].text}" overlaps the circle of "${c.text}"`);
    for (const e of d.ends) if (e.x > L[i].x0 && e.x < L[i].x1 && e.y > L[i].y0 && e.y < L[i].y1) { out.push(`"${L[i].text}" covers a line's end`); break; }
  }
  if (d.svg.x1 > d.parent.x1 + 0.5 || d.svg.x0 < d.parent.x0 - 0.5) out.push(`the drawing is ${Math.round(d.svg.x1 - d.svg.x0)} px wide in a column of ${Math.round(d.parent.x1 - d.parent.x0)} px`);
  return out;
}

const shots = process.env.SHOTS;
if (shots) fs.mkdirSync(shots, { recursive: true });
let totals = { labels: 0, bad: 0 };
try {
  for (const dir of process.argv.slice(2)) {
    const server = await serve(dir);
    servers.push(server);
    const origin = `http://127.0.0.1:${server.address().port}`;
    const pages = mapPages(dir).slice(0, +process.env.MAPS_MAX_PAGES || undefined);
    const name = path.basename(path.resolve(dir));
    check(`${name}: has theme maps`, pages.length > 0, 'no page with a map');
    for (const scheme of ['light', 'dark']) {
      for (const width of WIDTHS) {
        const ctx = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
        const page = await ctx.newPage();
        for (const p of pages) {
          await page.goto(origin + p);
          const r = await page.evaluate(measure);
          const where = `${name} ${p} at ${width} px ${scheme}`;
          const found = [];
          if (r.scrollWidth > r.width) found.push(`the page is ${r.scrollWidth} px wide`);
          for (const m of r.maps) {
            if (m.shown !== 1) found.push(`${m.shown} drawings of ${m.id} shown`);
            for (const d of m.drawings) {
              const ps = problems(d);
              totals.labels += d.labels.length;
              totals.bad += ps.filter((x) => x.startsWith('"')).length;
              found.push(...ps.map((x) => `${d.cls || 'map'}: ${x}`));
            }
          }
          check(where, found.length === 0, found.slice(0, 6).join('; ') + (found.length > 6 ? `; and ${found.length - 6} more` : ''));
          if (shots && (width === 375 || width === 1280) && (p === '/themes/' || p === pages[1])) {
            const file = path.join(shots, `${name}-${p === '/themes/' ? 'themes' : p.split('/')[2]}-${width}-${scheme}.png`);
            await (await page.$('figure.map'))?.screenshot({ path: file });
          }
        }
        await ctx.close();
      }
    }
    if (shots) {
      for (const [mode, opts] of [['forced', { forcedColors: 'active' }], ['print', { media: 'print' }]]) {
        const ctx = await browser.newContext({ viewport: { width: 375, height: 900 } });
        const page = await ctx.newPage();
        await page.emulateMedia(opts);
        for (const p of pages.slice(0, 2)) {
          await page.goto(origin + p);
          await (await page.$('figure.map'))?.screenshot({ path: path.join(shots, `${name}-${p === '/themes/' ? 'themes' : p.split('/')[2]}-375-${mode}.png`) });
        }
        await ctx.close();
      }
    }
  }
  console.log(`labels measured: ${totals.labels}, labels overlapping or too small: ${totals.bad}`);
} finally {
  await browser.close();
  for (const s of servers) s.close();
}
finish('map');
