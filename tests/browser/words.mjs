// The theme's scripts in another language (Debian's Chromium driven by
// playwright-core): on a site with language = "cy", js/words.js holds the
// Welsh words, and "Add to my pack", the pack builder, the search status,
// results' kinds, dates and moments of a transcript, and the outcomes
// table's sorting all speak Welsh, counts in the Welsh plural forms
// (CLDR's zero, one, two, few, many, other).
//
//   node words.mjs WELSH_SITE_DIR
//
// WELSH_SITE_DIR is the example site built with language = "cy" in
// site.toml, served on 127.0.0.1 with the strict Content-Security-Policy
// of a11y.mjs. Every check prints a PASS or FAIL line; exit status 1 when
// any fails.
import { chromium } from 'playwright-core';
import { check, finish } from './checks.mjs';
import { serve } from './serve.mjs';

const STORY = '/stories/denis/';
const FEATURE = '/features/personalised-care-james-sanderson/';
const MONTHS = ['Ionawr', 'Chwefror', 'Mawrth', 'Ebrill', 'Mai', 'Mehefin', 'Gorffennaf', 'Awst', 'Medi', 'Hydref', 'Tachwedd', 'Rhagfyr'];

const server = await serve(process.argv[2]);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  const text = (sel) => page.$eval(sel, (e) => e.textContent.trim());

  // --- the words file ---------------------------------------------------------
  await page.goto(origin + STORY);
  const words = await page.evaluate(() => window.otpressWords);
  check('js/words.js gives the Welsh words', words && words.lang === 'cy' && words.w['packs.add'] === 'Ychwanegu at fy mhecyn', JSON.stringify(words && words.lang));
  check('…with all six Welsh forms for a count', words && ['zero', 'one', 'two', 'few', 'many', 'other'].every((f) => typeof words.w['search.results'][f] === 'string'), JSON.stringify(words && words.w['search.results']));

  // --- "Add to my pack" ---------------------------------------------------------
  check('the pack button is in Welsh', (await text('.add-to-pack')) === 'Ychwanegu at fy mhecyn', await text('.add-to-pack'));
  check('…and the link to my pack counts no items in Welsh (zero form)', (await text('.view-pack')) === 'Fy mhecyn (dim eitemau)', await text('.view-pack'));
  await page.click('.add-to-pack');
  check('adding says so in Welsh (one form)', (await text('.pack-tools-status')) === 'Ychwanegwyd at eich pecyn, sydd bellach yn cynnwys 1 eitem.', await text('.pack-tools-status'));
  check('…and the button offers to take it out', (await text('.add-to-pack')) === 'Tynnu o fy mhecyn', await text('.add-to-pack'));
  await page.click('.add-to-pack');
  check('taking it out says the pack is empty (zero form)', (await text('.pack-tools-status')) === "Tynnwyd o'ch pecyn, sydd bellach yn wag.", await text('.pack-tools-status'));
  await page.click('.add-to-pack');
  await page.goto(origin + FEATURE);
  await page.click('.add-to-pack');
  check('a second item: "2 eitem" (two form)', (await text('.view-pack')) === 'Fy mhecyn (2 eitem)', await text('.view-pack'));

  // --- the builder -----------------------------------------------------------------
  await page.goto(origin + '/packs/mine/');
  const buttons = await page.$$eval('#mine-list li:first-child button', (bs) => bs.map((b) => b.firstChild.textContent));
  check('the builder\'s buttons are in Welsh', JSON.stringify(buttons) === JSON.stringify(['Symud i fyny', 'Symud i lawr', 'Tynnu']), JSON.stringify(buttons));
  check('an unnamed pack\'s file is titled "Fy mhecyn"', (await page.$eval('#mine-file', (t) => t.value)).includes('title: "Fy mhecyn"'));
  await page.click('#mine-list button[data-action="down"][data-index="0"]');
  check('moving an item says where it went, in Welsh', /^Mae .+ bellach yn eitem 2 o 2\.$/.test(await text('#mine-status')), await text('#mine-status'));

  // --- search ------------------------------------------------------------------------
  await page.goto(origin + '/search/?q=denis');
  await page.waitForFunction(() => document.getElementById('search-status').textContent !== '');
  const status = await text('#search-status');
  check('the search status is in Welsh', /^\d+ canlyniad ar gyfer denis\./.test(status), status);
  const meta = await page.$$eval('#search-results > li .meta', (ms) => ms.map((m) => m.textContent));
  check('results name their kind and date in Welsh', meta.length > 0 && meta.every((m) => /^(Stori|Pennod|Erthygl) · \d+ (\S+) \d{4}$/.test(m) && MONTHS.includes(m.split(' ')[3])), JSON.stringify(meta));
  await page.goto(origin + '/search/?q=' + encodeURIComponent('carers four times a day'));
  await page.waitForFunction(() => document.getElementById('search-status').textContent !== '');
  const moments = await page.$$eval('#search-results p.quote a, #search-results .in-transcript a', (as) => as.map((a) => a.textContent));
  check('a moment of a transcript is labelled in Welsh ("Siaradwr, 4:12")', moments.length > 0 && moments.every((m) => /, \d+:\d\d$/.test(m) && !/ at /.test(m)), JSON.stringify(moments));
  await page.goto(origin + '/search/?q=zebrafish');
  await page.waitForFunction(() => document.getElementById('search-status').textContent !== '');
  check('no results, in Welsh', /^Dim canlyniadau ar gyfer zebrafish\.$/.test(await text('#search-status')), await text('#search-status'));

  // --- the outcomes table ----------------------------------------------------------
  await page.goto(origin + '/evidence/');
  await page.click('table.evidence thead th:nth-child(4) button');
  const sorted = await text('#evidence-status');
  check('sorting the outcomes table says so in Welsh', /^Wedi'u trefnu yn ôl .+, y lleiaf yn gyntaf\.$/.test(sorted), sorted);

  check('no script errors or CSP violations', problems.length === 0, problems.join('; '));
} finally {
  await browser.close();
  server.close();
}
finish('words');
