// SVG files that could run script, against a real build and Chromium
// (Debian's, driven by playwright-core). A battery of tricky SVGs goes into
// a site's static/svg/:
//  - every one the build refuses must be refused with its place
//    (file:line:col of the element or attribute the test names);
//  - every one it accepts is published by a second build (minified, as
//    otpress build writes it), opened directly in Chromium from a server
//    that sends NO Content-Security-Policy, clicked and hovered, and must
//    never run script (a console marker) nor make the browser ask for
//    anything from another address (a server the test watches);
//  - the refused ones, opened the same way as written, show that the
//    payloads and the watching work: the plain <script> and onload ones
//    must run there.
//
//   node svg.mjs GENERATOR_BINARY
//
// Every check prints a PASS or FAIL line; exit status 1 when any fails.
import { chromium } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import { check, finish } from './checks.mjs';
import { serve } from './serve.mjs';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const bin = path.resolve(process.argv[2]);

// the watched server: any request to it is a load the SVG should not make
const hits = [];
const watch = http.createServer((req, res) => {
  hits.push(req.url);
  res.writeHead(200, { 'content-type': req.url.endsWith('.css') ? 'text/css' : 'image/svg+xml', 'access-control-allow-origin': '*' });
  res.end(req.url.endsWith('.css') ? 'svg { background: red }' : '<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><circle r="5"/></g></svg>');
});
await new Promise((r) => watch.listen(0, '127.0.0.1', r));
const W = `http://127.0.0.1:${watch.address().port}`;

// RAN is script that says it ran, two ways: a console line and a request
const RAN = (name) => `fetch('${W}/ran/${name}');console.log('OTPRESS-SVG-RAN ${name}')`;
const OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="200" viewBox="0 0 200 200">';
const RECT = '<rect width="200" height="200" fill="#0a4a91"/>';
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

