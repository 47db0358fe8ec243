// Turns the search benchmark's raw numbers into bench/SEARCH-RESULTS.md:
//
//	node report.mjs WORK OUT.md
//
// WORK is the folder bench/search.sh filled: results.json (measure.mjs),
// build-time-*.txt and pagefind-time-*.txt (GNU time -v of each run),
// build-*.log (otpress's own summary line), pagefind-*.log, and gobench.txt
// when the search package has Go benchmarks. The summary table also goes to
// stdout.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [work, outFile] = process.argv.slice(2);
if (!work || !outFile) {
  console.error('usage: node report.mjs WORK OUT.md');
  process.exit(2);
}
const R = JSON.parse(fs.readFileSync(path.join(work, 'results.json'), 'utf8'));
const read = (f) => fs.existsSync(path.join(work, f)) ? fs.readFileSync(path.join(work, f), 'utf8') : '';
// N, SEED, QUERIES and PAGEFIND_FLAGS as search.sh ran
const settings = Object.fromEntries(read('settings.txt').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

// ---- numbers -----------------------------------------------------------------------

const sorted = (xs) => xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
const median = (xs) => { const s = sorted(xs); return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN; };
// p95 by nearest rank: the smallest value with 95% of the values at or below it
const p95 = (xs) => { const s = sorted(xs); return s.length ? s[Math.ceil(0.95 * s.length) - 1] : NaN; };
const min = (xs) => sorted(xs)[0] ?? NaN;
const max = (xs) => sorted(xs).at(-1) ?? NaN;
const col = (rows, k) => rows.filter((r) => !r.error).map((r) => r[k]);

const fmt = (x, digits = 0) => Number.isFinite(x) ? x.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–';
const ratio = (a, b) => Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? fmt(a / b, 2) + '×' : '–';
const spread = (xs, d = 0) => `${fmt(median(xs), d)} / ${fmt(p95(xs), d)} / ${fmt(min(xs), d)} / ${fmt(max(xs), d)}`;

// GNU time -v: wall seconds and peak RSS in MB
function timeV(text) {
  const wall = text.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/);
  const rss = text.match(/Maximum resident set size \(kbytes\): (\d+)/);
  return {
    wall: wall ? Number(wall[1] || 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN,
    rss: rss ? Number(rss[1]) / 1024 : NaN,
  };
}
const runs = (prefix) => fs.readdirSync(work).filter((f) => f.startsWith(prefix) && f.endsWith('.txt')).map((f) => timeV(read(f)));
const builds = runs('build-time-');
const indexes = runs('pagefind-time-');
// what otpress says it took ("… in 12.6s") and Pagefind ("Finished in 9.1 seconds")
const said = (prefix, re) => fs.readdirSync(work).filter((f) => f.startsWith(prefix) && f.endsWith('.log'))
  .map((f) => (read(f).match(re) || [])[1]).filter(Boolean).map((s) => s.endsWith('ms') ? parseFloat(s) / 1000 : parseFloat(s));
const buildSaid = said('build-', /\bin ([\d.]+m?s)\b/);
const indexSaid = said('pagefind-', /Finished in ([\d.]+) seconds/);

// ---- the machine --------------------------------------------------------------------

const sh = (cmd, args) => { try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return '?'; } };
const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) || [])[1] || os.cpus()[0]?.model || '?';
const machine = {
  cores: os.availableParallelism(),
  cpu,
  ram: `${fmt(os.totalmem() / 2 ** 30, 1)} GiB`,
  go: sh('go', ['version']).replace(/^go version /, ''),
  node: process.version,
  chromium: R.chromium,
  pagefind: R.index.pagefind.version,
  load: fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  loadStart: read('load-start.txt').trim() || '?',
};

// ---- the table ------------------------------------------------------------------------

const cold = R.cold, warm = R.warm, ix = R.index;
const warmLater = (rows) => col(rows.slice(1), 'ms'); // the first query still loads files
const KB = (b) => b / 1024;
const pages = ix.ours.pages;
const rows = [];
const row = (what, ours, pf, r) => rows.push(`| ${what} | ${ours} | ${pf} | ${r} |`);

