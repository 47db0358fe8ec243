// search.js on a Welsh index, in node (no browser): the client reads every
// form of generator/internal/search/testdata/welsh-mutations.json as the
// Go tests do, and answers the judged Welsh queries (judged-cy.json) and
// each form of the table exactly as the Go reference engine does.
//
//   node tests/search/welsh.mjs
//
// It builds the index of the Welsh test corpus with searchq -build (small
// shards, so a word's other forms are often in other shards), then runs
// search.js in a vm context with a stand-in page: its index files are
// read from disk as the <script> elements it adds ask for them. Every
// check prints a PASS or FAIL line, then "N passed, N failed"; exit
// status 1 when any fails.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const testdata = path.join(repo, 'generator', 'internal', 'search', 'testdata');
const table = JSON.parse(fs.readFileSync(path.join(testdata, 'welsh-mutations.json'), 'utf8')).forms;
const judged = JSON.parse(fs.readFileSync(path.join(repo, 'tests', 'search', 'judged-cy.json'), 'utf8'));

let passed = 0, failed = 0;
// welshWords is js/words.js of a one-page Welsh site, built for the test.
function welshWords() {
  const site = fs.mkdtempSync(path.join(os.tmpdir(), 'otpress-welsh-site-'));
  try {
    fs.writeFileSync(path.join(site, 'site.toml'), 'title = "Prawf"\nbase_url = "https://example.org/"\nlanguage = "cy"\n');
    execFileSync('go', ['run', './generator', 'build', '-s', site, '-d', path.join(site, 'public')], { cwd: repo, stdio: 'ignore' });
    return fs.readFileSync(path.join(site, 'public', 'js', 'words.js'), 'utf8');
  } finally {
    fs.rmSync(site, { recursive: true, force: true });
  }
}

