// The entry of codemirror.js, the editor component of the browser editor
// (README.md beside this file says how it is built). It bundles the parts
// of CodeMirror 6 that edit.js uses and puts them on one global,
// window.otpressCodeMirror: the view, undo and redo, line numbers, line
// wrapping and Markdown highlighting, nothing else.
import { EditorState, StateField, StateEffect, RangeSet } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, gutter, GutterMarker, Decoration } from '@codemirror/view';
import { history, defaultKeymap, historyKeymap } from '@codemirror/commands';
import { Language, defineLanguageFacet, languageDataProp, syntaxHighlighting } from '@codemirror/language';
import { parser, GFM } from '@lezer/markdown';
import { tagHighlighter, tags } from '@lezer/highlight';
import { StyleModule } from 'style-mod';

// CodeMirror puts its styles into the page through style-mod, which in a
// document writes them into a <style> element: the editor's
// Content-Security-Policy (no 'unsafe-inline') refuses that. A constructed
// style sheet adopted by the document is no inline markup and needs no
// nonce, so mount puts every module's rules in one such sheet instead, in
// the order style-mod keeps (a later module's rules win). edit.js uses the
// editor only where document.adoptedStyleSheets exists.
const sets = new WeakMap();
const styleTagMount = StyleModule.mount;
StyleModule.mount = function (root, modules, options) {
  const win = (root.ownerDocument || root).defaultView;
  if (!root.adoptedStyleSheets || !win || !win.CSSStyleSheet) return styleTagMount.call(this, root, modules, options);
  let set = sets.get(root);
  if (!set) sets.set(root, (set = { sheet: new win.CSSStyleSheet(), modules: [] }));
  let changed = false;
  let j = 0; // where the next module goes in set.modules
  for (const mod of Array.isArray(modules) ? modules : [modules]) {
    let i = set.modules.indexOf(mod);
    if (i > -1 && i < j) { // asked for in another order: moved
      set.modules.splice(i, 1);
      j--;
      i = -1;
    }
    if (i < 0) {
      set.modules.splice(j++, 0, mod);
      changed = true;
    } else {
      j = i + 1;
    }
  }
  if (changed) set.sheet.replaceSync(set.modules.map((m) => m.getRules()).join('\n'));
  if (!root.adoptedStyleSheets.includes(set.sheet)) root.adoptedStyleSheets = [set.sheet, ...root.adoptedStyleSheets];
};

// Citations as the site writes them, [@id] or [see @a; @b, p. 4]: a
// bracket holding an @, not a link's text.
const Citations = {
  defineNodes: [{ name: 'Citation', style: tags.special(tags.link) }],
  parseInline: [{
    name: 'Citation',
    before: 'Link',
    parse(cx, next, pos) {
      if (next !== 91 /* [ */) return -1;
      let end = pos + 1;
      while (end < cx.end && cx.char(end) !== 93 /* ] */ && cx.char(end) !== 91) end++;
      if (end >= cx.end || cx.char(end) !== 93 || cx.slice(pos, end).indexOf('@') < 0) return -1;
      const after = end + 1 < cx.end ? cx.char(end + 1) : -1;
      if (after === 40 /* ( */ || after === 91 /* [ */ || after === 58 /* : */) return -1;
      return cx.addElement(cx.elt('Citation', pos, end + 1));
    },
  }],
};

const data = defineLanguageFacet({ commentTokens: { block: { open: '<!--', close: '-->' } } });
const markdownParser = parser.configure([GFM, Citations, { props: [languageDataProp.add((type) => (type.isTop ? data : undefined))] }]);

// Markdown's parts get classes (md-heading, md-mark, …) that edit.css
// colours, for light and dark pages and forced colours alike.
const highlighter = tagHighlighter([
  { tag: tags.heading, class: 'md-heading' },
  { tag: tags.emphasis, class: 'md-emphasis' },
  { tag: tags.strong, class: 'md-strong' },
  { tag: tags.strikethrough, class: 'md-strike' },
  { tag: tags.special(tags.link), class: 'md-cite' },
  { tag: tags.link, class: 'md-link' },
  { tag: tags.url, class: 'md-url' },
  { tag: tags.monospace, class: 'md-code' },
  { tag: tags.quote, class: 'md-quote' },
  { tag: tags.comment, class: 'md-comment' },
  { tag: tags.processingInstruction, class: 'md-mark' },
  { tag: [tags.labelName, tags.string], class: 'md-label' },
  { tag: tags.contentSeparator, class: 'md-rule' },
]);

const markdown = [new Language(data, markdownParser, [], 'markdown'), syntaxHighlighting(highlighter)];

window.otpressCodeMirror = {
  EditorState, StateField, StateEffect, RangeSet,
  EditorView, keymap, lineNumbers, gutter, GutterMarker, Decoration,
  history, defaultKeymap, historyKeymap,
  markdown,
};
