// Used by bench/preview.sh: the time from saving a story to headless
// Chromium showing the changed page, with the page open the way an editor
// has it (otpress serve's live script reloads it). Prints the median, p95
// and maximum over EDITS edits; EDIT says which (edits.mjs: body, the
// default, title or theme).
//
//   node browser.mjs OTPRESS_BINARY SITE_DIR [EDITS]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { chromium } from '../search/node_modules/playwright-core/index.mjs';
import { change } from './edits.mjs';

const [bin, dir, n = '8'] = process.argv.slice(2);
const srv = spawn(bin, ['serve', '-s', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
let log = '';
const url = await new Promise((res) => srv.stdout.on('data', (d) => { log += d; const m = log.match(/at (http:\/\/\S+)/); if (m) res(m[1]); }));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
const page = await browser.newPage();
const files = fs.readdirSync(dir + '/content/stories').filter((f) => f.endsWith('.md')).slice(0, +n);
const edit = process.env.EDIT || 'body';
const times = [];
for (const [i, f] of files.entries()) {
  const slug = f.replace(/\.md$/, '');
  await page.goto(`${url}stories/${slug}/`);
  await page.waitForFunction(() => window.otpressLive && window.otpressLive.readyState === 1);
  const p = `${dir}/content/stories/${f}`;
  const src = fs.readFileSync(p, 'utf8');
  const [edited, mark] = change(src, i, edit);
  const t0 = Date.now();
  fs.writeFileSync(p, edited);
  // Date.now() in the page and here share the clock; a theme's mark is the
  // path its new link goes to
  const shown = await page.waitForFunction((m) => document.body && (m.startsWith('/') ? document.querySelector(`a[href*="${m}"]`) : document.body.innerText.includes(m)) && Date.now(), mark, { timeout: 60000, polling: 'raf' });
  times.push((await shown.jsonValue()) - t0);
  fs.writeFileSync(p, src);
  await new Promise((r) => setTimeout(r, +(process.env.PAUSE || 2500)));
}
times.sort((a, b) => a - b);
const q = (x) => times[Math.min(times.length - 1, Math.floor(x * times.length))];
console.log(`otpress ${edit}, in Chromium: n=${times.length} p50=${q(0.5)} ms p95=${q(0.95)} ms max=${times[times.length - 1]} ms`);
await browser.close();
srv.kill('SIGINT');