row('**First query, empty cache** (fresh context per query; median / p95 / min / max)', '', '', '');
row('KB transferred', spread(col(cold.ours, 'kb'), 1), spread(col(cold.pagefind, 'kb'), 1), ratio(median(col(cold.ours, 'kb')), median(col(cold.pagefind, 'kb'))));
row('requests', spread(col(cold.ours, 'requests')), spread(col(cold.pagefind, 'requests')), ratio(median(col(cold.ours, 'requests')), median(col(cold.pagefind, 'requests'))));
if (cold.ours.some((r) => r.soonKb !== undefined)) {
  row('KB fetched by 2 s after the answer (all of the engine\'s files, background fetches included)', spread(col(cold.ours, 'soonKb'), 1), spread(col(cold.pagefind, 'soonKb'), 1), ratio(median(col(cold.ours, 'soonKb')), median(col(cold.pagefind, 'soonKb'))));
  row('requests of those', spread(col(cold.ours, 'soonRequests')), spread(col(cold.pagefind, 'soonRequests')), ratio(median(col(cold.ours, 'soonRequests')), median(col(cold.pagefind, 'soonRequests'))));
}
row('ms from the engine\'s first request to results', spread(col(cold.ours, 'ms')), spread(col(cold.pagefind, 'ms')), ratio(median(col(cold.ours, 'ms')), median(col(cold.pagefind, 'ms'))));
row('ms of that after the engine is ready', spread(col(cold.ours, 'queryMs')), spread(col(cold.pagefind, 'queryMs')), ratio(median(col(cold.ours, 'queryMs')), median(col(cold.pagefind, 'queryMs'))));
row('ms to the first result in the page (ours)', spread(col(cold.ours, 'firstMs')), 'n/a', '');
if (cold.oursReady) {
  const ro = cold.oursReady, rp = cold.pagefindReady;
  row('**First query, search page already open** (fresh context; timed from the submit; median / p95 / min / max)', '', '', '');
  row('KB transferred', spread(col(ro, 'kb'), 1), spread(col(rp, 'kb'), 1), ratio(median(col(ro, 'kb')), median(col(rp, 'kb'))));
  row('requests', spread(col(ro, 'requests')), spread(col(rp, 'requests')), ratio(median(col(ro, 'requests')), median(col(rp, 'requests'))));
  row('ms to every result shown (Pagefind: data ready)', spread(col(ro, 'ms')), spread(col(rp, 'ms')), ratio(median(col(ro, 'ms')), median(col(rp, 'ms'))));
  row('ms to the first result shown (ours)', spread(col(ro, 'firstMs')), 'n/a', '');
}
if (cold.ours.some((r) => r.afterKb !== undefined)) {
  row('KB loaded after the answer (ours; empty cache): the counts beside the filters, and the next results ahead', spread(col(cold.ours, 'afterKb'), 1), 'n/a', '');
  row('requests of those', spread(col(cold.ours, 'afterRequests')), 'n/a', '');
}
const lat = R.latency;
if (lat) {
  row(`**First query, every response ${lat.ms} ms late** (same, as over a network)`, '', '', '');
  row('ms from the engine\'s first request to results', spread(col(lat.ours, 'ms')), spread(col(lat.pagefind, 'ms')), ratio(median(col(lat.ours, 'ms')), median(col(lat.pagefind, 'ms'))));
  row('ms of that after the engine is ready', spread(col(lat.ours, 'queryMs')), spread(col(lat.pagefind, 'queryMs')), ratio(median(col(lat.ours, 'queryMs')), median(col(lat.pagefind, 'queryMs'))));
}
row('**Later queries, same page** (median / p95 / max)', '', '', '');
const wo = warmLater(warm.ours), wp = warmLater(warm.pagefind), wt = warmLater(warm.oursTyped);
const three = (v) => `${fmt(median(v), 1)} / ${fmt(p95(v), 1)} / ${fmt(max(v), 1)}`;
if (warm.oursPaused) {
  const po = warmLater(warm.oursPaused), pp = warmLater(warm.pagefindPaused);
  row(`ms, submitted ${fmt(warm.pause)} ms after the last answer`, three(po), three(pp), ratio(p95(po), p95(pp)) + ' (p95)');
}
row('ms, submitted the moment the last is answered', three(wo), three(wp), ratio(p95(wo), p95(wp)) + ' (p95)');
row('ms, typed (includes search.js\'s 120 ms pause)', three(wt), 'n/a', '');
if (warm.prefetch && warm.prefetch.requests) row('KB of rows fetched in the background after the first answer (ours; files)', `${fmt(KB(warm.prefetch.bytes), 1)} (${warm.prefetch.requests})`, 'n/a', '');
row(`**Index** (${fmt(pages)} pages; ours ${fmt(ix.ours.pages)}, Pagefind ${fmt(ix.pagefind.pages)})`, '', '', '');
row('files', fmt(ix.ours.files), fmt(ix.pagefind.files), ratio(ix.ours.files, ix.pagefind.files));
row('MB raw', fmt(ix.ours.raw / 1e6, 2), fmt(ix.pagefind.raw / 1e6, 2), ratio(ix.ours.raw, ix.pagefind.raw));
row('MB as served (gzip)', fmt(ix.ours.served / 1e6, 2), fmt(ix.pagefind.served / 1e6, 2), ratio(ix.ours.served, ix.pagefind.served));
row('bytes per page as served', fmt(ix.ours.served / ix.ours.pages), fmt(ix.pagefind.served / ix.pagefind.pages), ratio(ix.ours.served / ix.ours.pages, ix.pagefind.served / ix.pagefind.pages));
row(`**Time** (median of ${builds.length} / ${indexes.length} runs)`, '', '', '');
row('wall s: otpress whole build / Pagefind index only', fmt(median(builds.map((b) => b.wall)), 2), fmt(median(indexes.map((b) => b.wall)), 2), ratio(median(builds.map((b) => b.wall)), median(indexes.map((b) => b.wall))));
row('s as each reports it', fmt(median(buildSaid), 2), fmt(median(indexSaid), 2), '');
row('peak RSS MB', fmt(median(builds.map((b) => b.rss))), fmt(median(indexes.map((b) => b.rss))), ratio(median(builds.map((b) => b.rss)), median(indexes.map((b) => b.rss))));

