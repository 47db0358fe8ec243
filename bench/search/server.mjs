// A small static file server for the search benchmark, run as its own
// process so that serving does not compete with the Playwright driver:
//
//	node server.mjs ROOT [DELAY]   prints "listening PORT" once it is ready
//
// It serves ROOT on 127.0.0.1 (any free port) the way an ordinary host
// would: text responses (HTML, CSS, JavaScript, JSON, SVG, XML) gzipped at
// the default level when the request accepts gzip, everything else as it is
// on disk. Pagefind's index files (.pf_meta, .pf_index, .pf_fragment and
// the .pagefind WebAssembly) are gzip-compressed already, so they go out
// unchanged as application/octet-stream, which is what Pagefind expects.
// Compressed bodies are kept in memory, as a CDN would cache them, so the
// compression itself is never timed.
//
// With DELAY (milliseconds), every response waits that long before it is
// sent: a stand-in for a network round trip, the same for every request
// whether a page or a worker makes it.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { TEXT_TYPES as TEXT } from './common.mjs';

const OTHER = { '.wasm': 'application/wasm', '.png': 'image/png', '.jpg': 'image/jpeg', '.mp3': 'audio/mpeg' };

const root = path.resolve(process.argv[2] || '.');
const delay = Number(process.argv[3] || 0);
const gzipped = new Map(); // file → gzipped body

function send(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

const server = http.createServer((req, res) => {
  let file;
  try {
    file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  } catch {
    return send(res, 400, 'bad request');
  }
  if (file !== root && !file.startsWith(root + path.sep)) return send(res, 403, 'forbidden');
  fs.stat(file, (err, st) => {
    if (!err && st.isDirectory()) {
      if (!req.url.split('?')[0].endsWith('/')) {
        res.writeHead(301, { Location: req.url.replace(/(\?|$)/, '/$1') });
        return res.end();
      }
      file = path.join(file, 'index.html');
    }
    fs.readFile(file, (err, body) => {
      if (err) return send(res, 404, 'not found');
      const ext = path.extname(file).toLowerCase();
      const headers = { 'Cache-Control': 'no-cache', 'Content-Type': TEXT[ext] || OTHER[ext] || 'application/octet-stream' };
      if (TEXT[ext]) {
        headers.Vary = 'Accept-Encoding';
        if (/\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
          if (!gzipped.has(file)) gzipped.set(file, zlib.gzipSync(body));
          body = gzipped.get(file);
          headers['Content-Encoding'] = 'gzip';
        }
      }
      headers['Content-Length'] = body.length;
      setTimeout(() => {
        res.writeHead(200, headers);
        res.end(req.method === 'HEAD' ? undefined : body);
      }, delay);
    });
  });
});

server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
