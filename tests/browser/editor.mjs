// The browser editor (generator serve --edit) in Chromium, by keyboard
// alone where an editor would type: a new story written from the form,
// a hand-written file edited with its comments kept byte for byte, a file
// changed on disk while its form was open, a bad value shown at its field,
// unsaved changes brought back after the tab was closed, and axe on every
// kind of editor page.
//
//   node editor.mjs GENERATOR_BINARY SITE_DIR
//
// SITE_DIR is copied to a temporary folder first, so the repository is
// never edited. Every check prints a PASS or FAIL line; exit status 1 when
// any fails.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { axe, check, finish } from './checks.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [bin, src] = process.argv.slice(2);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otpress-editor-'));
for (const p of ['content', 'data', 'static', 'site.toml']) {
  if (fs.existsSync(path.join(src, p))) fs.cpSync(path.join(src, p), path.join(dir, p), { recursive: true });
}
const file = (p) => path.join(dir, p);

async function axeClean(page, what) {
  const v = await axe(page);
  check(`axe finds nothing on ${what}`, v.length === 0, v.join(', '));
  // reflow (WCAG 1.4.10): nothing wider than a 320 px screen
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 700 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.setViewportSize(size);
  check(`…and ${what} fits 320 px without scrolling sideways`, wide <= 320, `${wide} px wide`);
  await shots(page, what);
}