// refused: each must be refused at the place of its `at` text (its first
// occurrence in the file)
const refused = [
  ['script', `${OPEN}\n<script>${RAN('script')}</script>${RECT}</svg>`, '<script>'],
  ['script-cdata', `${OPEN}\n<script><![CDATA[ ${RAN('script-cdata')} ]]></script>${RECT}</svg>`, '<script>'],
  ['script-upper', `${OPEN}\n<SCRIPT>${RAN('script-upper')}</SCRIPT>${RECT}</svg>`, '<SCRIPT>'],
  ['script-svg-prefix', `<svg:svg xmlns:svg="http://www.w3.org/2000/svg" width="200" height="200">\n  <svg:script>${RAN('script-svg-prefix')}</svg:script><svg:rect width="200" height="200"/></svg:svg>`, '<svg:script>'],
  ['script-xhtml', `${OPEN}\n<h:script xmlns:h="http://www.w3.org/1999/xhtml">${RAN('script-xhtml')}</h:script>${RECT}</svg>`, '<h:script'],
  ['script-other-ns', `${OPEN}\n<x:script xmlns:x="urn:x">${RAN('script-other-ns')}</x:script>${RECT}</svg>`, '<x:script'],
  ['onload', `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"\n     onload="${RAN('onload')}">${RECT}</svg>`, 'onload'],
  ['onload-upper', `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" ONLOAD="${RAN('onload-upper')}">${RECT}</svg>`, 'ONLOAD'],
  ['onclick', `${OPEN}\n<rect width="200" height="200" onclick="${RAN('onclick')}"/></svg>`, 'onclick'],
  ['onmouseover', `${OPEN}\n<rect width="200" height="200" onmouseover="${RAN('onmouseover')}"/></svg>`, 'onmouseover'],
  ['onbegin', `${OPEN}${RECT}\n<animate attributeName="opacity" from="1" to="0.9" dur="0.1s" onbegin="${RAN('onbegin')}"/></svg>`, 'onbegin'],
  ['href-javascript', `${OPEN}\n<a href="javascript:${RAN('href-javascript')}">${RECT}</a></svg>`, 'href'],
  ['href-entities', `${OPEN}\n<a href="&#106;&#x61;vascript&#58;${RAN('href-entities')}">${RECT}</a></svg>`, 'href'],
  ['href-tab', `${OPEN}\n<a href="java&#9;script:${RAN('href-tab')}">${RECT}</a></svg>`, 'href'],
  ['href-case-space', `${OPEN}\n<a href="  JaVaScRiPt:${RAN('href-case-space')}">${RECT}</a></svg>`, 'href'],
  ['xlink-href', `${OPEN}\n<a xlink:href="javascript:${RAN('xlink-href')}">${RECT}</a></svg>`, 'xlink:href'],
  ['set-href', `${OPEN}\n<a href="#"><set attributeName="href" to="javascript:${RAN('set-href')}"/>${RECT}</a></svg>`, 'to='],
  ['set-xlink-href', `${OPEN}\n<a xlink:href="#"><set attributeName="xlink:href" to="javascript:${RAN('set-xlink-href')}"/>${RECT}</a></svg>`, 'to='],
  ['animate-values', `${OPEN}\n<a href="#"><animate attributeName="href" values="#;javascript:${RAN('animate-values')}" dur="0.1s" fill="freeze"/>${RECT}</a></svg>`, 'values'],
  ['set-onclick', `${OPEN}\n<rect width="200" height="200"><set attributeName="onclick" to="${RAN('set-onclick')}"/></rect></svg>`, 'attributeName'],
  ['href-data-page', `${OPEN}\n<a href="data:text/html,&lt;script&gt;${RAN('href-data-page')}&lt;/script&gt;">${RECT}</a></svg>`, 'href'],
  ['handler', `<svg xmlns="http://www.w3.org/2000/svg" xmlns:ev="http://www.w3.org/2001/xml-events" width="200" height="200">${RECT}\n<handler type="application/ecmascript" ev:event="load">${RAN('handler')}</handler></svg>`, '<handler'],
  ['foreignobject-img', `${OPEN}\n<foreignObject width="200" height="200"><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="${RAN('foreignobject-img')}"/></div></foreignObject></svg>`, '<foreignObject'],
  ['foreignobject-iframe', `${OPEN}\n<foreignObject width="200" height="200"><iframe xmlns="http://www.w3.org/1999/xhtml" src="${W}/ran/foreignobject-iframe"/></foreignObject></svg>`, '<foreignObject'],
  ['xhtml-img', `${OPEN}\n<h:img xmlns:h="http://www.w3.org/1999/xhtml" src="x" onerror="${RAN('xhtml-img')}"/></svg>`, '<h:img'],
  ['iframe', `${OPEN}${RECT}\n<iframe src="${W}/ran/iframe"/></svg>`, '<iframe'],
  ['embed', `${OPEN}${RECT}\n<embed src="${W}/ran/embed.svg" type="image/svg+xml"/></svg>`, '<embed'],
  ['use-remote', `${OPEN}\n<use href="${W}/ran/use-remote.svg#a"/></svg>`, 'href'],
  ['use-remote-slashes', `${OPEN}\n<use xlink:href="//127.0.0.1:${watch.address().port}/ran/use-remote-slashes.svg#a"/></svg>`, 'xlink:href'],
  ['image-remote', `${OPEN}\n<image href="${W}/ran/image-remote.svg" width="200" height="200"/></svg>`, 'href'],
  ['feimage-remote', `${OPEN}<filter id="f">\n<feImage href="${W}/ran/feimage-remote.svg"/></filter><rect width="200" height="200" filter="url(#f)"/></svg>`, 'href'],
  ['import', `${OPEN}\n<style>@import url(${W}/ran/import.css);</style>${RECT}</svg>`, '<style>'],
  ['import-string', `${OPEN}\n<style>@import "${W}/ran/import-string.css";</style>${RECT}</svg>`, '<style>'],
  ['css-escaped-url', `${OPEN}\n<style>svg{background-image:u\\72 l(${W}/ran/css-escaped-url.svg)}</style>${RECT}</svg>`, '<style>'],
  ['css-comment-split', `${OPEN}\n<style>svg{background-image:u<!-- -->rl(${W}/ran/css-comment-split.svg)}</style>${RECT}</svg>`, '<style>'],
  ['style-attribute', `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"\n  style="background-image:url(${W}/ran/style-attribute.svg)">${RECT}</svg>`, 'style='],
  ['cursor', `${OPEN}\n<rect width="200" height="200" cursor="url(${W}/ran/cursor.svg), auto"/></svg>`, 'cursor'],
  ['xml-stylesheet', `<?xml-stylesheet type="text/css" href="${W}/ran/xml-stylesheet.css"?>\n${OPEN}${RECT}</svg>`, '<?xml-stylesheet'],
  ['entities', `<!DOCTYPE svg [\n  <!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n${OPEN}<text y="20">&b;</text></svg>`, '<!DOCTYPE'],
  ['attlist-onload', `<!DOCTYPE svg [ <!ATTLIST svg onload CDATA "${RAN('attlist-onload')}"> ]>\n${OPEN}${RECT}</svg>`, '<!DOCTYPE'],
  ['xxe', `<!DOCTYPE svg [ <!ENTITY x SYSTEM "${W}/ran/xxe"> ]>\n${OPEN}<text y="20">&x;</text></svg>`, '<!DOCTYPE'],
  ['malformed-then-script', `${OPEN}\n<g>\n</svg><script>${RAN('malformed-then-script')}</script>`, '</svg>'],
];

