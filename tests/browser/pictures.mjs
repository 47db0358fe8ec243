// A story's photo as readers' browsers fetch it (Debian's Chromium driven
// by playwright-core): on a phone (375 px, two device pixels a CSS pixel)
// and on a desktop (1280 px), the browser picks a WebP copy wide enough
// for the space it fills and no wider than it needs, never the original,
// within the budget of picture bytes (150 KB on the phone, 300 KB
// on the desktop); the list's card loads its copy only when scrolled to.
//
//   node pictures.mjs SITE_DIR PAGE LIST
//
// SITE_DIR is a built site whose PAGE (e.g. /stories/denis/) shows a
// phone-sized photo and whose LIST (e.g. /stories/) shows its card.
// Every check prints a PASS or FAIL line; exit status 1 when any fails.
import { chromium } from 'playwright-core';
import { check, finish } from './checks.mjs';
import { serve } from './serve.mjs';

const [dir, PAGE, LIST] = process.argv.slice(2);
const server = await serve(dir);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
try {
  for (const [label, width, dpr, budget] of [['phone', 375, 2, 150], ['desktop', 1280, 1, 300]]) {
    const ctx = await browser.newContext({ viewport: { width, height: 800 }, deviceScaleFactor: dpr });
    const page = await ctx.newPage();
    const pictures = [];
    page.on('response', async (r) => {
      if (r.request().resourceType() === 'image') {
        pictures.push({ url: r.url(), bytes: (await r.body().catch(() => Buffer.alloc(0))).length, type: r.headers()['content-type'] });
      }
    });
    await page.goto(origin + PAGE, { waitUntil: 'networkidle' });
    const img = await page.evaluate(() => {
      const i = document.querySelector('.item-image img');
      const widths = [...document.querySelectorAll('.item-image source[type="image/webp"]')]
        .flatMap((s) => s.srcset.split(', ').map((c) => +c.split(' ')[1].replace('w', '')));
      return i && { src: i.currentSrc, shown: i.getBoundingClientRect().width, widths };
    });
    check(`${label}: the story shows its photo`, img && img.shown > 0, JSON.stringify(img));
    if (!img) continue;
    const chosen = +(img.src.match(/\.(\d+)(?:\.[0-9a-f]{10})?\.webp$/) || [])[1];
    check(`${label}: the browser takes a WebP copy`, chosen > 0, img.src);
    const need = img.shown * dpr;
    const wide = img.widths.filter((w) => w >= need);
    const best = wide.length ? Math.min(...wide) : Math.max(...img.widths);
    check(`${label}: the copy is the narrowest that fills ${Math.round(img.shown)} CSS px at ${dpr}x (${Math.round(need)} px)`, chosen === best, `took ${chosen}, copies ${img.widths.join(' ')}`);
    check(`${label}: the original is never fetched`, !pictures.some((p) => /\/[^/.]+\.jpe?g$/.test(new URL(p.url).pathname)), pictures.map((p) => p.url).join(' '));
    const kb = pictures.reduce((n, p) => n + p.bytes, 0) / 1024;
    check(`${label}: ${kb.toFixed(1)} KB of pictures, within ${budget} KB`, kb <= budget, pictures.map((p) => `${p.url} ${p.bytes}`).join('\n'));
    await ctx.close();
  }

  // the list: the card's copy waits until the card comes near the screen
  const ctx = await browser.newContext({ viewport: { width: 375, height: 400 }, deviceScaleFactor: 2 });
  const page = await ctx.newPage();
  await page.goto(origin + LIST, { waitUntil: 'networkidle' });
  const card = await page.evaluate(() => {
    const i = document.querySelector('.card-image');
    return i && { loading: i.loading, decoding: i.decoding, src: i.currentSrc, inPicture: i.parentElement.localName === 'picture' };
  });
  check('the card\'s picture is lazy, decoded off the main thread, and offers WebP', card && card.loading === 'lazy' && card.decoding === 'async' && card.inPicture, JSON.stringify(card));
  await ctx.close();
} finally {
  await browser.close();
  server.close();
}
finish('pictures');
