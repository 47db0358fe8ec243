// What the benchmark's server sends compressed, shared by server.mjs (which
// serves) and measure.mjs (which adds up index sizes "as served").
import path from 'node:path';

// Content types of the files a host would gzip. Everything else, including
// Pagefind's already-compressed index files, is served as it is.
export const TEXT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
};

export const isText = (file) => Object.hasOwn(TEXT_TYPES, path.extname(file).toLowerCase());
