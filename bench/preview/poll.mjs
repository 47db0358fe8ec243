// Used by bench/preview.sh: starts a preview server (otpress serve or hugo
// server) on a site, then for each of the first EDITS stories saves a change
// and asks for the page every 5 ms until it shows the change; prints the
// median, p95 and maximum time and the server's peak RSS. Each edit is
// undone after it is measured. EDIT says what changes (edits.mjs): body
// (the default), title (TITLE=1 says the same) or theme.
//
//   node poll.mjs otpress|hugo BINARY SITE_DIR [EDITS]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { change } from './edits.mjs';
const [mode, bin, dir, n = '8'] = process.argv.slice(2);
const port = 20000 + Math.floor(Math.random() * 20000);
const args = mode === 'hugo'
  ? [bin, ['server', '-s', dir, '--port', String(port), '--bind', '127.0.0.1', '--disableFastRender=false', '--quiet']]
  : [bin, ['serve', '-s', dir, '--port', String(port)]];
const srv = spawn(args[0], args[1], { stdio: ['ignore', 'pipe', 'pipe'] });
let log = '';
srv.stdout.on('data', (d) => { log += d; });
srv.stderr.on('data', (d) => { log += d; });
// a request the server leaves hanging counts as an empty answer after 10 s,
// so the edit's own 60 s limit still applies (on 2026-11-24 one to hugo
// server, after a theme edit at 10k items, never ended and held the whole
// harness for over 20 minutes)
const get = (p) => new Promise((res) => {
  const r = http.get(`http://127.0.0.1:${port}${p}`, (x) => { let b = ''; x.on('data', (d) => b += d); x.on('end', () => res(b)); x.on('error', () => res('')); });
  r.setTimeout(10000, () => r.destroy(new Error('timed out')));
  r.on('error', () => res(''));
});
const start = Date.now();
const files = fs.readdirSync(dir + '/content/stories').filter((f) => f.endsWith('.md')).slice(0, +n);
const slug0 = files[0].replace(/\.md$/, '');
while (!(await get(`/stories/${slug0}/`)).includes('</html>')) await new Promise((r) => setTimeout(r, 200));
console.log(`${mode}: ready after ${((Date.now() - start) / 1000).toFixed(1)} s`);
await new Promise((r) => setTimeout(r, 2000));
const edit = process.env.EDIT || (process.env.TITLE ? 'title' : 'body');
const times = [];
for (const [i, f] of files.entries()) {
  const p = `${dir}/content/stories/${f}`;
  const src = fs.readFileSync(p, 'utf8');
  const [edited, mark] = change(src, i, edit, mode);
  const slug = f.replace(/\.md$/, '');
  const t0 = performance.now();
  fs.writeFileSync(p, edited);
  for (;;) {
    const page = await get(`/stories/${slug}/`);
    if (page.includes(mark)) break;
    if (performance.now() - t0 > 60000) { console.log('timeout', slug); break; }
    await new Promise((r) => setTimeout(r, 5));
  }
  times.push(performance.now() - t0);
  fs.writeFileSync(p, src);
  await new Promise((r) => setTimeout(r, +(process.env.PAUSE || 2500)));
}
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(0);
const status = fs.readFileSync('/proc/' + srv.pid + '/status', 'utf8');
const mb = (key) => (status.match(new RegExp(key + ':\\s+(\\d+)'))[1] / 1024).toFixed(0);
console.log(`${mode} ${edit}: n=${times.length} p50=${q(0.5)} ms p95=${q(0.95)} ms max=${times[times.length - 1].toFixed(0)} ms, peak RSS ${mb('VmHWM')} MB, ${mb('VmRSS')} MB at the end`);
if (process.env.LOG) fs.writeFileSync(process.env.LOG, log); // the server's own account
srv.kill('SIGINT');