// With SHOTS_DIR set, each page axe checks is also saved at 375 and
// 1280 px wide, to look at.
async function shots(page, what) {
  const out = process.env.SHOTS_DIR;
  if (!out) return;
  fs.mkdirSync(out, { recursive: true });
  const size = page.viewportSize();
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: path.join(out, `editor-${what.replace(/\W+/g, '-')}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(size);
}

// A hand-written story with comments and its own spacing.
const handWritten = `---
# Agreed with the team, 2 December.
title:   "Gwen cooks again"
date: 2026-11-30
themes: [goal-setting]   # more to come
person: Gwen
goals:
    - Make a cup of tea
---
Gwen wanted her kitchen back.
`;
fs.writeFileSync(file('content/stories/gwen.md'), handWritten);

const server = spawn(bin, ['serve', '-s', dir, '--port', '0', '--edit'], { stdio: ['ignore', 'pipe', 'inherit'] });
let log = '';
const url = await new Promise((resolve, reject) => {
  server.stdout.on('data', (d) => {
    log += d;
    const m = log.match(/at (http:\/\/\S+)/);
    if (m && log.includes('To edit, open')) resolve(m[1]);
  });
  server.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${log}`)));
});
check('serve --edit says where to edit', /To edit, open http:\/\/127\.0\.0\.1:\d+\/_edit\//.test(log), log.trim().split('\n').pop());

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
const origin = new URL(url).origin;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // a refused save answers 422 or 409 by design; anything else is a fault
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (422|409)/.test(m.text())) errors.push(m.text() + ' at ' + (m.location().url || page.url())); });

  // Tab until the element matching sel has focus: the keyboard's way there.
  async function tabTo(sel, limit = 400) {
    for (let i = 0; i < limit; i++) {
      if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), sel)) return true;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${sel}`);
  }
  async function typeInto(sel, text) {
    await tabTo(sel);
    await page.keyboard.type(text);
  }
  async function press(sel) { // a button, by keyboard
    await tabTo(sel);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  }
  // after an action the page focuses what it added: wait for it
  async function focused(id) {
    return page.waitForFunction((i) => document.activeElement && document.activeElement.id === i, id, { timeout: 3000 }).then(() => true, () => false);
  }

  // A story page of the preview offers its form
  await page.goto(url + 'stories/denis/');
  const editLink = await page.getAttribute('.otpress-edit-bar a', 'href');
  check('a preview page links to its form ("Edit this page")', editLink === '/_edit/page?file=content%2Fstories%2Fdenis.md', editLink);

  // The dashboard
  await page.goto(origin + '/_edit/');
  const dash = await page.evaluate(() => document.body.innerText);
  check('the dashboard lists stories, episodes, features, packs and themes', ['Stories', 'Episodes', 'Features', 'Learning packs', 'Themes', 'Gwen cooks again'].every((s) => dash.includes(s)));
  await axeClean(page, 'the dashboard');

  // A new story, by keyboard alone
  await press('a[href="/_edit/new?kind=story"]');
  check('"New story" opens an empty form', (await page.inputValue('#f-title')) === '');
  await axeClean(page, 'a new story\'s form');
  await typeInto('#f-title', 'Mair gardens again');
  await typeInto('#f-summary', 'Mair, 79, plants her beans again after a fall.');
  await typeInto('#f-person', 'Mair');
  await press('button[value="add goals"]');
  check('"Add an entry" to goals gives a focused new input', await focused('f-goals-0'));
  await page.keyboard.type('Plant the beans');
  await press('button[value="add goals"]');
  await focused('f-goals-1');
  await page.keyboard.type('Walk to the shop');
  await press('button[value="add steps"]');
  await focused('f-steps-0');
  await page.keyboard.type('Practised kneeling with a stool');
  await press('button[value="up goals 1"]');
  check('"Move up" moves the entry and keeps focus with it', await focused('f-goals-0') && (await page.inputValue('#f-goals-0')) === 'Walk to the shop');
  await press('button[value="add outcomes"]');
  check('"Add an entry" to outcomes focuses the new row\'s first field', await focused('f-outcomes-0-measure'));
  await page.keyboard.type('Care visits a day');
  await typeInto('#f-outcomes-0-before', '2');
  await typeInto('#f-outcomes-0-after', '0');
  await typeInto('#f-outcomes-0-unit', 'visits');
  // a picture: the file chosen as a browser's file dialog would (the one
  // step no keyboard test can take), its description typed
  await page.setInputFiles('#f-image-upload', file('static/podcast-cover.png'));
  await typeInto('#f-image-alt', 'Mair kneeling by her bean rows');
  await press('button[value="add sources"]');
  await focused('f-sources-0-id');
  await page.keyboard.press('ArrowDown'); // the first source in the site's list
  await typeInto('#f-body', 'Mair wanted her garden back.');
  await press('button[value="save"]');
  check('saving a new story shows "Saved"', await page.isVisible('.banner.saved'), page.url());
  const mair = fs.existsSync(file('content/stories/mair-gardens-again.md')) ? fs.readFileSync(file('content/stories/mair-gardens-again.md'), 'utf8') : '';
  const wants = ['title: Mair gardens again', 'draft: true', 'person: Mair', '- Walk to the shop\n  - Plant the beans', '- Practised kneeling with a stool', 'measure: Care visits a day', 'before: 2', 'after: 0', 'unit: visits', '- id: ', 'src: mair-gardens-again-podcast-cover.png', 'alt: Mair kneeling by her bean rows', 'Mair wanted her garden back.'];
  const missing = wants.filter((w) => !mair.replace(/\n\s+-/g, '\n  -').includes(w));
  check('…and the file on disk holds what was typed', mair && missing.length === 0, missing.join(' | ') + '\n' + mair);
  const view = await page.getAttribute('.banner.saved a', 'href');
  let built = '';
  for (let i = 0; i < 50 && !built.includes('Plant the beans'); i++) {
    await new Promise((r) => setTimeout(r, 200));
    built = await (await fetch(origin + view)).text();
  }
  check('…and the preview builds its page', built.includes('Plant the beans') && built.includes('Mair gardens again'), view);
  check('…with its picture and description', built.includes('alt="Mair kneeling by her bean rows"'));
  check('…and the picture beside the page', fs.existsSync(file('content/stories/mair-gardens-again-podcast-cover.png')));

  // A hand-written file: a change to one field leaves every other byte
  await page.goto(origin + '/_edit/page?file=content%2Fstories%2Fgwen.md');
  await tabTo('#f-person');
  await page.keyboard.press('End');
  await page.keyboard.type(', 84');
  await press('button[value="save"]');
  const gwen = fs.readFileSync(file('content/stories/gwen.md'), 'utf8');
  check('editing one field of a hand-written file keeps every other byte', gwen === handWritten.replace('person: Gwen', 'person: "Gwen, 84"'), JSON.stringify(gwen));

  // A bad value: shown at its field, the file untouched, focus on the list
  await page.goto(origin + '/_edit/page?file=content%2Fstories%2Fdenis.md');
  const denisBefore = fs.readFileSync(file('content/stories/denis.md'), 'utf8');
  await page.fill('#f-outcomes-0-before', 'lots');
  await press('button[value="save"]');
  check('a bad value is shown at its field', await page.isVisible('#w-outcomes-0-before .error'));
  check('…the list of problems has focus and links to it', await page.evaluate(() => document.activeElement.classList.contains('error-summary') && !!document.querySelector('.error-summary a[href="#f-outcomes-0-before"]')));
  check('…the page title starts "Error:"', (await page.title()).startsWith('Error:'), await page.title());
  check('…and the file is untouched', fs.readFileSync(file('content/stories/denis.md'), 'utf8') === denisBefore);
  await axeClean(page, 'a form with a problem');

  // A file changed on disk while its form is open
  await page.goto(origin + '/_edit/page?file=content%2Fstories%2Fgwen.md');
  fs.writeFileSync(file('content/stories/gwen.md'), gwen.replace('Make a cup of tea', 'Make a pot of tea'));
  await page.fill('#f-title', 'Gwen cooks for her family');
  await press('button[value="save"]');
  const conflict = await page.evaluate(() => document.body.innerText);
  check('a save over a file changed on disk shows both versions', conflict.includes('changed by someone else') && conflict.includes('Make a pot of tea') && conflict.includes('Gwen cooks for her family'));
  check('…and does not write', fs.readFileSync(file('content/stories/gwen.md'), 'utf8').includes('title:   "Gwen cooks again"'));
  await axeClean(page, 'a conflict');

  // Unsaved changes come back after the tab is closed
  await page.goto(origin + '/_edit/page?file=content%2Fstories%2Fgwen.md');
  await page.fill('#f-setting', 'At home in Bangor');
  await page.close();
  const again = await context.newPage();
  again.on('pageerror', (e) => errors.push(String(e)));
  await again.goto(origin + '/_edit/page?file=content%2Fstories%2Fgwen.md');
  check('unsaved changes are offered back', await again.isVisible('.restore'));
  await Promise.all([again.waitForNavigation(), again.click('.restore button')]);
  check('…and brought back into the form', (await again.inputValue('#f-setting')) === 'At home in Bangor');
  await axeClean(again, 'a form with changes brought back');

  // the other kinds' forms, and a search of the dashboard
  for (const [what, at] of [['a new episode\'s form', '/_edit/new?kind=episode'], ['a learning pack\'s form', '/_edit/page?file=content%2Fpacks%2Fpersonalised-care-in-practice.md'], ['a theme\'s form', '/_edit/page?file=content%2Fthemes%2Fco-production.md'], ['the dashboard searched', '/_edit/?q=denis']]) {
    const p = await context.newPage();
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(origin + at);
    await axeClean(p, what);
    await p.close();
  }

  check('no script errors on the editor\'s pages', errors.length === 0, errors.join('\n'));

  // A request from another origin is refused
  const res = await fetch(origin + '/_edit/page?file=content%2Fstories%2Fgwen.md', { method: 'POST', headers: { Origin: 'http://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'op=save' });
  check('a POST from another origin is refused', res.status === 403, String(res.status));
} finally {
  await browser.close();
  server.kill('SIGINT');
  fs.rmSync(dir, { recursive: true, force: true });
}
finish('editor');
