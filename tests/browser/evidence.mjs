// Outcomes across stories in a real browser (Debian's Chromium driven by
// playwright-core): on /evidence/, the optional script turns the sortable
// column headings into buttons; Enter and Space on one sort the rows by
// that column and reverse them, aria-sort follows, the status says so and
// focus stays put; without JavaScript the table is whole, in story order;
// axe-core passes once sorted, and on a theme page with a summary chart,
// whose link to the figures behind it shows that theme's rows only (from as
// many stories as the summary says) until "Show every figure".
//
//   node evidence.mjs SITE_DIR [SITE_DIR_WITH_SUMMARIES]
//
// The first site's /evidence/ needs two rows or more; the second (the
// generated site) has theme pages with charts. Each is served on 127.0.0.1
// with the strict Content-Security-Policy of a11y.mjs. Every check prints
// a PASS or FAIL line; exit status 1 when any fails.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { axe, check, finish } from './checks.mjs';
import { serve } from './serve.mjs';

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
const servers = [];
async function open(dir) {
  const server = await serve(dir);
  servers.push(server);
  return `http://127.0.0.1:${server.address().port}`;
}
try {
  const origin = await open(process.argv[2]);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(origin + '/evidence/');

  const table = () => page.evaluate(() => {
    const heads = [...document.querySelectorAll('table.evidence thead th')];
    return {
      sort: heads.map((h) => h.getAttribute('aria-sort') || ''),
      buttons: heads.map((h) => !!h.querySelector('button')),
      rows: [...document.querySelectorAll('table.evidence tbody tr')].map((r) => [...r.cells].map((c) => c.dataset.sort ?? c.textContent.trim())),
      status: document.getElementById('evidence-status').textContent,
      focus: document.activeElement.closest('th')?.textContent.trim() || document.activeElement.tagName,
    };
  });
  let t = await table();
  const col = t.sort.length ? [...await page.$$eval('table.evidence thead th', (hs) => hs.map((h) => h.textContent.trim()))].indexOf('Before') : -1;
  check('/evidence/ has a table of two rows or more', t.rows.length >= 2, `${t.rows.length} rows`);
  check('the sortable headings are buttons; Themes is not', t.buttons.filter(Boolean).length === 7 && !t.buttons[6], JSON.stringify(t.buttons));
  check('the table starts in story order, newest first', t.sort[7] === 'descending', JSON.stringify(t.sort));

  // Before, by keyboard: Tab to its button, Enter, then Space
  await page.focus('table.evidence thead th:nth-child(3) button');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  t = await table();
  const before = t.rows.map((r) => +r[col]);
  check('Enter on "Before" sorts the rows by it, smallest first', before.every((v, i) => i === 0 || before[i - 1] <= v), JSON.stringify(before));
  check('…sets aria-sort="ascending" on it and takes it off the others', t.sort[col] === 'ascending' && t.sort.filter(Boolean).length === 1, JSON.stringify(t.sort));
  check('…says so in the status', t.status === 'Sorted by Before, smallest first.', t.status);
  check('…and leaves focus on the button', t.focus === 'Before', t.focus);
  await page.keyboard.press('Space');
  t = await table();
  const after = t.rows.map((r) => +r[col]);
  check('Space sorts them the other way', after.every((v, i) => i === 0 || after[i - 1] >= v) && t.sort[col] === 'descending' && t.status === 'Sorted by Before, largest first.', `${JSON.stringify(after)} ${t.sort[col]} ${t.status}`);
  const violations = await axe(page);
  check('axe-core passes on the sorted table', violations.length === 0, violations.join('; '));
  check('no script errors or CSP violations', problems.length === 0, problems.join('; '));

  // without JavaScript: the whole table, in story order, no buttons
  const noJS = await browser.newContext({ javaScriptEnabled: false });
  const p2 = await noJS.newPage();
  await p2.goto(origin + '/evidence/');
  const plain = await p2.evaluate(() => ({ rows: document.querySelectorAll('table.evidence tbody tr').length, buttons: document.querySelectorAll('table.evidence button').length }));
  check('without JavaScript the table is whole and has no buttons', plain.rows === t.rows.length && plain.buttons === 0, JSON.stringify(plain));
  await noJS.close();

  // a theme page with a summary: its charts are hidden from assistive
  // technology (the sentence beside each says the same), and axe passes
  if (process.argv[3]) {
    const dir = process.argv[3];
    const theme = fs.readdirSync(path.join(dir, 'themes')).find((d) => {
      const f = path.join(dir, 'themes', d, 'index.html');
      return fs.existsSync(f) && fs.readFileSync(f, 'utf8').includes('outcome-chart');
    });
    check('the second site has a theme page with a summary chart', !!theme);
    if (theme) {
      const o2 = await open(dir);
      await page.goto(`${o2}/themes/${theme}/`);
      const charts = await page.$$eval('.theme-outcomes svg', (ss) => ss.map((s) => s.getAttribute('aria-hidden') + ' ' + !!s.closest('li').querySelector('p')));
      check('each chart is aria-hidden, beside its sentence', charts.length > 0 && charts.every((c) => c === 'true true'), JSON.stringify(charts));
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        const v = await axe(page);
        check(`axe-core passes on /themes/${theme}/ (${scheme})`, v.length === 0, v.join('; '));
      }
      await page.emulateMedia({ colorScheme: 'light' });

      // its link to the figures behind the summary: the table shows that
      // theme's stories only, as many as the summary says give figures
      const said = await page.$eval('.theme-outcomes p', (p) => p.textContent);
      const m = /come from (\d+) of|The one story|All (\d+) stories/.exec(said);
      const want = m ? +(m[1] || m[2] || 1) : -1;
      await page.click('.theme-outcomes .more a');
      await page.waitForSelector('.filter-note');
      const f = await page.evaluate((slug) => {
        const rows = [...document.querySelectorAll('table.evidence tbody tr')];
        const shown = rows.filter((r) => !r.hidden);
        return {
          url: location.search, total: rows.length, shown: shown.length,
          stories: new Set(shown.map((r) => r.querySelector('td:last-child a').getAttribute('href'))).size,
          all: shown.every((r) => r.dataset.themes.split(' ').includes(slug)),
          caption: document.querySelector('table.evidence caption').textContent,
          note: document.querySelector('.filter-note').textContent,
        };
      }, theme);
      check('"Every figure behind this summary" shows only that theme\'s rows', f.url === `?theme=${theme}` && f.all && f.shown > 0 && f.shown < f.total, JSON.stringify(f));
      check('…from as many stories as the summary says', f.stories === want, `${f.stories} stories in the table, ${want} in "${said}"`);
      check('…and says so in the caption and above the table', f.caption.includes(' on ') && f.note.includes(`${f.shown === 1 ? 'figure' : f.shown + ' figures'} from stories on`), `${f.caption} | ${f.note}`);
      const v2 = await axe(page);
      check('axe-core passes on the filtered table', v2.length === 0, v2.join('; '));
      await page.focus('.filter-note button');
      await page.keyboard.press('Enter');
      const back = await page.evaluate(() => ({ hidden: document.querySelectorAll('table.evidence tbody tr[hidden]').length, note: !!document.querySelector('.filter-note'), url: location.search, focus: document.activeElement.matches('table.evidence') ? 'table' : document.activeElement.tagName, status: document.getElementById('evidence-status').textContent }));
      check('"Show every figure" shows every row again, drops ?theme and keeps focus in the table', back.hidden === 0 && !back.note && back.url === '' && back.focus === 'table' && /^Showing every figure/.test(back.status), JSON.stringify(back));
    }
  }
} finally {
  await browser.close();
  for (const s of servers) s.close();
}
finish('evidence');
