// otpress outcomes table. Optional: without it the table is complete and
// ordered by story, newest first. With it, each sortable column heading
// becomes a button: pressing it sorts the rows by that column (numbers as
// numbers, dates as dates), pressing it again reverses the order, the
// heading's aria-sort says which way, and a status message says what
// happened; focus stays on the button. An address ending ?theme=SLUG (a
// theme page's link to the figures behind its summary) shows only the rows
// of stories under that theme, says so above the table, and offers a
// button to show every row again.
(function () {
  'use strict';
  var table = document.querySelector('table[data-sortable]');
  // the theme's words (js/words.js, loaded first): without them the table
  // stays as it is without scripting
  var word = window.otpressWord; // word(id, n, fields): see js/words.js
  if (!table || !table.tBodies.length || !word) return;
  var body = table.tBodies[0];
  var status = document.getElementById('evidence-status');
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var rows = Array.prototype.slice.call(body.rows);
  // each row's place in the page as built, to keep ties in that order
  rows.forEach(function (row, i) { row.setAttribute('data-order', i); });

  var orders = {
    text: ['evidence.a_to_z', 'evidence.z_to_a'],
    number: ['evidence.smallest_first', 'evidence.largest_first'],
    date: ['evidence.oldest_first', 'evidence.newest_first']
  };

  function key(row, col, type) {
    var cell = row.cells[col];
    var v = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent.trim();
    return type === 'number' ? parseFloat(v) : v;
  }

  function sort(th, col, type, descending) {
    var collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true, sensitivity: 'base' });
    var sorted = Array.prototype.slice.call(body.rows).sort(function (a, b) {
      var x = key(a, col, type), y = key(b, col, type), c;
      if (type === 'number') c = x - y;
      else if (type === 'date') c = x < y ? -1 : x > y ? 1 : 0;
      else c = collator.compare(x, y);
      if (descending) c = -c;
      return c || (+a.getAttribute('data-order') - +b.getAttribute('data-order'));
    });
    sorted.forEach(function (row) { body.appendChild(row); });
    heads.forEach(function (h) { if (h !== th) h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
    if (status) status.textContent = word('evidence.sorted', 0, { Column: th.textContent.trim(), Order: word(orders[type][descending ? 1 : 0]) });
  }

  heads.forEach(function (th, col) {
    var type = th.getAttribute('data-sort-type');
    if (!orders[type]) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort-button';
    while (th.firstChild) button.appendChild(th.firstChild);
    th.appendChild(button);
    button.addEventListener('click', function () {
      // first press: the natural order for the column (A to Z, smallest
      // or newest first); then each press reverses it
      var now = th.getAttribute('aria-sort');
      var descending = now ? now === 'ascending' : type === 'date';
      sort(th, col, type, descending);
    });
  });

  // ?theme=SLUG: the rows of that theme's stories (and of its narrower
  // themes'), named by the theme's link in "Outcomes by theme"
  var slug = new URLSearchParams(location.search).get('theme');
  if (!slug || !/^[a-z0-9-]+$/.test(slug)) return;
  var name = null;
  Array.prototype.forEach.call(document.querySelectorAll('#by-theme-heading ~ ul a'), function (a) {
    if (new URL(a.href).pathname.split('/').slice(-2, -1)[0] === slug) name = a.textContent.trim();
  });
  if (!name) return;
  var shown = 0;
  rows.forEach(function (row) {
    var on = (' ' + row.getAttribute('data-themes') + ' ').indexOf(' ' + slug + ' ') >= 0;
    row.hidden = !on;
    if (on) shown++;
  });
  var caption = table.caption, whole = caption.textContent;
  caption.textContent = word('evidence.caption', 0, { Theme: name });
  var note = document.createElement('p');
  note.className = 'filter-note';
  note.appendChild(document.createTextNode(word('evidence.showing', shown, { Theme: name, Of: rows.length }) + ' '));
  var all = document.createElement('button');
  all.type = 'button';
  all.textContent = word('evidence.show_all');
  note.appendChild(all);
  table.before(note);
  all.addEventListener('click', function () {
    rows.forEach(function (row) { row.hidden = false; });
    caption.textContent = whole;
    note.remove();
    history.replaceState(null, '', location.pathname + location.hash);
    if (status) status.textContent = word('evidence.showing_all', rows.length);
    table.setAttribute('tabindex', '-1'); // focus stays in the table, where the button was
    table.focus();
  });
})();
