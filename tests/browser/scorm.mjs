// A pack's SCORM 1.2 and SCORM 2004 packages in a real browser, each under
// two run-times standing in for a learning system: scorm-again's (from
// npm) and lms.js, a small strict LMS written for these tests, which
// checks every value against its edition's data model and keeps what is
// committed in localStorage, so that opening the package again is a real
// next session. Each package is unzipped, its index.html opened in a
// frame of a harness page that provides the API, and the learner's "I
// have completed this pack" pressed by keyboard. The run-time must hear
// Initialize, the status set to incomplete, then completed, a normal exit,
// the session's length in its edition's format (CMITimespan 00:00:01 for
// 1.2, an ISO 8601 duration PT1.25S for 2004), Commit and Terminate, and
// nothing else of the learner's. Left unfinished, it must hear the item
// reached (suspend_data; 2004's cmi.location too) and a suspended exit,
// and the next session opens at that item. Every call succeeds. Opened on
// its own, the package says progress is not recorded; axe-core passes on
// it. The manifest's schema files are at the package's root.
//
//   node scorm.mjs PACK-scorm.zip PACK-scorm2004.zip
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

// the two editions: their API's names, and the sequences a session makes
const EDITIONS = [
  {
    name: 'SCORM 1.2', zip: process.argv[2], sco: 'sco12', edition: '1.2', global: 'API', again: 'Scorm12API', againFile: 'scorm-again/scorm12',
    init: 'LMSInitialize', get: 'LMSGetValue', set: 'LMSSetValue', commit: 'LMSCommit', finish: 'LMSFinish', lastError: 'LMSGetLastError',
    status: 'cmi.core.lesson_status', time: /^\d{2,4}:\d\d:\d\d$/,
    seconds: (t) => { const [h, m, s] = t.split(':').map(Number); return h * 3600 + m * 60 + s; },
    completed: /^LMSInitialize → cmi\.core\.lesson_status=incomplete → cmi\.core\.lesson_status=completed → cmi\.core\.exit= → cmi\.core\.session_time=(\S+) → LMSCommit → LMSFinish$/,
    sent: /^cmi\.core\.(lesson_status|exit|session_time)$/,
    left: /cmi\.suspend_data=p2-title → cmi\.core\.exit=suspend → cmi\.core\.session_time=\d{2,4}:\d\d:\d\d → LMSCommit → LMSFinish$/,
    resume: { 'cmi.core.lesson_status': 'incomplete', 'cmi.core.entry': 'resume', 'cmi.suspend_data': 'p2-title' },
  },
  {
    name: 'SCORM 2004', zip: process.argv[3], sco: 'sco2004', edition: '2004', global: 'API_1484_11', again: 'Scorm2004API', againFile: 'scorm-again/scorm2004',
    init: 'Initialize', get: 'GetValue', set: 'SetValue', commit: 'Commit', finish: 'Terminate', lastError: 'GetLastError',
    status: 'cmi.completion_status', time: /^PT(\d+H)?(\d+M)?\d+(\.\d{1,2})?S$/,
    seconds: (t) => { const m = /^PT(?:(\d+)H)?(?:(\d+)M)?([\d.]+)S$/.exec(t); return m ? (+m[1] || 0) * 3600 + (+m[2] || 0) * 60 + +m[3] : NaN; },
    completed: /^Initialize → cmi\.completion_status=incomplete → cmi\.completion_status=completed → cmi\.exit=normal → cmi\.session_time=(\S+) → Commit → Terminate$/,
    sent: /^cmi\.(completion_status|exit|session_time)$/,
    left: /cmi\.location=p2-title → cmi\.suspend_data=p2-title → cmi\.exit=suspend → cmi\.session_time=PT[\d.HMS]+ → Commit → Terminate$/,
    resume: { 'cmi.completion_status': 'incomplete', 'cmi.entry': 'resume', 'cmi.location': 'p2-title', 'cmi.suspend_data': 'p2-title' },
  },
];
if (!EDITIONS.every((e) => e.zip)) {
  console.error('usage: node scorm.mjs PACK-scorm.zip PACK-scorm2004.zip');
  process.exit(2);
}