// accepted: each is published and never runs script or loads from elsewhere
const accepted = [
  ['plain', `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n${OPEN}<defs><linearGradient id="g"><stop offset="0" stop-color="#0a4a91"/><stop offset="1" stop-color="#fff"/></linearGradient><path id="shape" d="M10 10h50v50z"/></defs><rect width="200" height="200" fill="url(#g)"/><use href="#shape"/></svg>`],
  ['link-out', `${OPEN}<a href="https://example.org/">${RECT}</a></svg>`],
  ['link-fragment', `${OPEN}<a href="#javascript:${RAN('link-fragment')}">${RECT}</a></svg>`],
  ['link-escaped-colon', `${OPEN}<a href="javascript%3A${RAN('link-escaped-colon')}">${RECT}</a></svg>`],
  ['link-path', `${OPEN}<a href="/javascript:${RAN('link-path')}">${RECT}</a></svg>`],
  ['text', `${OPEN}${RECT}<text y="20">javascript:${RAN('text')} &lt;script&gt;${RAN('text')}&lt;/script&gt; onload=x</text></svg>`],
  ['desc-cdata', `${OPEN}${RECT}<desc><![CDATA[<script>${RAN('desc-cdata')}</script>]]></desc><title>onload="${RAN('desc-cdata')}"</title></svg>`],
  ['data-attribute', `${OPEN}<rect width="200" height="200" data-onload="${RAN('data-attribute')}" aria-label="onclick"/></svg>`],
  ['namespace-named-on', `<svg xmlns="http://www.w3.org/2000/svg" xmlns:onload="urn:x" width="200" height="200">${RECT}<onload:x/></svg>`],
  ['not-a-script', `${OPEN}${RECT}<x:scripts xmlns:x="urn:x">${RAN('not-a-script')}</x:scripts></svg>`],
  ['css-comment', `${OPEN}<style>/* url(${W}/ran/css-comment.svg) @import "${W}/ran/css-comment.css"; */ rect { fill: #0a4a91 }</style><rect width="200" height="200"/></svg>`],
  ['css-text', `${OPEN}<style>text::after { content: "note: ${W}/ran/css-text" } rect { fill: url(#g) }</style><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient>${RECT}<text y="20">x</text></svg>`],
  ['animations', `${OPEN}<a href="#b"><set attributeName="href" to="#c"/><rect width="200" height="200"><animate attributeName="fill" values="red;blue" dur="0.2s" repeatCount="3"/></rect></a></svg>`],
  ['local-files', `${OPEN}<image href="pixel.png" width="50" height="50"/><image href="data:image/png;base64,${PNG}" x="60" width="50" height="50"/><use href="plain.svg#shape"/></svg>`],
  ['inkscape', `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<svg width="200" height="200" viewBox="0 0 200 200" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" xmlns="http://www.w3.org/2000/svg" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:cc="http://creativecommons.org/ns#"><sodipodi:namedview id="nv" inkscape:zoom="1"/><metadata><rdf:RDF><cc:Work rdf:about=""/></rdf:RDF></metadata><g inkscape:label="Layer 1" inkscape:groupmode="layer"><rect style="fill:#0a4a91;stroke:#000" width="200" height="200"/></g></svg>`],
];

// at is "line:col" of the first occurrence of text in s
function at(s, text) {
  const i = s.indexOf(text);
  const before = s.slice(0, i);
  return `${before.split('\n').length}:${i - before.lastIndexOf('\n')}`;
}

