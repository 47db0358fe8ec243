// Each learning pack's one-page download (/packs/<slug>/<slug>.html, its
// styles inside it, its pictures as data: URLs) opened from the built site
// in Chromium, served with the site's _headers applied as Cloudflare Pages
// and Netlify apply them: the response carries the file's own policy alone,
// the page renders as it does opened from disk with no policy (the same
// computed styles), its pictures show, no CSP violation is reported, and
// axe-core passes. Served with both the site's policy and the file's (a
// host that joins them, if the rule did not drop the site's), the styles
// are blocked: the check can tell.
//
//   node download.mjs ROOT[:BASE] ...
//
// ROOT is the folder served at /, the site built into ROOT/BASE (BASE "/"
// unless given, as for a site under /ot/). Every check prints a PASS or
// FAIL line; exit status 1 when any fails.
import { chromium } from 'playwright-core';
import { axe, check, finish } from './checks.mjs';
import { hostRules, serve } from './serve.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// what the test compares: enough of the layout and type that a missing
// stylesheet shows in every one
const LOOK = () => {
  const props = ['fontFamily', 'fontSize', 'lineHeight', 'color', 'backgroundColor', 'maxWidth', 'marginTop', 'paddingLeft', 'borderTopWidth'];
  return ['body', 'main', 'h1', 'h2', 'p', 'a', 'table', 'th'].flatMap((sel) => {
    const el = document.querySelector(sel);
    if (!el) return [];
    const cs = getComputedStyle(el);
    return props.map((p) => `${sel}.${p}=${cs[p]}`);
  });
};

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
try {
  for (const arg of process.argv.slice(2)) {
    const [root, base = '/'] = arg.split(':');
    const out = path.join(root, base);
    const packs = fs.readdirSync(path.join(out, 'packs'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(out, 'packs', d.name, d.name + '.html')))
      .map((d) => d.name);
    check(`${arg}: the site has pack downloads`, packs.length > 0, 'no packs/<slug>/<slug>.html');
    for (const slug of packs) {
      const file = path.join(out, 'packs', slug, slug + '.html');
      const urlPath = path.posix.join(base, 'packs', slug, slug + '.html');
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await ctx.newPage();
      // the reference: the file opened from disk, with no policy at all
      await page.goto(pathToFileURL(file).href);
      const reference = await page.evaluate(LOOK);
      check(`${slug}: opened from disk, its styles apply`, await page.evaluate(() => [...document.querySelectorAll('style')].every((s) => s.sheet && s.sheet.cssRules.length > 0)));
      await ctx.close();
      const rule = hostRules(path.join(out, '_headers'), 'cloudflare')(urlPath)['content-security-policy'] || '';
      check(`${slug}: _headers gives the download a policy of its own, without 'unsafe-inline'`, /style-src 'sha256-/.test(rule) && !rule.includes('unsafe') && !rule.includes(','), rule);

      for (const host of ['cloudflare', 'netlify', 'cloudflare-no-detach']) {
        const server = await serve(root, hostRules(path.join(out, '_headers'), host));
        const origin = `http://127.0.0.1:${server.address().port}`;
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const page = await ctx.newPage();
        const violations = [];
        page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text()); });
        await page.exposeFunction('otpressViolation', (v) => violations.push(v));
        await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => window.otpressViolation(`${e.violatedDirective} ${e.blockedURI}`)));
        const res = await page.goto(origin + urlPath);
        await page.waitForLoadState('load');
        const look = await page.evaluate(LOOK);
        const same = look.length > 0 && look.join('\n') === reference.join('\n');
        if (host === 'cloudflare-no-detach') {
          // the control: both policies at once block the styles, and the test sees it
          check(`${slug}, both policies at once (no "! Content-Security-Policy"): the styles are blocked and reported`, !same && violations.length > 0, `${violations.length} violations`);
        } else {
          check(`${slug} from the site (${host}): one policy, the file's own`, res.headers()['content-security-policy'] === rule, res.headers()['content-security-policy']);
          check(`${slug} from the site (${host}): renders as from disk (the same computed styles)`, same, look.filter((l, i) => l !== reference[i]).slice(0, 3).join('; '));
          const pictures = await page.evaluate(() => [...document.images].map((i) => ({ ok: i.complete && i.naturalWidth > 0, src: i.src.slice(0, 40) })));
          check(`${slug} from the site (${host}): every picture shows (${pictures.length})`, pictures.every((p) => p.ok), JSON.stringify(pictures.filter((p) => !p.ok)));
          check(`${slug} from the site (${host}): no CSP violation`, violations.length === 0, violations.join(' | '));
          if (host === 'cloudflare') {
            const v = await axe(page);
            check(`${slug} from the site: axe-core passes`, v.length === 0, v.join(', '));
          }
        }
        await ctx.close();
        server.close();
      }
    }
  }
} finally {
  await browser.close();
}
finish('pack download');
