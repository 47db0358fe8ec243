// The episode page's optional player script in a real browser (Debian's
// Chromium driven by playwright-core): a timestamp in the transcript or the
// chapter list seeks the player instead of leaving the page, the paragraph
// being heard is marked aria-current="time", nothing scrolls and nothing is
// announced; without JavaScript the timestamps are plain links into the
// audio; axe-core passes with a paragraph marked.
//
//   node episode.mjs SITE_DIR
//
// SITE_DIR is the built example site, served on 127.0.0.1 with the same
// strict Content-Security-Policy as a11y.mjs. Every check prints a PASS or
// FAIL line; exit status 1 when any fails.
import { chromium } from 'playwright-core';
import { axe, check, finish } from './checks.mjs';
import { serve } from './serve.mjs';

const EPISODE = '/episodes/its-all-about-people-72/';


const server = await serve(process.argv[2]);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--autoplay-policy=no-user-gesture-required'] });
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(origin + EPISODE);
  await page.evaluate(() => { window.__announced = []; new MutationObserver((ms) => ms.forEach((m) => { if (m.target.closest && m.target.closest('[aria-live],[role=status],[role=alert]')) window.__announced.push(m.target.textContent); })).observe(document.body, { subtree: true, childList: true, characterData: true }); });

  const state = () => page.evaluate(() => {
    const a = document.querySelector('.player audio');
    return { t: a.currentTime, current: [...document.querySelectorAll('[aria-current="time"]')].map((e) => e.id), url: location.href, y: window.scrollY };
  });
  const para = await page.evaluate(() => [...document.querySelectorAll('#transcript p[data-start]')].map((p) => [p.id, +p.dataset.start]));
  check('the transcript has timed paragraphs', para.length >= 5, JSON.stringify(para));
  const [id, start] = para[2];

  // a transcript timestamp, clicked
  await page.locator(`#${id} a.ts`).scrollIntoViewIfNeeded();
  const y0 = await page.evaluate(() => window.scrollY);
  // the mouse, where the link is on screen (page.click would scroll it to the middle first)
  const box = await page.locator(`#${id} a.ts`).boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForTimeout(300);
  let s = await state();
  check('clicking a timestamp seeks the player there', s.t >= start && s.t < start + 5, `currentTime ${s.t}, want ${start}`);
  check('…and keeps the reader on the page', s.url === origin + EPISODE, s.url);
  check('…and marks that paragraph aria-current="time", and only it', s.current.join() === id, JSON.stringify(s.current));
  check('…without scrolling', s.y === y0, `scrollY ${y0} → ${s.y}`);

  // a chapter's timestamp, by keyboard
  const chapter = await page.evaluate(() => { const a = document.querySelectorAll('.chapters a.ts')[3]; return { href: a.getAttribute('href'), t: +a.getAttribute('href').split('#t=')[1] }; });
  await page.focus(`.chapters a.ts[href="${chapter.href}"]`);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  s = await state();
  const heard = para.filter(([, t]) => t <= chapter.t + 0.25).pop()[0];
  check('Enter on a chapter timestamp seeks the player to the chapter', s.t >= chapter.t && s.t < chapter.t + 5, `currentTime ${s.t}, want ${chapter.t}`);
  check('…and moves the mark to the paragraph heard then', s.current.join() === heard, `${JSON.stringify(s.current)}, want ${heard}`);
  check('nothing is announced', (await page.evaluate(() => window.__announced)).length === 0);

  // the player itself moving on moves the mark, with no scrolling
  const y1 = await page.evaluate(() => window.scrollY);
  await page.evaluate((t) => { const a = document.querySelector('.player audio'); a.pause(); a.currentTime = t; }, para[4][1]);
  await page.waitForFunction((id) => document.getElementById(id).getAttribute('aria-current') === 'time', para[4][0], { timeout: 5000 }).catch(() => {});
  s = await state();
  check('seeking in the player moves the mark', s.current.join() === para[4][0], JSON.stringify(s.current));
  check('…without scrolling', s.y === y1, `scrollY ${y1} → ${s.y}`);

  // a modified click is left to the browser (new tab and the like)
  const before = (await state()).t;
  const popup = ctx.waitForEvent('page', { timeout: 2000 }).catch(() => null);
  await page.click(`#${para[1][0]} a.ts`, { modifiers: ['Control'] });
  const opened = await popup;
  check('Ctrl+click on a timestamp is left to the browser', opened !== null && Math.abs((await state()).t - before) < 2, `opened ${!!opened}`);
  if (opened) await opened.close();

  const violations = await axe(page);
  check('axe-core passes with a paragraph marked', violations.length === 0, violations.join('; '));
  check('no script errors or CSP violations', problems.length === 0, problems.join('; '));

  // without JavaScript: plain links into the audio
  const noJS = await browser.newContext({ javaScriptEnabled: false });
  const p2 = await noJS.newPage();
  await p2.goto(origin + EPISODE);
  const hrefs = await p2.$$eval('#transcript a.ts', (as) => as.map((a) => a.getAttribute('href')));
  check('without JavaScript every transcript timestamp links into the audio', hrefs.length === para.length && hrefs.every((h, i) => h.endsWith(`audio.mp3#t=${para[i][1]}`)), hrefs.slice(0, 3).join(' '));
  await noJS.close();
} finally {
  await browser.close();
  server.close();
}
finish('episode');