const made = []; // the sites written, removed at the end
function site(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otpress-svg-'));
  made.push(dir);
  fs.mkdirSync(path.join(dir, 'content/stories'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'static/svg'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'site.toml'), 'title = "SVG test"\nbase_url = "https://example.org/"\n');
  fs.writeFileSync(path.join(dir, 'content/stories/a.md'), '---\ntitle: A story\ndate: 2024-01-01\n---\nText.\n');
  fs.writeFileSync(path.join(dir, 'static/svg/pixel.png'), Buffer.from(PNG, 'base64'));
  for (const [name, svg] of files) fs.writeFileSync(path.join(dir, 'static/svg', name + '.svg'), svg);
  return dir;
}

// 1. everything at once: the build refuses the bad ones, each at its place
const all = site([...refused, ...accepted]);
const first = spawnSync(bin, ['build', '-s', all], { encoding: 'utf8' });
check('a build with the battery fails (exit 1)', first.status === 1, `exit ${first.status}\n${first.stderr.slice(0, 400)}`);
const reported = new Set([...first.stderr.matchAll(/^static\/svg\/([^:\n]+)\.svg:(\d+):(\d+): /gm)].map((m) => `${m[1]}:${m[2]}:${m[3]}`));
for (const [name, svg, text] of refused) {
  const want = `${name}:${at(svg, text)}`;
  check(`refused with its place: static/svg/${want} (${text})`, reported.has(want), [...reported].filter((r) => r.startsWith(name + ':')).join(' ') || 'not reported');
}
const wrongly = accepted.filter(([name]) => [...reported].some((r) => r.startsWith(name + ':')));
check(`none of the ${accepted.length} good SVGs is refused`, wrongly.length === 0, wrongly.map(([n]) => n).join(', '));

// 2. the good ones alone build, and are published
const good = site(accepted);
const second = spawnSync(bin, ['build', '-s', good], { encoding: 'utf8' });
check('the good SVGs build', second.status === 0, second.stderr.slice(0, 400));
const out = path.join(good, 'public');

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });

// open runs one SVG file directly, served with no policy, clicks and
// hovers it, and says whether any script ran or anything was loaded from
// the watched server
async function open(origin, name) {
  const ctx = await browser.newContext({ viewport: { width: 400, height: 400 } });
  const page = await ctx.newPage();
  const said = [];
  page.on('console', (m) => { if (m.text().includes('OTPRESS-SVG-RAN')) said.push(m.text()); });
  page.on('dialog', (d) => { said.push('dialog'); d.dismiss(); });
  hits.length = 0;
  try {
    await page.goto(`${origin}/svg/${name}.svg`, { timeout: 10000 });
    await page.waitForTimeout(300);
    await page.mouse.move(100, 100);
    await page.mouse.click(100, 100);
    await page.waitForTimeout(300);
  } catch { /* a link may take the page away: what ran is what counts */ }
  await ctx.close();
  return { said: [...said], hits: [...hits] };
}

try {
  const server = await serve(out, null);
  const origin = `http://127.0.0.1:${server.address().port}`;
  for (const [name] of accepted) {
    const res = await (await fetch(`${origin}/svg/${name}.svg`)).text();
    const r = await open(origin, name);
    check(`published ${name}.svg, opened with no policy, runs nothing and loads nothing from elsewhere`, res.startsWith('<') && r.said.length === 0 && r.hits.length === 0, JSON.stringify(r));
  }
  server.close();

  // 3. the controls: refused files as written, served the same way, must
  // run, which shows the payloads and the watching work. A few kinds by
  // default; SVG_CONTROLS=all opens every refused file (about a minute)
  // and lists those that run.
  const kinds = ['script', 'onload', 'onclick', 'href-javascript', 'set-href', 'image-remote', 'import'];
  const controls = process.env.SVG_CONTROLS === 'all' ? refused : refused.filter(([name]) => kinds.includes(name));
  const raw = site(controls);
  const rawServer = await serve(path.join(raw, 'static'), null);
  const rawOrigin = `http://127.0.0.1:${rawServer.address().port}`;
  const live = [];
  for (const [name] of controls) {
    const r = await open(rawOrigin, name);
    if (r.said.length || r.hits.length) live.push(name);
  }
  rawServer.close();
  console.log(`Refused files that run script or load from elsewhere in Chromium when served as written (${live.length} of ${controls.length} opened): ${live.join(', ')}`);
  const dead = controls.filter(([name]) => kinds.includes(name) && !live.includes(name)).map(([name]) => name);
  check(`the controls work: as written, ${kinds.join(', ')} run or load in Chromium`, dead.length === 0, `these did not: ${dead.join(', ')}`);
} finally {
  await browser.close();
  watch.close();
  made.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
}
finish('SVG');
