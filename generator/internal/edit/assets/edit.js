// otpress editor: the forms work without this script; it adds
//  - focus on the list of problems when a save was refused;
//  - unsaved changes kept in this browser until saved or discarded, and
//    offered back when the page is opened again;
//  - a warning before leaving a page with changes not saved;
//  - the text in a Markdown editor (CodeMirror 6, when vendor/codemirror.js
//    has loaded), the lines with problems marked, or in the plain text box
//    if the editor chose that;
//  - buttons that write Markdown into the text (headings, lists, links,
//    citations of the site's sources);
//  - a preview of the text beside it, rendered by the editor as the build
//    renders it, with the text's problems, each a link to its line.
(function () {
  'use strict';
  var summary = document.querySelector('.error-summary');
  if (summary && !document.querySelector('[autofocus]')) summary.focus();

  var form = document.querySelector('form.page-form');
  if (!form) return;
  var file = form.getAttribute('data-file');
  var key = 'otpress-edit:' + (file || 'new:' + form.getAttribute('data-kind'));
  var skip = { csrf: true, base: true, op: true };

  function entries(f) {
    var out = [];
    new FormData(f).forEach(function (v, k) { if (!skip[k] && typeof v === 'string') out.push([k, v]); });
    return out;
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  function load() {
    try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; }
  }
  function forget() { try { localStorage.removeItem(key); } catch (e) { /* storage off: nothing kept */ } }

  if (document.querySelector('.banner.saved')) {
    forget();
    try { localStorage.removeItem('otpress-edit:new:' + form.getAttribute('data-kind')); } catch (e) { /* nothing kept */ }
  }
  var start = entries(form);
  var kept = load();
  var submitting = false;

  if (kept && kept.entries && !same(kept.entries, start)) offer(kept);

  function offer(k) {
    var box = document.createElement('div');
    box.className = 'restore';
    box.setAttribute('role', 'region');
    box.setAttribute('aria-labelledby', 'restore-heading');
    var h = document.createElement('h2');
    h.id = 'restore-heading';
    h.textContent = 'You have changes that were not saved';
    var p = document.createElement('p');
    var when = new Date(k.time);
    p.textContent = 'This browser kept what you typed on ' + when.toLocaleString() + '. Bring it back into the form, or throw it away.';
    var yes = document.createElement('button');
    yes.type = 'button';
    yes.textContent = 'Bring back my changes';
    var no = document.createElement('button');
    no.type = 'button';
    no.className = 'secondary';
    no.textContent = 'Throw them away';
    box.append(h, p, yes, no);
    form.parentNode.insertBefore(box, form);
    yes.addEventListener('click', function () { restore(k); });
    no.addEventListener('click', function () {
      forget();
      box.remove();
      form.querySelector('button[value=save]').focus();
    });
  }

  // The page is made again from the kept entries by the editor itself, so
  // lists and rows come back with as many entries as they had.
  function restore(k) {
    var f = document.createElement('form');
    f.method = 'post';
    f.action = form.action || location.href;
    f.hidden = true;
    var all = k.entries.concat([['csrf', form.elements.csrf.value], ['base', k.base || ''], ['op', 'restore']]);
    all.forEach(function (e) {
      var i = document.createElement('input');
      i.type = 'hidden';
      i.name = e[0];
      i.value = e[1];
      f.appendChild(i);
    });
    document.body.appendChild(f);
    submitting = true;
    f.submit();
  }

  function keep() {
    var now = entries(form);
    if (same(now, start)) return;
    try {
      localStorage.setItem(key, JSON.stringify({ base: form.elements.base.value, time: Date.now(), entries: now }));
    } catch (e) { /* storage full or off: the form still works */ }
  }
  var text = form.querySelector('#f-body');
  var tools = form.querySelector('.toolbar');
  var live = form.querySelector('.live');
  if (text && tools) {
    tools.hidden = false;
    tools.addEventListener('click', function (ev) {
      var b = ev.target.closest('button[data-md]');
      if (b) write(b.getAttribute('data-md'));
    });
  }

  // The text box the toolbar writes into and the problems' links lead to:
  // the textarea, or the Markdown editor when it is shown (cm, below).
  var plain = {
    get: function () { return { v: text.value, a: text.selectionStart, z: text.selectionEnd }; },
    put: function (from, to, insert, selA, selZ) {
      text.focus();
      text.setRangeText(insert, from, to, 'end');
      text.setSelectionRange(selA, selZ);
      text.dispatchEvent(new Event('input', { bubbles: true }));
    },
    toLine: function (n) {
      var v = text.value, at = 0;
      for (var i = 1; i < n; i++) {
        var nl = v.indexOf('\n', at);
        if (nl < 0) break;
        at = nl + 1;
      }
      text.focus();
      text.setSelectionRange(at, at);
    }
  };
  var box = plain;

  // write puts Markdown around the selection (or the line it is on), then
  // gives the text its focus back, with what to type next selected.
  function write(what) {
    var cur = box.get(), v = cur.v, a = cur.a, z = cur.z;
    var sel = v.slice(a, z);
    var lineStart = v.lastIndexOf('\n', a - 1) + 1;
    function put(from, to, insert, selA, selZ) { box.put(from, to, insert, from + selA, from + selZ); }
    function lines(prefix) { // each selected line, or the current one
      var end = v.indexOf('\n', z);
      if (end < 0) end = v.length;
      var block = v.slice(lineStart, end).split('\n').map(function (l, i) {
        return (typeof prefix === 'function' ? prefix(i) : prefix) + l.replace(/^(#+ |[-*] |\d+\. )/, '');
      }).join('\n');
      put(lineStart, end, block, block.length, block.length);
    }
    switch (what) {
      case 'heading': lines('## '); break;
      case 'list': lines('- '); break;
      case 'numbered': lines(function (i) { return (i + 1) + '. '; }); break;
      case 'bold': put(a, z, '**' + (sel || 'bold text') + '**', 2, 2 + (sel || 'bold text').length); break;
      case 'link': {
        var words = sel || 'link text';
        var ins = '[' + words + '](https://)';
        put(a, z, ins, words.length + 3, ins.length - 1); // the address selected, to type over
        break;
      }
      case 'picture': { // a picture is sent with the form: its fields, opened
        var d = form.querySelector('details.add-picture');
        d.open = true;
        (d.querySelector('input[type=file]') || d.querySelector('#f-body-alt')).focus();
        break;
      }
      case 'cite': {
        var id = form.ownerDocument.getElementById('cite-source').value;
        var c = ' [@' + id + ']';
        put(z, z, c, c.length, c.length);
        break;
      }
    }
  }

  // A link to a line of the text ("Line 3 of the text: …", in the list of
  // problems, at the text, or under the preview) puts the cursor at the
  // start of that line, in whichever text box is shown.
  document.addEventListener('click', function (ev) {
    var a = ev.target.closest('a[href="#f-body"]');
    if (!a || !text) return;
    ev.preventDefault();
    box.toLine(Number(a.getAttribute('data-line')) || 1);
  });

  // The Markdown editor (CodeMirror 6, vendor/codemirror.js): line
  // numbers, Markdown's parts coloured, undo and redo, the lines with
  // problems marked. The textarea stays in the form, hidden, and is kept
  // the same as the editor on every change: saving, the changes kept in
  // this browser and the preview read it as before. "Use a plain text
  // box" puts the textarea back (some screen reader users prefer it); the
  // choice is remembered.
  var CM = window.otpressCodeMirror;
  var cm = null;
  var choiceKey = 'otpress-edit:text-box';
  var lastProblems = null; // the preview's last answer: [{line, text}] and the text it was for
  if (text && CM && document.adoptedStyleSheets) setUpEditor();

  function setUpEditor() {
    var wrap = document.createElement('div');
    wrap.className = 'md-editor';
    wrap.hidden = true;
    var status = document.createElement('p'); // the problem of the line the cursor is on
    status.className = 'line-problem';
    status.setAttribute('aria-live', 'polite');
    var choice = document.createElement('p');
    choice.className = 'text-box-choice';
    var toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'small secondary';
    var said = document.createElement('span'); // says which box is shown, once pressed
    said.className = 'vh';
    said.setAttribute('role', 'status');
    choice.append(toggle, said);
    (tools || text).parentNode.insertBefore(choice, tools ? tools.nextSibling : text);
    text.parentNode.insertBefore(wrap, text);

    var setProblems = CM.StateEffect.define();
    var problems = CM.StateField.define({
      create: function () { return { items: [], deco: CM.Decoration.none }; },
      update: function (val, tr) {
        var items = val.items;
        for (var i = 0; i < tr.effects.length; i++) {
          if (tr.effects[i].is(setProblems)) return place(tr.state.doc, tr.effects[i].value);
        }
        if (!tr.docChanged) return val;
        // until the next answer, each problem follows its line's text
        return place(tr.state.doc, items.map(function (p) { return { pos: tr.changes.mapPos(p.pos, -1), texts: p.texts }; }));
      },
      provide: function (f) { return CM.EditorView.decorations.from(f, function (v) { return v.deco; }); }
    });
    // place puts problems ({pos or line, texts}) at the start of their
    // lines, one entry a line, and makes each such line's class.
    function place(doc, list) {
      var byLine = {};
      list.forEach(function (p) {
        var line = p.line ? doc.line(Math.min(Math.max(p.line, 1), doc.lines)) : doc.lineAt(Math.min(p.pos, doc.length));
        var e = byLine[line.from] || (byLine[line.from] = { pos: line.from, texts: [] });
        p.texts.forEach(function (t) { if (e.texts.indexOf(t) < 0) e.texts.push(t); });
      });
      var items = Object.keys(byLine).map(function (k) { return byLine[k]; }).sort(function (a, b) { return a.pos - b.pos; });
      var deco = CM.Decoration.set(items.map(function (p) {
        return CM.Decoration.line({ class: 'cm-problem-line' }).range(p.pos);
      }));
      return { items: items, deco: deco };
    }
    function problemsAt(state, pos) {
      var items = state.field(problems).items;
      for (var i = 0; i < items.length; i++) if (items[i].pos === pos) return items[i].texts;
      return null;
    }

    // A mark in the gutter beside each line with a problem, its text in
    // the title for a pointer; the keyboard's way to it is the line
    // itself (the problem is said under the editor) or the links above.
    class Mark extends CM.GutterMarker {
      constructor(texts) { super(); this.texts = texts; }
      eq(other) { return other.texts.join('\n') === this.texts.join('\n'); }
      toDOM() {
        var m = document.createElement('span');
        m.className = 'cm-problem-mark';
        m.textContent = '!';
        m.title = this.texts.join('\n');
        return m;
      }
    }
    var gutter = CM.gutter({
      class: 'cm-problem-gutter',
      lineMarker: function (view, line) {
        var t = problemsAt(view.state, line.from);
        return t ? new Mark(t) : null;
      },
      lineMarkerChange: function (u) { return u.startState.field(problems) !== u.state.field(problems); },
      initialSpacer: function () { return new Mark(['']); }
    });

    var syncing = false;
    var view = new CM.EditorView({
      parent: wrap,
      state: CM.EditorState.create({
        doc: text.value,
        extensions: [
          CM.lineNumbers(), gutter, problems,
          CM.history(), CM.keymap.of(CM.defaultKeymap.concat(CM.historyKeymap)), // no Tab: Tab leaves the editor
          CM.EditorView.lineWrapping, CM.markdown,
          CM.EditorView.contentAttributes.of({
            'aria-labelledby': 'l-body',
            'aria-describedby': text.getAttribute('aria-describedby') || 'h-body',
            spellcheck: 'true', autocorrect: 'on', autocapitalize: 'sentences',
            tabindex: '0' // focusable as it was; said outright, so checkers see the scrolled text can be reached
          }),
          CM.EditorView.updateListener.of(function (u) {
            if (u.docChanged && !syncing) {
              text.value = u.state.doc.toString();
              text.dispatchEvent(new Event('input', { bubbles: true })); // the preview, the changes kept
            }
            if (u.docChanged || u.selectionSet || u.focusChanged || u.startState.field(problems) !== u.state.field(problems)) say();
          })
        ]
      })
    });
    // say puts the problems of the cursor's line under the editor, where
    // a screen reader hears them as the cursor reaches the line.
    function say() {
      var st = view.state, line = st.doc.lineAt(st.selection.main.head);
      var t = view.hasFocus && problemsAt(st, line.from);
      var msg = t ? t.join(' ') : ''; // each says its line
      if (status.textContent !== msg) status.textContent = msg;
    }
    wrap.appendChild(status);

    cm = {
      get: function () {
        var s = view.state.selection.main;
        return { v: view.state.doc.toString(), a: s.from, z: s.to };
      },
      put: function (from, to, insert, selA, selZ) {
        view.dispatch({ changes: { from: from, to: to, insert: insert }, selection: { anchor: selA, head: selZ }, scrollIntoView: true, userEvent: 'input' });
        view.focus();
      },
      toLine: function (n) {
        var doc = view.state.doc, line = doc.line(Math.min(Math.max(n, 1), doc.lines));
        view.dispatch({ selection: { anchor: line.from }, effects: CM.EditorView.scrollIntoView(line.from, { y: 'center' }) });
        view.focus();
      },
      // mark shows the problems of one answer of the preview, or of the
      // page as the editor sent it while the text is as it was
      mark: function (list) {
        view.dispatch({ effects: setProblems.of(list.map(function (p) { return { line: p.line, texts: [p.text] }; })) });
      }
    };
    // The problems the editor found when the page was made, until the
    // text changes.
    var first = [];
    document.querySelectorAll('#e-body a[data-line]').forEach(function (a) {
      first.push({ line: Number(a.getAttribute('data-line')), text: a.textContent });
    });
    var firstText = text.value;
    cm.mark(first);
    cm.markPreview = function (res, sent) {
      lastProblems = { list: res, text: sent };
      if (box !== cm || sent !== text.value) return; // typed since: a newer answer comes
      cm.mark(sent === firstText ? first.concat(res) : res);
    };

    // the label, clicked, focuses the editor as it would the textarea
    form.querySelector('#l-body').addEventListener('click', function (ev) {
      if (box !== cm) return;
      ev.preventDefault();
      view.focus();
    });

    // show puts the Markdown editor or the plain text box on the page.
    function show(useEditor, announce) {
      box = useEditor ? cm : plain;
      if (useEditor) {
        var v = text.value;
        if (v !== view.state.doc.toString()) { // typed in the textarea meanwhile
          syncing = true;
          view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: v } });
          syncing = false;
        }
        // the marks of the text as it is now
        if (lastProblems && lastProblems.text === v) cm.markPreview(lastProblems.list, v);
        else cm.mark(v === firstText ? first : []);
      }
      wrap.hidden = !useEditor;
      text.hidden = useEditor;
      toggle.textContent = useEditor ? 'Use a plain text box' : 'Use the Markdown editor';
      if (announce) said.textContent = useEditor ? 'The Markdown editor is shown.' : 'A plain text box is shown.';
      if (useEditor) view.requestMeasure();
    }
    toggle.addEventListener('click', function () {
      var useEditor = box !== cm;
      try { localStorage.setItem(choiceKey, useEditor ? 'editor' : 'plain'); } catch (e) { /* not remembered */ }
      show(useEditor, true);
    });
    var chosen = null;
    try { chosen = localStorage.getItem(choiceKey); } catch (e) { /* storage off */ }
    show(chosen !== 'plain', false);
  }

  // The preview pane: the text as the site will show it, a moment after
  // each change. Its problems link to their lines, which the Markdown
  // editor marks.
  var timer = null, asked = 0;
  function preview() {
    var n = ++asked;
    var sent = text.value;
    var data = new URLSearchParams();
    data.set('csrf', form.elements.csrf.value);
    data.set('body', sent);
    fetch('/_edit/preview?file=' + encodeURIComponent(file || ''), { method: 'POST', body: data, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (res) {
        if (!res || n !== asked) return;
        live.querySelector('.live-body').innerHTML = res.html;
        var probs = live.querySelector('.live-problems');
        probs.textContent = '';
        var lines = res.lines || [];
        var marks = [];
        if (res.problems.length) {
          var ul = document.createElement('ul');
          res.problems.forEach(function (p, i) {
            var li = document.createElement('li');
            if (lines[i]) {
              var a = document.createElement('a');
              a.href = '#f-body';
              a.setAttribute('data-line', lines[i]);
              a.textContent = p;
              li.appendChild(a);
              marks.push({ line: lines[i], text: p });
            } else {
              li.textContent = p;
            }
            ul.appendChild(li);
          });
          probs.appendChild(ul);
        }
        if (cm) cm.markPreview(marks, sent);
      }).catch(function () { /* the preview is stopped: the form still saves when it is back */ });
  }
  if (text && live) {
    live.hidden = false;
    form.classList.add('with-preview');
    preview();
    text.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(preview, 300); });
  }

  form.addEventListener('input', keep);
  form.addEventListener('change', keep);
  form.addEventListener('submit', function () { keep(); submitting = true; });
  window.addEventListener('beforeunload', function (ev) {
    if (submitting || same(entries(form), start)) return;
    ev.preventDefault();
    ev.returnValue = '';
  });
})();
