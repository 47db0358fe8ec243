// Learning packs in a real browser (Debian's Chromium driven by
// playwright-core): "Add to my pack" on item pages, the pack builder on
// /packs/mine/ worked by keyboard alone (reorder, remove, copy as a pack
// file, print in full), items marked finished in a pack, axe-core on the
// builder with items in it and on the pack page with marks, the pack's
// downloads (the HTML copy opened from disk makes no request and passes
// axe), and the pages without JavaScript.
//
//   node packs.mjs SITE_DIR [RELATIVE_SITE_DIR]
//
// SITE_DIR is the built example site, served on 127.0.0.1 with the strict
// Content-Security-Policy of a11y.mjs; RELATIVE_SITE_DIR, when given, the
// same built with --relative, used from disk (file://). Every check prints
// a PASS or FAIL line; exit status 1 when any fails.
import { chromium } from 'playwright-core';
import { axe, check, finish } from './checks.mjs';
import { serve } from './serve.mjs';
import path from 'node:path';

const STORY = '/stories/denis/';
const EPISODE = '/episodes/its-all-about-people-72/';
const FEATURE = '/features/personalised-care-james-sanderson/';
const PACK = '/packs/personalised-care-in-practice/';

const server = await serve(process.argv[2]);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = await ctx.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  // the page prints nothing here: the dialogue would block the test
  await page.addInitScript(() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; });

  // tab to a control by its accessible name, as a keyboard user would
  async function tabTo(name, max = 80) {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      const n = await page.evaluate(() => { const e = document.activeElement; return e ? (e.getAttribute('aria-label') || e.textContent || '').trim() : ''; });
      if (n.startsWith(name)) return true;
    }
    return false;
  }
  const mineItems = () => page.$$eval('#mine-list > li > a', (as) => as.map((a) => a.textContent));
  const focused = () => page.evaluate(() => { const e = document.activeElement; return e ? e.textContent.trim() : ''; });

  // --- adding items, by keyboard ------------------------------------------------
  const titles = {};
  for (const path of [STORY, EPISODE, FEATURE]) {
    await page.goto(origin + path);
    titles[path] = await page.$eval('h1', (h) => h.textContent.trim());
    check(`${path}: "Add to my pack" is a real button, shown with scripting`, await page.isVisible('.pack-tools button.add-to-pack'));
    check(`${path}: reachable by Tab`, await tabTo('Add to my pack'));
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('.pack-tools-status').textContent !== '');
    const st = await page.$eval('.pack-tools-status', (e) => e.textContent);
    check(`${path}: the status region says it was added`, /^Added to your pack, which now has \d items?\.$/.test(st), st);
    check(`${path}: the button now offers to remove it`, (await page.$eval('.add-to-pack', (b) => b.textContent)) === 'Remove from my pack');
  }
  // a second press takes it out again, and a third puts it back at the end
  await page.click('.add-to-pack');
  check('pressing again removes the item', (await page.$eval('.pack-tools-status', (e) => e.textContent)).startsWith('Removed from your pack, which now has 2 items'));
  await page.click('.add-to-pack');
  check('the link to my pack counts the items', (await page.$eval('.view-pack', (a) => a.textContent)) === 'My pack (3 items)');

  // --- the builder ------------------------------------------------------------------
  await page.goto(origin + '/packs/mine/');
  check('the builder lists the items in the order they were added', JSON.stringify(await mineItems()) === JSON.stringify([titles[STORY], titles[EPISODE], titles[FEATURE]]), JSON.stringify(await mineItems()));
  check('the note for readers without scripting is hidden', !(await page.isVisible('#mine-needs-js')));
  check('"Move up" on the first item is marked unavailable, not removed from the Tab order', await page.$eval('#mine-list button[data-action="up"][data-index="0"]', (b) => b.getAttribute('aria-disabled') === 'true' && !b.disabled));

  // move the first item down, by keyboard: focus stays on its button
  await page.focus('#mine-list button[data-action="down"][data-index="0"]');
  await page.keyboard.press('Enter');
  check('"Move down" moves the item', JSON.stringify(await mineItems()) === JSON.stringify([titles[EPISODE], titles[STORY], titles[FEATURE]]), JSON.stringify(await mineItems()));
  check('…focus stays on the moved item\'s button', (await focused()) === `Move down: ${titles[STORY]}`, await focused());
  check('…and the status says where it went', (await page.$eval('#mine-status', (e) => e.textContent)) === `${titles[STORY]} is now item 2 of 3.`);
  await page.keyboard.press('Enter'); // down again, to the end: focus moves to its "Move up"
  check('moving to the end keeps focus on the item (its "Move up")', (await focused()) === `Move up: ${titles[STORY]}`, await focused());
  check('…and the order is kept after a reload', await page.reload().then(mineItems).then((l) => JSON.stringify(l) === JSON.stringify([titles[EPISODE], titles[FEATURE], titles[STORY]])));

  // remove the middle item: focus goes to the next item's Remove
  await page.focus('#mine-list button[data-action="remove"][data-index="1"]');
  await page.keyboard.press('Enter');
  check('"Remove" takes the item out', JSON.stringify(await mineItems()) === JSON.stringify([titles[EPISODE], titles[STORY]]), JSON.stringify(await mineItems()));
  check('…and focus moves to the next item\'s Remove', (await focused()) === `Remove: ${titles[STORY]}`, await focused());
  const looks = await page.$$eval('#mine-list li:first-child button', (bs) => bs.map((b) => [b.dataset.action, getComputedStyle(b).borderLeftWidth, getComputedStyle(b).color]));
  const remove = looks.find((l) => l[0] === 'remove'), up = looks.find((l) => l[0] === 'up');
  check('"Remove" looks different from "Move up" and "Move down"', remove && up && remove[1] !== up[1] && remove[2] !== up[2], JSON.stringify(looks));

  // title and pack file
  await page.fill('#mine-title', 'Induction: week one');
  check('the pack file waits behind "For editors"', !(await page.$eval('details.for-editors', (d) => d.open)) && !(await page.isVisible('#mine-file')));
  await page.click('details.for-editors summary');
  await page.focus('#mine-copy');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('mine-status').textContent.startsWith('Copied') || document.getElementById('mine-status').textContent.startsWith('The pack file'));
  const file = await page.$eval('#mine-file', (t) => t.value);
  const clip = await page.evaluate(() => navigator.clipboard.readText().catch(() => ''));
  check('"Copy as a pack file" gives front matter for content/packs/', file.startsWith('---\ntitle: "Induction: week one"\n') && file.includes('items:\n  - ref: episodes/its-all-about-people-72\n    note: ""\n    questions: []\n  - ref: stories/denis\n') && file.trimEnd().endsWith('---'), file);
  check('…on the clipboard too', clip === file, clip.slice(0, 60));

  // print in full: each item's article, ids kept unique
  await page.click('#mine-print');
  await page.waitForFunction(() => window.__printed === 1, null, { timeout: 10000 }).catch(() => {});
  const view = await page.evaluate(() => {
    const v = document.getElementById('mine-print-view');
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    return { shown: !v.hidden, articles: v.querySelectorAll('article').length, h1: document.querySelectorAll('h1').length, dup: ids.filter((id, i) => ids.indexOf(id) !== i), text: v.textContent };
  });
  check('"Print my pack" shows every item in full and opens the print dialogue', view.shown && view.articles === 2 && (await page.evaluate(() => window.__printed)) === 1, JSON.stringify({ ...view, text: undefined }));
  check('…with the transcript of the episode', view.text.includes('Transcript'));
  check('…one h1 and no duplicate ids on the page', view.h1 === 1 && view.dup.length === 0, view.dup.join(' '));
  let violations = await axe(page);
  check('axe-core passes on the builder with items and the print view', violations.length === 0, violations.join('; '));

  // --- finishing items of a curated pack --------------------------------------------
  await page.goto(origin + STORY);
  check('an item reached from a pack offers "I have finished this item"', await page.isVisible('.pack-done input'));
  await page.check('.pack-done input');
  await page.goto(origin + PACK);
  const progress = await page.$eval('.pack-progress-count', (e) => (e.hidden ? '' : e.textContent));
  check('the pack page says how far the reader is', /^You have finished 1 of \d+ items\.$/.test(progress), progress);
  check('…and marks the finished item', (await page.$$eval('.pack-items li[data-ref="stories/denis"] .done-mark', (m) => m.length)) === 1);
  const bar = await page.$eval('.pack-progress-count progress', (p) => [p.value, p.max]).catch(() => null);
  check('…with a progress bar', bar && bar[0] === 1 && bar[1] >= 2, JSON.stringify(bar));
  // item 1 is finished: the way in is now item 2, not "Start with item 1"
  const way = await page.$eval('.pack-actions .button', (a) => [a.textContent, a.getAttribute('href')]);
  const second = await page.$eval('.pack-items li:nth-child(2) h3 a', (a) => [a.textContent, a.getAttribute('href')]);
  check('…and the way in continues with the first item not finished', way[0] === `Continue with item 2: ${second[0]}` && way[1] === second[1], JSON.stringify(way));
  violations = await axe(page);
  check('axe-core passes on the pack page with a mark', violations.length === 0, violations.join('; '));
  await page.goto(origin + STORY);
  check('the mark is kept on the item', await page.isChecked('.pack-done input'));
  check('no script errors or CSP violations', problems.length === 0, problems.join('; '));

  // --- the downloads on the pack's page --------------------------------------------------
  await page.goto(origin + PACK);
  const files = await page.$$eval('.downloads a[download]', (as) => as.map((a) => a.getAttribute('href')));
  check('the pack page offers the pack as HTML, SCORM 1.2, SCORM 2004 and EPUB downloads', files.length === 4 && files[0].endsWith('.html') && files[1].endsWith('-scorm.zip') && files[2].endsWith('-scorm2004.zip') && files[3].endsWith('.epub'), files.join(' '));
  for (const f of files) {
    const r = await page.request.get(origin + f);
    check(`…${f} is there`, r.ok() && (await r.body()).length > 1000, String(r.status()));
  }
  // the HTML copy opened from disk, as someone who was emailed it would:
  // no request leaves the file, and axe passes
  const offline = await ctx.newPage();
  const requests = [];
  offline.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url()); });
  await offline.goto('file://' + path.resolve(process.argv[2], '.' + files[0]));
  check('the HTML copy opened from disk makes no request', requests.length === 0, requests.join(' '));
  check('…and has every item in full', (await offline.$$eval('section.pack-entry h2', (hs) => hs.length)) >= 6);
  violations = await axe(offline);
  check('…and axe-core passes on it', violations.length === 0, violations.join('; '));
  await offline.close();

  // --- from disk: a site built with --relative, opened with file:// ------------------------
  if (process.argv[3]) {
    const disk = await browser.newContext();
    const d = await disk.newPage();
    const rel = (p) => 'file://' + path.resolve(process.argv[3], '.' + p + 'index.html');
    await d.goto(rel(STORY));
    await d.click('.add-to-pack');
    check('from disk, "Add to my pack" works', (await d.$eval('.pack-tools-status', (e) => e.textContent)).startsWith('Added to your pack'));
    await d.click('.view-pack');
    await d.waitForSelector('#mine-list > li > a');
    const href = await d.$eval('#mine-list > li > a', (a) => a.href);
    check('…the builder lists it, linked to its page on disk', href === rel(STORY), `${href}, want ${rel(STORY)}`);
    await disk.close();
  }

  // --- without JavaScript -------------------------------------------------------------
  const noJS = await browser.newContext({ javaScriptEnabled: false });
  const p2 = await noJS.newPage();
  await p2.goto(origin + STORY);
  check('without JavaScript there is no "Add to my pack" button', !(await p2.isVisible('.add-to-pack')) && !(await p2.isVisible('.pack-done')));
  check('…the pack navigation still links the next item', (await p2.$$eval('.pack-nav a[rel="next"]', (a) => a.length)) === 1);
  await p2.goto(origin + '/packs/mine/');
  check('…and /packs/mine/ says why it cannot work and where to go', (await p2.isVisible('#mine-needs-js')) && !(await p2.isVisible('#mine')));
  await noJS.close();
} finally {
  await browser.close();
  server.close();
}
finish('packs');
