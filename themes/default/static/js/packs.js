// otpress learning packs, in the browser. Optional: without it every page
// reads the same and packs still work; with it, a reader can
//   - add stories, episodes and features to a pack of their own ("Add to
//     my pack" on each item) and, on /packs/mine/, put them in order,
//     remove them, print them in full, or copy them as a pack file;
//   - mark the items of a pack as finished, and see how far they are.
// Everything is kept in this browser (localStorage) and never sent.
(function () {
  'use strict';
  var script = document.currentScript;
  var base = script.getAttribute('data-base') || '/';
  var store = null;
  try {
    store = window.localStorage;
    store.setItem('otpress:test', '1');
    store.removeItem('otpress:test');
  } catch (e) {
    store = null; // storage off: the page stays as it is without scripting
  }
  if (!store) return;
  // the theme's words (js/words.js, loaded first): without them the page
  // stays as it is without scripting
  var word = window.otpressWord; // word(id, n, fields): see js/words.js
  if (!word) return;
  // a site built with relative links (to open from disk) gives base as
  // "../../"; keys use the site's own address, the same from every page
  var relative = base.charAt(0) !== '/';
  var root = new URL(base, location.href).pathname;
  var MINE = 'otpress:' + root + ':mine';
  function doneKey(pack) { return 'otpress:' + root + ':done:' + pack; }

  function read(key, fallback) {
    try { var v = JSON.parse(store.getItem(key)); return v == null ? fallback : v; } catch (e) { return fallback; }
  }
  function write(key, v) {
    try { store.setItem(key, JSON.stringify(v)); return true; } catch (e) { return false; }
  }
  function mine() {
    var m = read(MINE, null);
    if (!m || !Array.isArray(m.items)) m = { title: '', items: [] };
    return m;
  }
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { e.append(c); });
    return e;
  }
  // href of a site path such as "stories/denis/"; from disk, folders need
  // their index.html
  function link(p) { return base + p + (relative && /\/$/.test(p) ? 'index.html' : ''); }

  // --- "Add to my pack" on an item's page -----------------------------------
  var tools = document.querySelector('.pack-tools[data-ref]');
  if (tools) {
    var ref = tools.getAttribute('data-ref');
    var button = tools.querySelector('.add-to-pack');
    var status = tools.querySelector('.pack-tools-status');
    var view = el('a', { href: link('packs/mine/'), class: 'view-pack' });
    button.after(' ', view);
    var has = function () { return mine().items.some(function (x) { return x.ref === ref; }); };
    var show = function () {
      var m = mine();
      button.textContent = word(has() ? 'packs.remove_from' : 'packs.add');
      view.textContent = word('packs.view', m.items.length);
    };
    button.addEventListener('click', function () {
      var m = mine();
      if (has()) {
        m.items = m.items.filter(function (x) { return x.ref !== ref; });
        write(MINE, m);
        status.textContent = word('packs.removed_from', m.items.length);
      } else {
        m.items.push({ ref: ref, title: tools.getAttribute('data-title'), kind: tools.getAttribute('data-kind') });
        write(MINE, m);
        status.textContent = word('packs.added', m.items.length);
      }
      show();
    });
    show();
    tools.hidden = false;
    // another tab changed the pack
    window.addEventListener('storage', function (e) { if (e.key === MINE) show(); });
  }

  // --- "I have finished this item" in a pack's navigation -----------------------
  document.querySelectorAll('.pack-done[data-pack]').forEach(function (p) {
    var pack = p.getAttribute('data-pack'), box = p.querySelector('input');
    var ref = tools && tools.getAttribute('data-ref');
    if (!box || !ref) return;
    box.checked = read(doneKey(pack), []).indexOf(ref) >= 0;
    box.addEventListener('change', function () {
      var done = read(doneKey(pack), []).filter(function (r) { return r !== ref; });
      if (box.checked) done.push(ref);
      write(doneKey(pack), done);
    });
    p.hidden = false;
  });

  // --- how far the reader is, on a pack's page ---------------------------------
  document.querySelectorAll('.pack-progress[data-pack]').forEach(function (sec) {
    var done = read(doneKey(sec.getAttribute('data-pack')), []);
    var items = sec.querySelectorAll('li[data-ref]'), n = 0;
    items.forEach(function (li) {
      if (done.indexOf(li.getAttribute('data-ref')) < 0) return;
      n++;
      var h = li.querySelector('h3');
      if (h) h.append(' ', el('span', { class: 'done-mark' }, [word('packs.finished')]));
    });
    var count = sec.querySelector('.pack-progress-count');
    if (count && n > 0) {
      count.textContent = word('packs.progress', items.length, { Done: n });
      count.id = count.id || 'pack-progress-count';
      count.append(el('progress', { max: items.length, value: n, 'aria-labelledby': count.id }, []));
      count.hidden = false;
      // the way in: the first item not yet finished, or back to the start
      var start = document.querySelector('.pack-actions .button');
      var next = null, at = 0;
      items.forEach(function (li, i) { if (!next && done.indexOf(li.getAttribute('data-ref')) < 0) { next = li; at = i + 1; } });
      if (start && next) {
        var a = next.querySelector('h3 a');
        start.setAttribute('href', a.getAttribute('href'));
        start.textContent = word('packs.continue', 0, { N: at, Title: a.textContent });
      } else if (start) {
        start.textContent = word('packs.start_again');
      }
    }
  });

  // --- /packs/mine/ ----------------------------------------------------------------
  var box = document.getElementById('mine');
  if (!box) return;
  var needsJS = document.getElementById('mine-needs-js');
  var list = document.getElementById('mine-list');
  var empty = document.getElementById('mine-empty');
  var status2 = document.getElementById('mine-status');
  var title = document.getElementById('mine-title');
  var heading = document.getElementById('mine-items-heading');
  var fileArea = document.getElementById('mine-file');
  var printView = document.getElementById('mine-print-view');
  if (needsJS) needsJS.hidden = true;
  box.hidden = false;

  function button(label, what, action, i, off) {
    var b = el('button', { type: 'button', class: action === 'remove' ? 'danger' : 'secondary', 'data-action': action, 'data-index': String(i) }, [label, el('span', { class: 'visually-hidden' }, [': ' + what])]);
    if (off) b.setAttribute('aria-disabled', 'true');
    return b;
  }
  // render draws the list; focus, when given, is [action, index] of the
  // button to focus afterwards, so keyboard users stay where they were
  function render(focus) {
    var m = mine();
    list.replaceChildren();
    m.items.forEach(function (x, i) {
      var what = x.title;
      list.append(el('li', {}, [
        el('a', { href: link(x.ref + '/') }, [x.title]), ' ',
        el('span', { class: 'meta' }, [x.kind || '']),
        el('span', { class: 'mine-buttons' }, [
          button(word('packs.move_up'), what, 'up', i, i === 0),
          button(word('packs.move_down'), what, 'down', i, i === m.items.length - 1),
          button(word('packs.remove'), what, 'remove', i, false)
        ])
      ]));
    });
    empty.hidden = m.items.length > 0;
    list.hidden = m.items.length === 0;
    fileArea.value = packFile(m);
    if (focus) {
      var b = list.querySelector('button[data-action="' + focus[0] + '"][data-index="' + focus[1] + '"]');
      if (b) b.focus(); else heading.focus();
    }
  }
  list.addEventListener('click', function (e) {
    var b = e.target.closest('button[data-action]');
    if (!b || b.getAttribute('aria-disabled') === 'true') return;
    var m = mine(), i = +b.getAttribute('data-index'), action = b.getAttribute('data-action'), x = m.items[i];
    if (!x) return;
    if (action === 'remove') {
      m.items.splice(i, 1);
      write(MINE, m);
      status2.textContent = word('packs.removed', m.items.length, { Title: x.title });
      render(m.items.length ? ['remove', Math.min(i, m.items.length - 1)] : ['none', -1]);
      return;
    }
    var j = action === 'up' ? i - 1 : i + 1;
    m.items.splice(i, 1);
    m.items.splice(j, 0, x);
    write(MINE, m);
    status2.textContent = word('packs.moved', 0, { Title: x.title, N: j + 1, Of: m.items.length });
    // keep focus on the same button of the moved item, or on its other
    // move button when it has reached the end
    var at = (action === 'up' && j === 0) || (action === 'down' && j === m.items.length - 1) ? (action === 'up' ? 'down' : 'up') : action;
    render([at, j]);
  });
  title.value = mine().title || '';
  title.addEventListener('input', function () {
    var m = mine();
    m.title = title.value;
    write(MINE, m);
    fileArea.value = packFile(m);
  });
  window.addEventListener('storage', function (e) { if (e.key === MINE) render(null); });

  // packFile is the pack as a file for content/packs/, every field a
  // training lead fills in present and empty.
  function quote(s) { return '"' + String(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\r\n\t]+/g, ' ') + '"'; }
  function packFile(m) {
    var lines = ['---', 'title: ' + quote(m.title || word('packs.my_pack')), 'summary: ""', 'audience: ""', 'outcomes: []', 'items:'];
    m.items.forEach(function (x) {
      lines.push('  - ref: ' + x.ref, '    note: ""', '    questions: []');
    });
    if (!m.items.length) lines[lines.length - 1] = 'items: []';
    lines.push('questions: []', '---', '');
    return lines.join('\n');
  }
  document.getElementById('mine-copy').addEventListener('click', function () {
    var text = fileArea.value;
    var copied = function () { status2.textContent = word('packs.copied', mine().items.length); };
    var select = function () {
      fileArea.focus();
      fileArea.select();
      status2.textContent = word('packs.selected');
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(copied, select);
    else select();
  });

  // --- printing the pack in full -------------------------------------------------
  // Each item's page is fetched and its article shown here, headings two
  // levels down (under "Your pack in full") and ids prefixed so they stay unique; then the browser's
  // print dialogue opens.
  function demote(root) {
    root.querySelectorAll('h1, h2, h3, h4, h5').forEach(function (h) {
      var n = el('h' + Math.min(6, +h.tagName.charAt(1) + 2), {});
      Array.prototype.forEach.call(h.attributes, function (a) { n.setAttribute(a.name, a.value); });
      n.append.apply(n, Array.prototype.slice.call(h.childNodes));
      h.replaceWith(n);
    });
  }
  function prefix(root, p) {
    root.querySelectorAll('[id]').forEach(function (e) { e.id = p + e.id; });
    ['aria-labelledby', 'aria-describedby', 'for'].forEach(function (attr) {
      root.querySelectorAll('[' + attr + ']').forEach(function (e) {
        e.setAttribute(attr, e.getAttribute(attr).split(/\s+/).map(function (v) { return p + v; }).join(' '));
      });
    });
    root.querySelectorAll('a[href^="#"]').forEach(function (a) { a.setAttribute('href', '#' + p + a.getAttribute('href').slice(1)); });
  }
  document.getElementById('mine-print').addEventListener('click', async function () {
    var m = mine();
    if (!m.items.length) { status2.textContent = word('packs.print_empty'); return; }
    status2.textContent = word('packs.print_getting', m.items.length);
    var parts = await Promise.all(m.items.map(function (x, i) {
      return fetch(link(x.ref + '/')).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.text();
      }).then(function (html) {
        var art = new DOMParser().parseFromString(html, 'text/html').querySelector('article');
        if (!art) throw new Error('no article');
        art.querySelectorAll('.pack-tools, .pack-nav, .related, .contents, .player, .downloads, #listen-heading, .follow-box, script').forEach(function (e) { e.remove(); });
        // every item has its "Sources" and "Themes": as named regions they
        // would repeat; here they are plain parts of the item
        art.querySelectorAll('section[aria-labelledby], section[aria-label]').forEach(function (e) { e.removeAttribute('aria-labelledby'); e.removeAttribute('aria-label'); });
        demote(art);
        prefix(art, 'm' + (i + 1) + '-');
        return art;
      }).catch(function () {
        // the address where the words put {{.Link}} (at the end when they have none)
        var online = word('packs.read_online', 0, { Link: '\u0000' }).split('\u0000');
        var at = el('a', { href: link(x.ref + '/') }, [new URL(link(x.ref + '/'), location.href).href]);
        return el('article', {}, [el('h3', {}, [x.title]), el('p', {}, [online[0], at, online.slice(1).join('')])]);
      });
    }));
    printView.replaceChildren(el('h2', { id: 'mine-print-heading' }, [word('packs.in_full', 0, { Title: m.title || word('packs.my_pack') })]));
    parts.forEach(function (a) { printView.append(el('section', { class: 'mine-print-item' }, [a])); });
    printView.hidden = false;
    status2.textContent = word('packs.print_ready');
    window.print();
  });
  render(null);
})();