const require = createRequire(import.meta.url);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otpress-scorm-'));
fs.copyFileSync(path.join(import.meta.dirname, 'lms.js'), path.join(dir, 'lms.js'));
for (const e of EDITIONS) {
  const zip = unzip(fs.readFileSync(e.zip));
  for (const [name, data] of zip) {
    fs.mkdirSync(path.join(dir, e.sco, path.dirname(name)), { recursive: true });
    fs.writeFileSync(path.join(dir, e.sco, name), data);
  }
  const manifest = String(zip.get('imsmanifest.xml') || '');
  const locations = (/xsi:schemaLocation="([^"]*)"/.exec(manifest) || ['', ''])[1].trim().split(/\s+/).filter((_, i) => i % 2 === 1);
  check(`${e.name}: the package has imsmanifest.xml, index.html and, at its root, each schema the manifest names`,
    zip.has('index.html') && locations.length >= 3 && locations.every((f) => zip.has(f)), `${locations.join(' ')} in ${[...zip.keys()].join(' ')}`);
  // scorm-again: its dist file for require() is a browser script that
  // defines the global Scorm12API or Scorm2004API; the harness records
  // every call with its error code
  fs.copyFileSync(require.resolve(e.againFile), path.join(dir, `again${e.edition}.js`));
  fs.writeFileSync(path.join(dir, `again${e.edition}-harness.js`), `
window.${e.global} = new ${e.again}({ autocommit: false, logLevel: 5 });
window.calls = [];
['${e.init}', '${e.get}', '${e.set}', '${e.commit}', '${e.finish}'].forEach(function (name) {
  var api = window.${e.global}, f = api[name].bind(api);
  api[name] = function () { var r = f.apply(null, arguments); window.calls.push([name].concat([].slice.call(arguments)).concat(['=' + r, '#' + api.${e.lastError}()])); return r; };
});
`);
  fs.writeFileSync(path.join(dir, `again${e.edition}-resume.js`), `window.${e.global}.loadFromFlattenedJSON(${JSON.stringify(e.resume)});\n`);
  const page = (scripts) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LMS</title>
