// Shared by the small browser tests (episode.mjs, preview.mjs): PASS/FAIL
// lines, and axe-core run in a page with the rule sets of the a11y gate.
import { createRequire } from 'node:module';
import fs from 'node:fs';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

let failed = 0;

// check prints one PASS or FAIL line.
export function check(name, ok, detail) {
  if (ok) console.log(`PASS ${name}`);
  else { failed++; console.log(`FAIL ${name}${detail ? ` — ${detail}` : ''}`); }
  return ok;
}

// axe runs axe-core in the page and returns its violations, "rule: count".
export async function axe(page) {
  await page.evaluate(AXE);
  return page.evaluate(async (tags) => (await window.axe.run(document, { runOnly: { type: 'tag', values: tags } })).violations.map((v) => `${v.id}: ${v.nodes.length}`), TAGS);
}

// finish prints the summary line and exits 1 when any check failed.
export function finish(what) {
  console.log(failed ? `${failed} ${what} check(s) failed` : `${what}: all checks passed`);
  process.exit(failed ? 1 : 0);
}
