// A look at pages as a reviewer would: screenshots of parts of pages.
//   node look.mjs SITE_DIR OUT_DIR WIDTH[xHEIGHT][,dark] URL[@Y] [URL[@Y]...]
// Each shot is one screen (HEIGHT, default 800) starting Y px down the page.
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';
import fs from 'node:fs';
import path from 'node:path';

const [dir, out, size, ...urls] = process.argv.slice(2);
const [dims, scheme] = size.split(',');
const [width, height = 800] = dims.split('x').map(Number);
fs.mkdirSync(out, { recursive: true });
const server = await serve(dir);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme === 'dark' ? 'dark' : 'light', forcedColors: scheme === 'forced' ? 'active' : 'none' });
const page = await context.newPage();
for (const u of urls) {
  const [url, y = '0'] = u.split('@');
  await page.goto(origin + url, { waitUntil: 'load' });
  const full = await page.evaluate(() => document.documentElement.scrollHeight);
  const top = Math.min(Number(y), Math.max(0, full - height));
  const file = path.join(out, `${url.replace(/[^a-z0-9]+/gi, '_')}-${width}${scheme ? '-' + scheme : ''}-${top}.png`);
  await page.evaluate((y) => window.scrollTo(0, y), top);
  await page.screenshot({ path: file }); // the screen as a reader sees it there, sticky parts and all
  console.log(file);
}
await browser.close();
server.close();
