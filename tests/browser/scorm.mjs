// A pack's SCORM 1.2 package in a real browser, against scorm-again's
// SCORM 1.2 runtime from npm standing in for a learning system: the
// package is unzipped, its index.html opened in a frame of a harness page
// that provides window.API, and the learner's "I have completed this pack"
// pressed by keyboard. The runtime must hear LMSInitialize, the status set
// to incomplete, then completed, a normal exit, the session's length,
// LMSCommit and LMSFinish, and nothing else of the learner's. Left
// unfinished, it must hear the item reached and a suspended exit, and the
// next session opens at that item. Opened on its own, the package says
// progress is not recorded. axe-core passes on it.
//
//   node scorm.mjs PACK.zip
//
// Every check prints a PASS or FAIL line; exit status 1 when any fails.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { axe, check, finish } from './checks.mjs';
import { serve, CSP } from './serve.mjs';

// unzip reads a zip archive's files (stored or deflated) through its
// central directory.
function unzip(buf) {
  const files = new Map();
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip archive');
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(at + 10), size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28), extraLen = buf.readUInt16LE(at + 30), commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    files.set(name, method === 0 ? raw : zlib.inflateRawSync(raw));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

const zip = unzip(fs.readFileSync(process.argv[2]));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otpress-scorm-'));
for (const [name, data] of zip) {
  fs.mkdirSync(path.join(dir, 'sco', path.dirname(name)), { recursive: true });
  fs.writeFileSync(path.join(dir, 'sco', name), data);
}
check('the package has imsmanifest.xml and index.html', zip.has('imsmanifest.xml') && zip.has('index.html'), [...zip.keys()].join(' '));
// the harness: scorm-again's SCORM 1.2 API as window.API, every call recorded
const require = createRequire(import.meta.url);
// scorm-again/scorm12 for require() is dist/scorm12.js, a browser script
// that defines the global Scorm12API
fs.copyFileSync(require.resolve('scorm-again/scorm12'), path.join(dir, 'scorm12.js'));
fs.writeFileSync(path.join(dir, 'harness.js'), `
window.API = new Scorm12API({ autocommit: false, logLevel: 5 });
window.calls = [];
['LMSInitialize', 'LMSGetValue', 'LMSSetValue', 'LMSCommit', 'LMSFinish'].forEach(function (name) {
  var f = window.API[name].bind(window.API);
  window.API[name] = function () { var r = f.apply(null, arguments); window.calls.push([name].concat([].slice.call(arguments)).concat(['=' + r])); return r; };
});
`);
fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LMS</title>
<link rel="icon" href="sco/images/favicon.svg" type="image/svg+xml"><script src="scorm12.js"></script><script src="harness.js"></script></head>
<body><main><h1>Learning system</h1><iframe src="sco/index.html" title="The learning pack" width="1000" height="700"></iframe></main></body></html>`);

// the site's strict policy, except that a page of the same origin may frame
// the package, as a learning system's player does
const server = await serve(dir, CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'"));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
try {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
  await page.goto(origin + '/index.html');
  const frame = page.frameLocator('iframe');
  await frame.locator('#scorm-complete').waitFor({ timeout: 10000 });
  await page.waitForFunction(() => window.calls.some((c) => c[0] === 'LMSInitialize'));
  let calls = await page.evaluate(() => window.calls);
  check('opening the pack initialises the session and sets it incomplete', calls[0][0] === 'LMSInitialize' && calls.some((c) => c[0] === 'LMSSetValue' && c[1] === 'cmi.core.lesson_status' && c[2] === 'incomplete'), JSON.stringify(calls));

  // the learner, by keyboard
  await frame.locator('#scorm-complete').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.calls.some((c) => c[0] === 'LMSFinish'), null, { timeout: 5000 }).catch(() => {});
  calls = await page.evaluate(() => window.calls);
  const seq = calls.filter((c) => c[0] !== 'LMSGetValue').map((c) => c[0] === 'LMSSetValue' ? `${c[1]}=${c[2]}` : c[0]).join(' → ');
  check('"I have completed this pack" records completion, a normal exit and the session\'s length: LMSInitialize → incomplete → completed → exit → session_time → LMSCommit → LMSFinish',
    /^LMSInitialize → cmi\.core\.lesson_status=incomplete → cmi\.core\.lesson_status=completed → cmi\.core\.exit= → cmi\.core\.session_time=\d{2,4}:\d\d:\d\d → LMSCommit → LMSFinish$/.test(seq), seq);
  check('…every call succeeds', calls.every((c) => c[0] === 'LMSGetValue' || c[c.length - 1] === '=true'), JSON.stringify(calls));
  check('…the runtime holds the status completed', (await page.evaluate(() => window.API.cmi.core.lesson_status)) === 'completed');
  check('…and nothing of the learner\'s is sent (only the status, exit and session time)', calls.filter((c) => c[0] === 'LMSSetValue').every((c) => /^cmi\.core\.(lesson_status|exit|session_time)$/.test(c[1])));
  const said = await frame.locator('#scorm-status').textContent();
  check('…and the learner is told', /completed/.test(said) && await frame.locator('#scorm-complete').isHidden(), said);
  check('no script errors or CSP violations', problems.length === 0, problems.join('; '));

  // left unfinished: suspended, with the item reached, which the next
  // session opens at
  const left = await browser.newPage();
  await left.goto(origin + '/index.html');
  const leftFrame = left.frameLocator('iframe');
  await leftFrame.locator('#scorm-complete').waitFor({ timeout: 10000 });
  await leftFrame.locator('#p2-title').evaluate((h) => h.scrollIntoView());
  await left.waitForTimeout(300); // a frame or two for the scroll to be noted
  await left.evaluate(() => document.querySelector('iframe').remove()); // the learner closes the pack
  await left.waitForFunction(() => window.calls.some((c) => c[0] === 'LMSFinish'), null, { timeout: 5000 }).catch(() => {});
  const leftCalls = await left.evaluate(() => window.calls);
  const leftSeq = leftCalls.filter((c) => c[0] !== 'LMSGetValue').map((c) => c[0] === 'LMSSetValue' ? `${c[1]}=${c[2]}` : c[0]).join(' → ');
  check('leaving unfinished suspends, with the item reached: … → suspend_data=p2-title → exit=suspend → session_time → LMSCommit → LMSFinish',
    /cmi\.suspend_data=p2-title → cmi\.core\.exit=suspend → cmi\.core\.session_time=\d{2,4}:\d\d:\d\d → LMSCommit → LMSFinish$/.test(leftSeq) && leftCalls.every((c) => c[0] === 'LMSGetValue' || c[c.length - 1] === '=true'), leftSeq);
  fs.writeFileSync(path.join(dir, 'resume.js'), "window.API.loadFromFlattenedJSON({'cmi.core.lesson_status': 'incomplete', 'cmi.suspend_data': 'p2-title'});\n");
  fs.writeFileSync(path.join(dir, 'resume.html'), fs.readFileSync(path.join(dir, 'index.html'), 'utf8').replace('<script src="harness.js"></script>', '<script src="harness.js"></script><script src="resume.js"></script>'));
  const back = await browser.newPage();
  await back.goto(origin + '/resume.html');
  const backFrame = back.frameLocator('iframe');
  await backFrame.locator('#scorm-status').filter({ hasText: 'where you left off' }).waitFor({ timeout: 10000 }).catch(() => {});
  const top = await backFrame.locator('#p2-title').evaluate((h) => h.getBoundingClientRect().top);
  const said2 = await backFrame.locator('#scorm-status').textContent();
  check('…and the next session opens at that item, and says so', top >= -2 && top < 100 && /where you left off/.test(said2), `${top} ${said2}`);

  // opened on its own (from a shared drive, say): no learning system
  const alone = await browser.newPage();
  await alone.goto(origin + '/sco/index.html');
  await alone.waitForFunction(() => document.getElementById('scorm-status').textContent !== '');
  check('opened on its own, it says progress is not recorded, and offers no button', /not recorded/.test(await alone.textContent('#scorm-status')) && await alone.isHidden('#scorm-complete'));
  const violations = await axe(alone);
  check('axe-core passes on the package\'s page', violations.length === 0, violations.join('; '));
} finally {
  await browser.close();
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
finish('SCORM');