// relevance on the example site, split into the judged and typo subsets
const rel = R.relevance;
function scores(rowsOf, engine) {
  const ranks = rowsOf.map((r) => r[engine].rank);
  const n = ranks.length;
  return {
    n,
    s1: ranks.filter((r) => r === 1).length / n,
    s3: ranks.filter((r) => r && r <= 3).length / n,
    mrr: ranks.reduce((a, r) => a + (r ? 1 / r : 0), 0) / n,
  };
}
let relNote = '';
if (rel?.rows) {
  for (const [label, subset] of [['judged', rel.rows.filter((r) => !r.typo)], ['typo', rel.rows.filter((r) => r.typo)]]) {
    if (!subset.length) continue;
    const o = scores(subset, 'ours'), p = scores(subset, 'pagefind');
    row(`**Relevance, ${label} queries** (example site, ${o.n} queries)`, '', '', '');
    row('success@1', fmt(o.s1, 2), fmt(p.s1, 2), ratio(o.s1, p.s1));
    row('success@3', fmt(o.s3, 2), fmt(p.s3, 2), ratio(o.s3, p.s3));
    row('MRR@10', fmt(o.mrr, 2), fmt(p.mrr, 2), ratio(o.mrr, p.mrr));
  }
} else if (rel?.missing) {
  relNote = `Relevance: ${rel.file} does not exist, so it was not measured.`;
} else {
  relNote = 'Relevance: not measured (no judged query file given).';
}
const table = ['| | otpress | Pagefind | otpress / Pagefind |', '| --- | ---: | ---: | ---: |', ...rows].join('\n');

