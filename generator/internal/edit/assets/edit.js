// otpress editor: the forms work without this script; it adds
//  - focus on the list of problems when a save was refused;
//  - unsaved changes kept in this browser until saved or discarded, and
//    offered back when the page is opened again;
//  - a warning before leaving a page with changes not saved;
//  - buttons that write Markdown into the text (headings, lists, links,
//    citations of the site's sources);
//  - a preview of the text beside it, rendered by the editor as the build
//    renders it, with the text's problems.
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

  // write puts Markdown around the selection (or the line it is on), then
  // gives the text its focus back, with what to type next selected.
  function write(what) {
    var v = text.value, a = text.selectionStart, z = text.selectionEnd;
    var sel = v.slice(a, z);
    var lineStart = v.lastIndexOf('\n', a - 1) + 1;
    function put(from, to, insert, selA, selZ) {
      text.focus();
      text.setRangeText(insert, from, to, 'end');
      text.setSelectionRange(from + selA, from + selZ);
      text.dispatchEvent(new Event('input', { bubbles: true }));
    }
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
      case 'cite': {
        var id = form.ownerDocument.getElementById('cite-source').value;
        var c = ' [@' + id + ']';
        put(z, z, c, c.length, c.length);
        break;
      }
    }
  }

  // The preview pane: the text as the site will show it, a moment after
  // each change.
  var timer = null, asked = 0;
  function preview() {
    var n = ++asked;
    var data = new URLSearchParams();
    data.set('csrf', form.elements.csrf.value);
    data.set('body', text.value);
    fetch('/_edit/preview?file=' + encodeURIComponent(file || ''), { method: 'POST', body: data, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (res) {
        if (!res || n !== asked) return;
        live.querySelector('.live-body').innerHTML = res.html;
        var probs = live.querySelector('.live-problems');
        probs.textContent = '';
        if (res.problems.length) {
          var ul = document.createElement('ul');
          res.problems.forEach(function (p) { var li = document.createElement('li'); li.textContent = p; ul.appendChild(li); });
          probs.appendChild(ul);
        }
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
