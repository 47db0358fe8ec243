// otpress preview: added by "generator serve" to every page it serves, never
// to a built site. It listens for rebuilds on an event stream and
//  - shows the new version of the page after a rebuild that changed it, in
//    place (or by reloading it, for pages with scripts of their own),
//    keeping the scroll position;
//  - swaps the stylesheets when only CSS changed, without reloading;
//  - with serve --navigate, goes to the page of the file just saved;
//  - shows the build's problems over the page when a rebuild fails (the
//    page itself is the last good version), and removes them when fixed.
(function () {
  'use strict';
  var PREFIX = '/_otpress/';
  var KEY = 'otpress-scroll:' + location.pathname;
  var saved = sessionStorage.getItem(KEY);
  if (saved !== null) {
    sessionStorage.removeItem(KEY);
    var xy = saved.split(',');
    window.addEventListener('load', function () { window.scrollTo(+xy[0], +xy[1]); });
  }

  var overlay = null;
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function stylesheet() {
    if (document.querySelector('link[data-otpress-live]')) return;
    var l = el('link');
    l.rel = 'stylesheet';
    l.href = PREFIX + 'live.css';
    l.setAttribute('data-otpress-live', '');
    document.head.appendChild(l);
  }
  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function show(problems) {
    hide();
    stylesheet();
    overlay = el('section', 'otpress-overlay');
    overlay.setAttribute('role', 'alert');
    overlay.setAttribute('aria-labelledby', 'otpress-overlay-heading');
    overlay.tabIndex = 0; // it scrolls when the list is long: reachable by keyboard
    var h = el('h2', null, 'The site could not be rebuilt');
    h.id = 'otpress-overlay-heading';
    overlay.appendChild(h);
    overlay.appendChild(el('p', null, 'This page is the last version that built. Fix the ' + (problems.length === 1 ? 'problem' : problems.length + ' problems') + ' below and save: this message goes away by itself.'));
    var list = el('ol');
    problems.forEach(function (p) {
      var li = el('li');
      var head = el('p');
      head.appendChild(el('strong', null, p.position));
      head.appendChild(document.createTextNode(': ' + (p.severity === 'warning' ? 'warning: ' : '') + p.message));
      li.appendChild(head);
      if (p.source && p.source.length) {
        var pre = el('pre');
        pre.tabIndex = 0; // long lines scroll sideways: reachable by keyboard
        pre.setAttribute('aria-label', 'Lines ' + p.first + ' to ' + (p.first + p.source.length - 1) + ' of the file');
        p.source.forEach(function (line, i) {
          var n = p.first + i;
          var row = el(n === p.line ? 'mark' : 'span', null, String(n).padStart(5) + ' | ' + line);
          pre.appendChild(row);
        });
        li.appendChild(pre);
      }
      if (p.hint) li.appendChild(el('p', null, 'Fix: ' + p.hint));
      list.appendChild(li);
    });
    overlay.appendChild(list);
    var close = el('button', null, 'Hide this message');
    close.type = 'button';
    close.addEventListener('click', hide);
    overlay.appendChild(close);
    document.body.insertBefore(overlay, document.body.firstChild);
  }

  var events = new EventSource(PREFIX + 'events');
  // after a rebuild: {"all": true}, or the pages rewritten, {"pages": ["/stories/denis/"]}
  events.addEventListener('reload', function (e) {
    var what = JSON.parse(e.data);
    var here = location.pathname.replace(/index\.html$/, '');
    if (!what.all && (what.pages || []).indexOf(here) < 0) { hide(); return; } // this page did not change
    swap().catch(reload);
  });
  function reload() {
    sessionStorage.setItem(KEY, window.scrollX + ',' + window.scrollY);
    location.reload();
  }
  // swap puts the new version of the page in place without reloading it:
  // its stylesheets, scripts and this event stream stay, so the change
  // shows at once and the reader stays where they were. Pages with scripts
  // of their own (search, episodes) reload instead, so the scripts start
  // afresh on the new page; a script marked data-rerun (the learning packs
  // script, which only adds buttons to the body) runs again on the new
  // body instead.
  var OWN = 'script[src]:not([src^="' + PREFIX + '"]):not([data-rerun])';
  function rerun() {
    document.querySelectorAll('script[data-rerun]').forEach(function (old) {
      var s = document.createElement('script');
      Array.prototype.forEach.call(old.attributes, function (a) { s.setAttribute(a.name, a.value); });
      s.async = false;
      old.replaceWith(s);
    });
  }
  function swap() {
    if (document.querySelector(OWN)) return Promise.reject(new Error('scripts'));
    return fetch(location.href, { cache: 'no-store' }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, 'text/html');
      if (!doc.body || doc.querySelector(OWN)) throw new Error('scripts');
      var x = window.scrollX, y = window.scrollY;
      overlay = null;
      document.title = doc.title;
      document.body.replaceWith(document.adoptNode(doc.body));
      rerun();
      window.scrollTo(x, y);
    });
  }
  // serve --navigate: the page of the file just saved, {"page": "/stories/denis/"}
  events.addEventListener('navigate', function (e) {
    var to = JSON.parse(e.data).page;
    if (location.pathname.replace(/index\.html$/, '') !== to) location.assign(to);
  });
  events.addEventListener('css', function (e) {
    hide();
    document.querySelectorAll('link[rel="stylesheet"]:not([data-otpress-live])').forEach(function (l) {
      var u = new URL(l.href);
      u.searchParams.set('otpress', e.data);
      l.href = u.toString();
    });
  });
  events.addEventListener('problems', function (e) {
    var problems = JSON.parse(e.data);
    if (problems.length) show(problems); else hide();
  });
  events.addEventListener('ok', hide);
  window.otpressLive = events; // for tests: the stream this page listens to
})();