// ---- the details ----------------------------------------------------------------------

const n0 = (x, d = 0) => (x == null ? '–' : fmt(x, d));
const ready = !!cold.oursReady;
const perQuery = [`| query | ours ms | ours KB | ours req | ours hits | PF ms | PF KB | PF req | PF hits |${ready ? ' ours ms, page open | PF ms, page open |' : ''} warm ours ms | warm PF ms |${lat ? ` ours ms, ${lat.ms} ms late | PF ms, ${lat.ms} ms late |` : ''}`,
  `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${ready ? ' ---: | ---: |' : ''} ---: | ---: |${lat ? ' ---: | ---: |' : ''}`];
for (const [i, q] of R.queries.entries()) {
  const o = cold.ours.find((r) => r.q === q), p = cold.pagefind.find((r) => r.q === q);
  const cell = (r, k, d) => (!r ? '' : r.error ? 'error' : n0(r[k], d));
  perQuery.push(`| ${q} | ${cell(o, 'ms')} | ${cell(o, 'kb', 1)} | ${cell(o, 'requests')} | ${cell(o, 'hits')} | ${cell(p, 'ms')} | ${cell(p, 'kb', 1)} | ${cell(p, 'requests')} | ${cell(p, 'hits')} |${ready ? ` ${cell(cold.oursReady.find((r) => r.q === q), 'ms')} | ${cell(cold.pagefindReady.find((r) => r.q === q), 'ms')} |` : ''} ${cell(warm.ours[i], 'ms', 1)} | ${cell(warm.pagefind[i], 'ms', 1)} |${lat ? ` ${cell(lat.ours.find((r) => r.q === q), 'ms')} | ${cell(lat.pagefind.find((r) => r.q === q), 'ms')} |` : ''}`);
}
const errors = [...cold.ours, ...cold.pagefind, ...(cold.oursReady || []), ...(cold.pagefindReady || []), ...(lat ? [...lat.ours, ...lat.pagefind] : []), ...warm.ours, ...warm.pagefind].filter((r) => r.error);

const relRows = !rel?.rows ? [] : ['| query | typo | want | ours rank | ours top 3 | Pagefind rank | Pagefind top 3 |', '| --- | --- | --- | ---: | --- | ---: | --- |',
  ...rel.rows.map((r) => `| ${r.q} | ${r.typo ? 'yes' : ''} | ${r.want.join(' ')} | ${r.ours.rank ?? '–'} | ${r.ours.top.join(' ')} | ${r.pagefind.rank ?? '–'} | ${r.pagefind.top.join(' ')} |`)];

const first = cold.ours.find((r) => !r.error);
const sanity = first ? `The first cold query (\`${first.q}\`) fetched ${first.requests} files of ours: ${first.files.join(', ')}.` : '';

const md = `# Search benchmark: otpress vs Pagefind ${machine.pagefind}

Written by \`bench/search.sh\` (see bench/README.md) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.

- Site: \`gensite -n ${settings.N ?? pages} -seed ${settings.SEED ?? '?'}\` built by otpress; Pagefind indexed a copy of the same output, item pages only
  (\`pagefind ${settings.PAGEFIND_FLAGS ?? '?'}\`), so both index the same ${fmt(pages)} pages.
- Queries: ${R.queries.length} from \`${settings.QUERIES ?? '?'}\`, ${cold.ours.length} of them run cold.
- Machine: ${machine.cores} cores, ${machine.cpu}, ${machine.ram} RAM; load average (1, 5, 15 min) at the start ${machine.loadStart}, at the end ${machine.load}${R.load ? `; 1-minute load as each browser pass began: ${Object.entries(R.load).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}.
- otpress: commit ${settings.COMMIT ?? '?'}${settings.CHANGED ? `, with uncommitted changes to ${settings.CHANGED}` : ''}.
- Versions: ${machine.go}; Chromium ${machine.chromium} (headless, playwright-core); Node ${machine.node}; Pagefind ${machine.pagefind}.