<link rel="icon" href="${e.sco}/images/favicon.svg" type="image/svg+xml">${scripts}</head>
<body><main><h1>Learning system</h1><iframe src="${e.sco}/index.html" title="The learning pack" width="1000" height="700"></iframe></main></body></html>`;
  fs.writeFileSync(path.join(dir, `again${e.edition}.html`), page(`<script src="again${e.edition}.js"></script><script src="again${e.edition}-harness.js"></script>`));
  fs.writeFileSync(path.join(dir, `again${e.edition}-resume.html`), page(`<script src="again${e.edition}.js"></script><script src="again${e.edition}-harness.js"></script><script src="again${e.edition}-resume.js"></script>`));
  fs.writeFileSync(path.join(dir, `lms${e.edition}.html`), page(`<script src="lms.js" data-edition="${e.edition}"></script>`));
}

// the site's strict policy, except that a page of the same origin may frame
// the package, as a learning system's player does
const server = await serve(dir, CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'"));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });

// open loads a harness page in a context and waits for the pack to start
async function open(context, url, e) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(String(err)));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
  await page.goto(origin + url);
  const frame = page.frameLocator('iframe');
  await frame.locator('#scorm-complete').waitFor({ state: 'attached', timeout: 10000 });
  await page.waitForFunction((init) => window.calls.some((c) => c[0] === init), e.init);
  return { page, frame, problems };
}
const calls = (page) => page.evaluate(() => window.calls);
const sequence = (cs, e) => cs.filter((c) => c[0] !== e.get).map((c) => c[0] === e.set ? `${c[1]}=${c[2]}` : c[0]).join(' → ');
// every call succeeds: true from each but GetValue, error 0 from all (a
// 2004 GetValue of an element not yet set, such as cmi.location in a first
// session, is error 403 and "")
const failures = (cs, e) => cs.filter((c) => {
  const [result, code] = c.slice(-2);
  if (c[0] === e.get) return !(code === '#0' || (e.edition === '2004' && code === '#403' && result === '='));
  return result !== '=true' || code !== '#0';
});
const finished = (page, e) => page.waitForFunction((end) => window.calls.some((c) => c[0] === end), e.finish, { timeout: 5000 }).catch(() => {});

try {
  for (const e of EDITIONS) {
    for (const runtime of ['scorm-again', 'lms.js']) {
      const what = `${e.name} under ${runtime}`;
      const harness = runtime === 'lms.js' ? `/lms${e.edition}.html` : `/again${e.edition}.html`;
      // a session completed
      const done = await browser.newContext();
      const { page, frame, problems } = await open(done, harness, e);
      let cs = await calls(page);
      check(`${what}: opening the pack initialises the session and sets it incomplete`, cs[0][0] === e.init && cs.some((c) => c[0] === e.set && c[1] === e.status && c[2] === 'incomplete'), JSON.stringify(cs));
      await page.waitForTimeout(1100); // a session of more than a second
      await frame.locator('#scorm-complete').focus();
      await page.keyboard.press('Enter');
      await finished(page, e);
      cs = await calls(page);
      const seq = sequence(cs, e);
      const m = e.completed.exec(seq);
      check(`${what}: "I have completed this pack" records completion, a normal exit, the session's length, then commits and terminates`, !!m, seq);
      const time = m ? m[1] : '';
      check(`${what}: …the session's length is in the edition's format and about right (1 to 10 s)`, e.time.test(time) && e.seconds(time) >= 1 && e.seconds(time) < 10, time);
      check(`${what}: …every call succeeds`, failures(cs, e).length === 0, JSON.stringify(failures(cs, e)));
      check(`${what}: …and nothing of the learner's is sent (only the status, exit and session time)`, cs.filter((c) => c[0] === e.set).every((c) => e.sent.test(c[1])), seq);
      const said = await frame.locator('#scorm-status').textContent();
      check(`${what}: …and the learner is told`, /completed/.test(said) && await frame.locator('#scorm-complete').isHidden(), said);
      if (runtime === 'lms.js') {
        const kept = await page.evaluate(() => window.lmsSessions);
        check(`${what}: …the learning system keeps the pack completed`, kept.length === 1 && kept[0][e.status] === 'completed', JSON.stringify(kept));
      } else {
        check(`${what}: …the run-time holds the status completed`, (await page.evaluate((g) => window[g].cmi.core ? window[g].cmi.core.lesson_status : window[g].cmi.completion_status, e.global)) === 'completed');
      }
      check(`${what}: no script errors or CSP violations`, problems.length === 0, problems.join('; '));
      await done.close();

      // left unfinished: suspended, with the item reached, which the next
      // session opens at
      const left = await browser.newContext();
      const first = await open(left, harness, e);
      await first.frame.locator('#p2-title').evaluate((h) => h.scrollIntoView());
      await first.page.waitForTimeout(300); // a frame or two for the scroll to be noted
      await first.page.evaluate(() => document.querySelector('iframe').remove()); // the learner closes the pack
      await finished(first.page, e);
      cs = await calls(first.page);
      const leftSeq = sequence(cs, e);
      check(`${what}: leaving unfinished suspends, with the item reached`, e.left.test(leftSeq) && failures(cs, e).length === 0, `${leftSeq} ${JSON.stringify(failures(cs, e))}`);
      // the next session: lms.js from what it kept; scorm-again loaded with
      // the same
      const back = await open(left, runtime === 'lms.js' ? harness : `/again${e.edition}-resume.html`, e);
      await back.frame.locator('#scorm-status').filter({ hasText: 'where you left off' }).waitFor({ timeout: 10000 }).catch(() => {});
      const top = await back.frame.locator('#p2-title').evaluate((h) => h.getBoundingClientRect().top);
      const said2 = await back.frame.locator('#scorm-status').textContent();
      check(`${what}: …and the next session opens at that item, and says so`, top >= -2 && top < 100 && /where you left off/.test(said2), `${top} ${said2}`);
      if (runtime === 'lms.js') {
        const entry = await back.page.evaluate((el) => window.lmsData()[el], e.edition === '2004' ? 'cmi.entry' : 'cmi.core.entry');
        check(`${what}: …which the learning system starts as a resumed one`, entry === 'resume', entry);
      }
      check(`${what}: …with no script errors or CSP violations`, first.problems.length === 0 && back.problems.length === 0, first.problems.concat(back.problems).join('; '));
      await left.close();
    }

    // opened on its own (from a shared drive, say): no learning system
    const alone = await browser.newPage();
    await alone.goto(`${origin}/${e.sco}/index.html`);
    await alone.waitForFunction(() => document.getElementById('scorm-status').textContent !== '');
    check(`${e.name}: opened on its own, it says progress is not recorded, and offers no button`, /not recorded/.test(await alone.textContent('#scorm-status')) && await alone.isHidden('#scorm-complete'));
    const violations = await axe(alone);
    check(`${e.name}: axe-core passes on the package's page`, violations.length === 0, violations.join('; '));
    await alone.close();
  }
} finally {
  await browser.close();
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
finish('SCORM');
