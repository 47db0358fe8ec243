// The browser editor (generator serve --edit) in Chromium, by keyboard
// alone where an editor would type: a new story written from the form,
// a hand-written file edited with its comments kept byte for byte, a file
// changed on disk while its form was open, a bad value shown at its field,
// unsaved changes brought back after the tab was closed, the Markdown
// editor (CodeMirror) in place of the text box: typed into, its toolbar,
// problems marked at their lines and reached from their links, Tab
// leaving it, the plain text box chosen instead and remembered, no
// Content-Security-Policy violation; and axe on every kind of editor page.
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
  // every Content-Security-Policy violation, from the page's own event
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
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
  await axeClean(page, 'a site page with the editor\'s bar');

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
  check('the text is in the Markdown editor, the text box hidden', await page.isVisible('.cm-editor .cm-content') && await page.isHidden('#f-body'));
  check('…which is named "Text" and described by the hint', await page.getByRole('textbox', { name: 'Text', exact: true }).count() === 1 &&
    await page.getAttribute('.cm-content', 'aria-describedby') === 'h-body');
  await typeInto('.cm-content', 'Mair wanted her garden back.');
  check('typing in the Markdown editor fills the hidden text box', (await page.inputValue('#f-body')) === 'Mair wanted her garden back.', await page.inputValue('#f-body'));
  await page.keyboard.press('Tab');
  check('Tab leaves the Markdown editor, the text as it was', await page.evaluate(() => !document.activeElement.closest('.cm-editor')) && (await page.inputValue('#f-body')) === 'Mair wanted her garden back.');
  check('no Content-Security-Policy violation with the Markdown editor shown', (await page.evaluate(() => window.cspViolations)).length === 0, (await page.evaluate(() => window.cspViolations)).join(', '));
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

  // The Markdown editor: its toolbar, problems at their lines, the plain
  // text box instead. Each page is opened afresh; what the editor does is
  // checked from the page, by keyboard.
  async function open(address, route) {
    const p = await context.newPage();
    p.on('pageerror', (e) => errors.push(String(e)));
    p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text() + ' at ' + (m.location().url || p.url())); });
    if (route) await p.route(address, route);
    await p.goto(address);
    return p;
  }
  async function tabIn(p, sel, limit = 400) {
    for (let i = 0; i < limit; i++) {
      if (await p.evaluate((s) => document.activeElement && document.activeElement.matches(s), sel)) return;
      await p.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${sel}`);
  }
  const inEditor = (p) => p.evaluate(() => document.activeElement.classList.contains('cm-content'));
  // the editor's state, through CodeMirror's own EditorView.findFromDOM:
  // the line of the text the cursor is on (from 1), and the whole text
  // (the page holds only the lines in view)
  const cursorLine = (p) => p.evaluate(() => {
    const st = window.otpressCodeMirror.EditorView.findFromDOM(document.querySelector('.cm-editor')).state;
    return st.doc.lineAt(st.selection.main.head).number;
  });
  const editorText = (p) => p.evaluate(() => window.otpressCodeMirror.EditorView.findFromDOM(document.querySelector('.cm-editor')).state.doc.toString());
  // what is said under the editor, once it says something starting so
  const says = (p, start) => p.waitForFunction((s) => document.querySelector('.line-problem').textContent.startsWith(s), start, { timeout: 3000 }).then(() => true, () => false);
  const gwenForm = origin + '/_edit/page?file=content%2Fstories%2Fgwen.md';
  const denisForm = origin + '/_edit/page?file=content%2Fstories%2Fdenis.md';

  let ed = await open(gwenForm);
  const body = () => ed.inputValue('#f-body');
  await tabIn(ed, '.cm-content');
  await ed.keyboard.press('Control+End');
  await ed.keyboard.type('She made soup');
  await ed.keyboard.down('Shift');
  for (let i = 0; i < 4; i++) await ed.keyboard.press('ArrowLeft');
  await ed.keyboard.up('Shift');
  await tabIn(ed, 'button[data-md="bold"]');
  await ed.keyboard.press('Enter');
  check('a toolbar button writes around the Markdown editor\'s selection and gives it focus back', (await body()).endsWith('She made **soup**') && await inEditor(ed), JSON.stringify((await body()).slice(-30)));
  await ed.keyboard.press('Control+z');
  check('…and Ctrl+Z undoes it in the editor', (await body()).endsWith('She made soup'), JSON.stringify((await body()).slice(-30)));
  await ed.keyboard.press('Control+End');
  await ed.keyboard.type('\n\nAs the book says [@nope].');
  const badLine = (await body()).split('\n').findIndex((l) => l.includes('[@nope]')) + 1;
  const marked = await ed.waitForFunction(() => {
    const line = document.querySelector('.cm-problem-line');
    return line && line.textContent.includes('[@nope]') && document.querySelector('.live-problems a[data-line]');
  }, null, { timeout: 5000 }).then(() => true, () => false);
  const gutterMarks = await ed.evaluate(() => [...document.querySelectorAll('.cm-problem-gutter .cm-gutterElement')]
    .filter((g) => getComputedStyle(g).visibility !== 'hidden' && g.querySelector('.cm-problem-mark'))
    .map((g) => Math.round(g.getBoundingClientRect().top)));
  const lineTop = marked ? await ed.evaluate(() => Math.round(document.querySelector('.cm-problem-line').getBoundingClientRect().top)) : -1;
  check('a bad citation typed is marked on its line: a line class and a mark in the gutter beside it', marked && gutterMarks.length === 1 && Math.abs(gutterMarks[0] - lineTop) <= 2, `${marked} ${gutterMarks} ${lineTop}`);
  check('…and the preview\'s problem links to that line', (await ed.getAttribute('.live-problems a[data-line]', 'data-line')) === String(badLine), String(badLine));
  check('…and the problem is said under the editor, the cursor on its line', await says(ed, `Line ${badLine} of the text: the citation @nope`), await ed.textContent('.line-problem'));
  await ed.keyboard.press('Control+Home');
  check('…and nothing is said on a line without one', await ed.waitForFunction(() => document.querySelector('.line-problem').textContent === '', null, { timeout: 3000 }).then(() => true, () => false));
  await tabIn(ed, '.live-problems a[data-line]');
  await ed.keyboard.press('Enter');
  check('the problem\'s link puts the cursor on its line, in the editor', await inEditor(ed) && (await cursorLine(ed)) === badLine, `${await cursorLine(ed)} ${badLine}`);
  await axeClean(ed, 'the Markdown editor with a problem marked');
  check('no Content-Security-Policy violation there', (await ed.evaluate(() => window.cspViolations)).length === 0, (await ed.evaluate(() => window.cspViolations)).join(', '));
  await ed.close(); // unsaved, on purpose

  // A problem of the text that the editor found as it made the page
  // (.Form.BodyProbs): the page as the form template writes one, with its
  // link to line 3 (edit_test.go checks that the template writes this,
  // and TestSaveChecksTheText that a save finds such problems), so that
  // the script is tried on it whatever the problem.
  ed = await open(denisForm, async (route) => {
    const res = await route.fetch();
    const html = (await res.text()).replace('<div class="toolbar"', '<div id="e-body"><p class="error"><span class="vh">Error:</span> <a href="#f-body" data-line="3">Line 3 of the text: a problem the editor found.</a></p></div>\n<div class="toolbar"');
    await route.fulfill({ response: res, body: html });
  });
  const line3 = (await body()).split('\n')[2];
  check('a problem of the text listed as the page opens is marked on its line', await ed.waitForFunction((t) => {
    const l = document.querySelector('.cm-problem-line');
    return l && l.textContent === t;
  }, line3, { timeout: 3000 }).then(() => true, () => false), line3);
  await ed.waitForTimeout(1000); // the preview's first answer, which finds nothing there
  check('…and stays marked while the text is as it was', await ed.evaluate(() => document.querySelectorAll('.cm-problem-line').length === 1));
  await tabIn(ed, '#e-body a');
  await ed.keyboard.press('Enter');
  check('…and its link puts the cursor on that line, in the editor', await inEditor(ed) && (await cursorLine(ed)) === 3, String(await cursorLine(ed)));
  check('…which says the problem', await says(ed, 'Line 3 of the text: a problem the editor found.'), await ed.textContent('.line-problem'));
  await ed.keyboard.type('x');
  check('…and is no longer marked once the text changed and the preview found nothing there', await ed.waitForFunction(() => document.querySelectorAll('.cm-problem-line').length === 0, null, { timeout: 3000 }).then(() => true, () => false));
  await ed.close();

  // the plain text box, chosen and remembered
  ed = await open(denisForm);
  await tabIn(ed, '.text-box-choice button');
  check('the editor offers "Use a plain text box"', (await ed.textContent('.text-box-choice button')) === 'Use a plain text box');
  const before = await body();
  await ed.keyboard.press('Enter');
  check('…which shows the text box, the Markdown editor hidden, the text the same', await ed.isVisible('#f-body') && await ed.isHidden('.cm-editor') && (await body()) === before);
  check('…the button now offering "Use the Markdown editor", with focus', (await ed.textContent('.text-box-choice button')) === 'Use the Markdown editor' && await ed.evaluate(() => document.activeElement.matches('.text-box-choice button')));
  await axeClean(ed, 'the plain text box chosen');
  await ed.reload();
  check('…and the choice is remembered', await ed.isVisible('#f-body') && await ed.isHidden('.cm-editor'));
  await tabIn(ed, '#f-body');
  await ed.keyboard.press('Control+End');
  await ed.keyboard.type(' Typed plainly.');
  await tabIn(ed, '.text-box-choice button');
  await ed.keyboard.press('Enter');
  check('"Use the Markdown editor" brings it back with what was typed in the text box, and is remembered', await ed.isVisible('.cm-content') &&
    (await editorText(ed)) === (await body()) && (await body()).endsWith('Typed plainly.') && await ed.evaluate(() => localStorage.getItem('otpress-edit:text-box')) === 'editor');
  await tabIn(ed, 'button[value="save"]');
  await Promise.all([ed.waitForNavigation(), ed.keyboard.press('Enter')]);
  check('…and a save writes it', fs.readFileSync(file('content/stories/denis.md'), 'utf8').includes('Typed plainly.'));
  check('no Content-Security-Policy violation on the editor\'s pages', (await ed.evaluate(() => window.cspViolations)).length === 0);
  await ed.close();

  // a picture for the text: the toolbar's Picture opens its fields
  {
    const p = await context.newPage();
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(origin + '/_edit/page?file=content%2Fstories%2Fdenis.md');
    for (let i = 0; i < 400 && !(await p.evaluate(() => document.activeElement.matches('button[data-md="picture"]'))); i++) await p.keyboard.press('Tab');
    await p.keyboard.press('Enter');
    check('the toolbar\'s Picture opens "Add a picture to the text" at its file', await p.evaluate(() => document.activeElement.id === 'f-body-picture' && document.querySelector('details.add-picture').open));
    await p.setInputFiles('#f-body-picture', file('static/podcast-cover.png'));
    await p.keyboard.press('Tab');
    for (let i = 0; i < 10 && !(await p.evaluate(() => document.activeElement.id === 'f-body-alt')); i++) await p.keyboard.press('Tab');
    await p.keyboard.type('The podcast cover');
    await Promise.all([p.waitForNavigation(), p.click('.actions:not(.top) button[value="save"]')]);
    check('…and a save puts it at the end of the text, described', fs.readFileSync(file('content/stories/denis.md'), 'utf8').trimEnd().endsWith('![The podcast cover](denis-podcast-cover.png)'));
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