${table}

${relNote}

How to read it:
- Served from 127.0.0.1 with gzip for text (ours: \`/js/search.js\` and \`/search/data/*\`; Pagefind: \`pagefind.js\`, its worker and entry JSON) and Pagefind's own compressed files as they are. KB are response bodies as sent, without headers.
- Latency: ${lat ? `the second cold pass has the server hold every response back ${lat.ms} ms, a stand-in for a network round trip (HTTP/1.1, so Chromium opens at most six connections at once); bandwidth is not limited.` : 'not simulated (LATENCY=0).'}
- Ours, cold: \`/search/?q=…\` opened in a fresh browser context; time from the request for \`search.js\` to the results in the page (status line set). "After the engine is ready" starts when \`m.js\` has arrived. search.js fills an empty list top down as the results' rows arrive; "first result" is when the first one is in the list.
- Search page already open: the measure of ../shared/guides/search.md ("from the first keystroke until result links are visible"): \`/search/\` opened in a fresh context, and once it is ready (the manifest read; for Pagefind, \`init()\` done) the query is submitted; time and bytes from the submit.
- Ours, bytes of a query are the files it needed to show its answer, all in by the time the status is set. Once the answer is shown, search.js loads the facets' lists (in the first few shards) to count each filter's results for the query; those files are counted apart, in "KB loaded after the answer" (issue 5 allows facet counts up to 35 KB on top of a first query).
- Pagefind, cold: a blank page of the same origin runs \`import('/pagefind/pagefind.js')\`, \`init()\`, \`search(q)\` and \`data()\` of the top ten results; "after ready" starts after \`init()\` (its WebAssembly and metadata still load on the first search). Pagefind's number is data ready, not rendered.
- Later queries: the whole list in one page, in order, leaving out the first; twice for each engine, in a fresh page each time: with a reader's pause after each answer (the time anyone takes to look at results before the next query), and back to back, the next query submitted the moment the last is answered. Ours submits the form; "typed" sends one input event with the whole text and waits for the list, so it includes the 120 ms pause search.js takes for typing to settle. Ratios for later queries compare p95.
- Ours, once a query has been answered, fetches every page's display row in the background, a few packs one at a time while the browser is idle, so that later queries load no row file; those bytes are counted on their own line, not in any query's. Back to back, the first later queries run while the packs are still arriving.
- Index: ours is \`js/search.js\` + \`search/data/\`; Pagefind's is \`pagefind/\` without its UI bundles (with them: ${fmt(ix.pagefindWithUI.files)} files, ${fmt(ix.pagefindWithUI.raw / 1e6, 2)} MB raw, ${fmt(ix.pagefindWithUI.served / 1e6, 2)} MB served). "As served" gzips text at zlib's default level, as the server does.
- Time: otpress's wall time is the whole build (pages, feeds, search index); the index step alone is not separable from outside. Pagefind's is indexing only, on an already built site.
${errors.length ? `\nErrors (${errors.length}): ${errors.map((e) => `\`${e.q}\`: ${e.error}`).join('; ')}\n` : ''}
${sanity}

## Per query

Cold runs (ms from the engine's first request to results, KB, requests, result count), later-query times in the warm page${lat ? ', and the cold times with every response late' : ''}.

${perQuery.join('\n')}
${relRows.length ? `\n## Relevance per judged query\n\nExample site, \`${rel.file}\`; rank of the first wanted page in the top ten (– when none).\n\n${relRows.join('\n')}\n` : ''}${read('gobench.txt') ? `\n## Go benchmarks of the search package\n\n\`\`\`\n${read('gobench.txt').trim()}\n\`\`\`\n` : '\n(No Go benchmark in generator/internal/search yet.)\n'}`;

fs.writeFileSync(outFile, md);
console.log(table);
if (relNote) console.log('\n' + relNote);
