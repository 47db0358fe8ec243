// A static server for the browser tests: a built site on 127.0.0.1 (a free
// port), every response under the strict Content-Security-Policy the site
// promises, folders answered by their index.html and misses by 404.html,
// byte ranges honoured.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

export const CSP = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
export const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.svg': 'image/svg+xml', '.xml': 'application/xml', '.txt': 'text/plain', '.mp3': 'audio/mpeg', '.vtt': 'text/vtt', '.json': 'application/json', '.png': 'image/png', '.jpg': 'image/jpeg' };

// siteCSP is CSP plus the img-src and media-src directives of the site's
// own _headers, which name the hosts its remote pictures and audio come
// from (an episode's audio kept on a podcast host): what a host serving
// _headers sends, and nothing laxer than the strict policy otherwise.
export function siteCSP(dir) {
  let extra = [];
  try {
    const line = fs.readFileSync(path.join(dir, '_headers'), 'utf8').split('\n').find(l => /^\s*Content-Security-Policy:/.test(l)) || '';
    extra = line.replace(/^\s*Content-Security-Policy:\s*/, '').split(';').map(d => d.trim()).filter(d => /^(img|media)-src 'self'( https?:\/\/[^\s;']+)+$/.test(d));
  } catch { /* no _headers: the strict policy alone */ }
  return [CSP, ...extra].join('; ');
}

// hostRules reads a site's _headers as static hosts do and returns, for a
// request path, the headers they would send. host says how rules that
// match one path combine: 'cloudflare' (Cloudflare Pages: every matching
// rule in order, "! Name" dropping what earlier rules set, a header set
// twice joined with ", "), 'netlify' (a later rule's header replaces an
// earlier one; "! Name" lines, having no value, are skipped) or
// 'cloudflare-no-detach' (Cloudflare without the "!" lines: what a site
// would get without them).
export function hostRules(file, host) {
  const rules = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) { rules.push({ re: pattern(line.trim()), set: [], unset: [] }); continue; }
    const rule = rules[rules.length - 1], l = line.trim();
    if (l.startsWith('!')) { if (host === 'cloudflare') rule.unset.push(l.slice(1).trim().toLowerCase()); continue; }
    const i = l.indexOf(':');
    rule.set.push([l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()]);
  }
  return (pathname) => {
    const out = new Map(), seen = new Set();
    for (const r of rules.filter((r) => r.re.test(pathname))) {
      r.unset.forEach((k) => out.delete(k));
      for (const [k, v] of r.set) {
        if (host !== 'netlify' && seen.has(k) && out.has(k)) out.set(k, out.get(k) + ', ' + v);
        else out.set(k, v);
        seen.add(k);
      }
    }
    return Object.fromEntries(out);
  };
}

// pattern is a _headers path as a regular expression: * any characters,
// :name one segment.
function pattern(p) {
  return new RegExp('^' + p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/:\w+/g, '[^/]+') + '$');
}

// serve resolves to a listening http.Server for dir, every response under
// csp: by default the strict policy with the site's remote picture and
// audio hosts (a learning system's page framing a SCORM package needs
// another); null for no policy at all; or, given a function, the headers
// it returns for the request's path (hostRules).
export function serve(dir, csp) {
  dir = path.resolve(dir);
  if (csp === undefined) csp = siteCSP(dir);
  const policy = (p) => typeof csp === 'function' ? csp(p) : csp === null ? {} : { 'content-security-policy': csp };
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let p = path.join(dir, pathname);
    if (!p.startsWith(dir)) { res.writeHead(403); res.end(); return; }
    if (p.endsWith(path.sep) || p.endsWith('/')) p = path.join(p, 'index.html');
    fs.readFile(p, (err, data) => {
      if (err) {
        fs.readFile(path.join(dir, '404.html'), (e2, nf) => { res.writeHead(404, { 'content-type': TYPES['.html'], ...policy(pathname) }); res.end(e2 ? '' : nf); });
        return;
      }
      const headers = { 'content-type': TYPES[path.extname(p)] || 'application/octet-stream', ...policy(pathname), 'accept-ranges': 'bytes' };
      // byte ranges, as every static host serves them: audio players seek with them
      const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range || '');
      if (range && (range[1] || range[2])) {
        let start = range[1] ? +range[1] : data.length - +range[2], end = range[1] && range[2] ? Math.min(+range[2], data.length - 1) : data.length - 1;
        if (start >= data.length || start > end) { res.writeHead(416, { 'content-range': `bytes */${data.length}` }); res.end(); return; }
        res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${data.length}`, 'content-length': end - start + 1 });
        res.end(data.subarray(start, end + 1));
        return;
      }
      res.writeHead(200, headers);
      res.end(data);
    });
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)));
}