function check(name, ok, detail) {
  if (ok) { passed++; console.log(`PASS ${name}`); } else { failed++; console.log(`FAIL ${name}${detail ? ` — ${detail}` : ''}`); }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otpress-welsh-'));
try {
  const index = path.join(dir, 'data') + '/';
  const searchq = (args, input) => execFileSync('go', ['run', './generator/internal/search/searchq', ...args], { cwd: repo, input, encoding: 'utf8', maxBuffer: 64 << 20 });
  searchq(['-build', path.join(testdata, 'welsh-corpus.json'), '-lang', 'cy', '-shard', '500', '-index', index]);
  const shards = fs.readdirSync(index).filter(f => /^s\d+\.js$/.test(f)).length;
  check(`the Welsh index has its words in several shards (${shards})`, shards >= 4);

  const client = await open(index);
  check('the client reads the manifest as a Welsh index', client.welsh.on === true);

  // the table: each mutated form is read as its radical, each radical
  // takes the form, and they mark each other in quotes
  const fold = s => s.normalize('NFKD').replace(/\p{Mn}/gu, '').toLowerCase();
  const wrong = [];
  for (const f of table) {
    const m = fold(f.mutated), r = fold(f.radical), w = client.welsh;
    if (!w.readings(m).includes(r)) wrong.push(`${m}: readings ${JSON.stringify(w.readings(m))} lack ${r}`);
    if (!w.mutations(r).includes(m)) wrong.push(`${r}: mutations ${JSON.stringify(w.mutations(r))} lack ${m}`);
    if (!w.candidates(m).includes(r) || !w.candidates(r).includes(m)) wrong.push(`${m}, ${r}: not each other's candidates`);
    if (!w.matches(m, [r]) || !w.matches(r, [m])) wrong.push(`${m}, ${r}: do not mark each other`);
  }
  check(`the client reads all ${table.length} forms of welsh-mutations.json as the Go tests do`, wrong.length === 0, wrong.slice(0, 5).join('; '));

  // the same answers as the Go engine: the judged queries, submitted and
  // while typing, and each form of the table and its radical
  const qs = judged.flatMap(j => [{ q: j.q, typing: false }, { q: j.q, typing: true }])
    .concat(table.flatMap(f => [{ q: f.mutated, typing: false }, { q: f.radical, typing: false }, { q: f.in.replace(/ \(.*$/, ''), typing: true }]));
  const want = JSON.parse(searchq(['-index', index], JSON.stringify(qs)));
  const got = [];
  for (const q of qs) {
    const r = await client.query({ text: q.q, kinds: [], themes: [], years: [], typing: q.typing });
    const quote = h => !h.quote || !h.quote.text ? '' : (h.quote.part >= 0 ? h.parts[h.quote.part].row[1] + ': ' : '') + h.quote.text;
    got.push({
      q: q.q, typing: q.typing, total: r.total, fuzzy: r.fuzzy, any: r.any, hits: r.hits.map(h => [h.row[0], ...h.parts.map(p => p.row[0] + ' ' + p.row[1])]),
      quotes: r.hits.map(quote), topics: r.topics.map(h => h.row[2] + ' ' + h.row[0] + ' ' + quote(h)),
    });
  }
  const differ = got.filter((g, i) => JSON.stringify(g) !== JSON.stringify(want[i]));
  check(`the client answers ${qs.length} Welsh queries exactly as the Go engine, quotes included`, got.length === want.length && differ.length === 0,
    differ.slice(0, 3).map(g => `${g.q}${g.typing ? ' (typing)' : ''}: ${JSON.stringify(g)} vs ${JSON.stringify(want[got.indexOf(g)])}`).join('; '));
  // and the judged queries find their pages (the Go test asserts their ranks)
  const missed = judged.filter(j => {
    const a = got.find(g => g.q === j.q && !g.typing);
    return !j.want.every(p => a.hits.some(h => '/' + h[0] === p));
  });
  check(`every judged Welsh query finds the pages it wants in the client (${judged.length})`, missed.length === 0, missed.map(j => j.q).join(', '));
  const quoted = got.filter(g => g.hits.length && g.quotes.every(Boolean)).length;
  check(`results quote the mutated forms they matched (${quoted} of ${got.filter(g => g.hits.length).length} answers quote every hit)`, quoted >= got.filter(g => g.hits.length).length * 0.9);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(`welsh: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

// open runs search.js against the index in folder index (a path ending in
// /) with a stand-in page, and resolves to its test hooks
// (window.otpressSearch.query and .welsh) once the manifest is read.
function open(index) {
  const stub = () => ({
    hidden: false, open: false, value: '', textContent: '', children: [], labels: [],
    addEventListener() {}, append() {}, replaceChildren() {}, setAttribute() {}, focus() {},
    querySelectorAll() { return []; }, querySelector() { return null; },
  });
  const elements = {};
  const context = {
    console, setTimeout, clearTimeout, URLSearchParams,
    location: { search: '', pathname: '/search/' },
    history: { state: null, pushState() {}, replaceState() {} },
    navigator: {},
    requestAnimationFrame: f => setTimeout(f, 0),
    matchMedia: () => ({ matches: true, addEventListener() {} }),
    addEventListener() {},
  };
  context.window = context;
  context.document = {
    currentScript: { getAttribute: name => (name === 'data-index' ? index : null) },
    getElementById: id => (elements[id] ||= stub()),
    createElement: () => ({}),
    createDocumentFragment: () => stub(),
    // an index file added as a script runs once it is read
    head: {
      appendChild(s) {
        fs.readFile(s.src, 'utf8', (err, text) => {
          if (err) { s.onerror(); return; }
          vm.runInContext(text, context, { filename: s.src });
        });
      },
    },
  };
  vm.createContext(context);
  // the theme's Welsh words, as a Welsh site's pages load them first
  vm.runInContext(welshWords(), context, { filename: 'words.js' });
  const client = path.join(repo, 'themes', 'default', 'static', 'js', 'search.js');
  vm.runInContext(fs.readFileSync(client, 'utf8'), context, { filename: client });
  return new Promise((resolve, reject) => {
    const started = Date.now();
    (function wait() {
      const s = context.window.otpressSearch;
      if (s && s.query && s.welsh) resolve(s);
      else if (Date.now() - started > 10000) reject(new Error('search.js did not read the manifest'));
      else setTimeout(wait, 10);
    })();
  });
}
