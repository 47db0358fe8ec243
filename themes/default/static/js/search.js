// otpress search client. No framework, no inline script: loaded by the
// search page with <script async>, after js/words.js (the theme's words,
// a plain script so that it runs first). The index files are scripts too
// (otpressSearch.m/s/r calls), so search works from file:// and any static
// host. The query algorithm mirrors generator/internal/search/engine.go,
// which is its reference; tests compare the two.
(function () {
  'use strict';
  var script = document.currentScript;
  var base = script.getAttribute('data-index');
  var siteBase = base.replace(/search\/data\/$/, '');
  // href links a site path from the index ("stories/denis/"): under the
  // site's base path, or relative to this page when the site was built with
  // relative links (to be opened from disk, where folders need index.html).
  var relative = base.charAt(0) !== '/';
  function href(p) {
    var cut = p.search(/[?#]/), path = cut < 0 ? p : p.slice(0, cut), rest = cut < 0 ? '' : p.slice(cut);
    if (relative && (path === '' || path.endsWith('/'))) path += 'index.html';
    return siteBase + path + rest;
  }
  var form = document.getElementById('search-form');
  var input = document.getElementById('q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var heading = document.getElementById('results-heading');
  var note = document.getElementById('search-needs-js');
  var topicBox = document.getElementById('search-topics');
  var topicList = document.getElementById('search-topic-list');
  var more = document.getElementById('search-more');
  // the theme's words (js/words.js, loaded just before this script):
  // without them the page stays as it is without scripting
  var word = window.otpressWord; // word(id, n, fields): see js/words.js
  if (!form || !input || !status || !list || !more || !topicBox || !topicList || !word) return;
  if (note) note.hidden = true;

  // The filters sit behind their summary on a phone, so the first results
  // are on its first screen, unless the address chooses some; from 48em
  // they are always open (the summary is not shown there). The summary
  // says how many are chosen.
  var filters = document.getElementById('search-filters');
  var chosen = document.getElementById('filters-chosen');
  var wide = window.matchMedia('(min-width: 48em)');
  if (filters) {
    filters.open = wide.matches || /[?&](kind|theme|year)=/.test(location.search);
    wide.addEventListener('change', function () { if (wide.matches) filters.open = true; });
  }
  function countChosen() {
    var n = form.querySelectorAll('input[type="checkbox"]:checked').length;
    if (chosen) chosen.textContent = n ? ' ' + word('search.chosen', n) : '';
  }

  // --- loading index files --------------------------------------------------
  // Each file is a script, otpressSearch.s(3,{…}), so <script src> reads
  // it from any static host and from file:// alike. (Fetching the files and
  // parsing their JSON instead measured slower in Chromium.)
  var pending = {};
  var cache = {};
  // rows that came with the shards, each stem's first results'
  // (search.Options.TopRows): a line of JSON until one is first needed
  var carried = {};
  function load(name) {
    if (cache[name]) return cache[name];
    cache[name] = new Promise(function (resolve, reject) {
      pending[name] = resolve;
      var s = document.createElement('script');
      s.src = base + name;
      s.async = true;
      s.onerror = function () { delete cache[name]; reject(new Error('could not load ' + name)); };
      document.head.appendChild(s);
    });
    return cache[name];
  }
  function arrive(name, data) { if (pending[name]) { pending[name](data); delete pending[name]; } }
  window.otpressSearch = {
    m: function (d) { arrive('m.js', d); },
    s: function (i, d) {
      if (d.t) { var lines = d.tr.split('\n'); d.t.forEach(function (doc, k) { carried[doc] = lines[k]; }); }
      arrive('s' + i + '.js', d);
    },
    r: function (i, d) { arrive('r' + i + '.js', d); },
    x: function (d) { arrive('x' + d[0] + '.js', d); } // [name, text, summary (a page's)]
  };

  // --- text, as the indexer sees it -------------------------------------------
  function fold(s) { return s.normalize('NFKD').replace(/\p{Mn}/gu, '').toLowerCase(); }
  var wordChar = /[\p{L}\p{N}]/u;
  // units splits folded text into words as the indexer does (search.Words,
  // search.Units), keeping each hyphenated word together: a unit is one
  // word, or a hyphenated word's parts and, last, the parts joined.
  function units(folded) {
    var out = [], unit = [], cur = '';
    function done() {
      if (cur) unit.push(cur);
      if (unit.length > 1) unit.push(unit.join(''));
      if (unit.length) out.push(unit);
      unit = []; cur = '';
    }
    var chars = Array.from(folded);
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (wordChar.test(c)) { cur += c; continue; }
      if (c === '-' && cur && i + 1 < chars.length && wordChar.test(chars[i + 1])) { unit.push(cur); cur = ''; continue; }
      done();
    }
    done();
    return out;
  }
  var endings = [['ingly', ''], ['ings', ''], ['ing', ''], ['ies', 'i'], ['ies', 'y'], ['ied', 'i'], ['ied', 'y'], ['edly', ''], ['ed', ''], ['es', ''], ['ly', ''], ['s', '']];
  function bases(w) {
    var out = [];
    endings.forEach(function (e) {
      if (w.endsWith(e[0]) && w.length - e[0].length >= 3) out.push(w.slice(0, w.length - e[0].length) + e[1]);
    });
    return out;
  }
  // --- Welsh: mutations, as generator/internal/search/welsh.go --------------
  // A Welsh index (the manifest's "lang": "cy") counts mutated forms under
  // their radicals ("gath", "nghath", "chath" under "cath"); a query word it
  // does not list is looked up as its radicals and mutated forms, and a
  // quote marks a word's other forms. Both are tested against
  // generator/internal/search/testdata/welsh-mutations.json.
  var welsh = false;
  // search.welshRules: a word starting with the first is read as a
  // mutated form of a word starting with one of the second, the first rule
  // that starts the word giving its readings
  var WELSH = [['ngh', ['c']], ['mh', ['p']], ['nh', ['t']], ['ng', ['g']], ['dd', ['d']],
    ['ch', ['c']], ['ph', ['p']], ['th', ['t']], ['ll', []], ['rh', []], ['ff', []],
    ['g', ['c']], ['b', ['p']], ['d', ['t']], ['f', ['b', 'm']], ['l', ['ll', 'gl']], ['r', ['rh', 'gr']],
    ['m', ['b']], ['n', ['d']], ['h', ['']], ['', ['g']], ['w', ['gw']]];
  function vowel(c) { return typeof c === 'string' && c.length === 1 && 'aeiouwy'.indexOf(c) >= 0; }
  function long(s) { return Array.from(s).length >= 2; } // two letters or more
  // readings are the radicals w may be a mutated form of (search.welshReadings).
  function readings(w) {
    if (!w) return [];
    for (var i = 0; i < WELSH.length; i++) {
      var from = WELSH[i][0];
      if (from === 'h') {
        if (Array.from(w).length < 3 || w[0] !== 'h' || !vowel(w[1])) continue;
        return [w.slice(1)];
      }
      if (from === '') {
        if (!vowel(w[0]) || w[0] === 'w') continue;
        return ['g' + w];
      }
      if (!w.startsWith(from)) continue;
      return WELSH[i][1].map(function (to) { return to + w.slice(from.length); }).filter(long);
    }
    return [];
  }
  // mutations are the forms radical r takes: soft, nasal, aspirate, h
  // before a vowel (search.welshMutations).
  function mutations(r) {
    var out = [], c = r.charAt(0);
    function add(cut, forms) { forms.forEach(function (f) { var m = f + r.slice(cut); if (long(m)) out.push(m); }); }
    if (!r || /^(ch|ph|th|mh|nh|dd|ff)/.test(r)) return out;
    if (c === 'c') add(1, ['g', 'ngh', 'ch']);
    else if (c === 'p') add(1, ['b', 'mh', 'ph']);
    else if (c === 't') add(1, ['d', 'nh', 'th']);
    else if (r.startsWith('ng')) return out;
    else if (c === 'g') add(1, ['', 'ng']);
    else if (c === 'b') add(1, ['f', 'm']);
    else if (c === 'd') add(1, ['dd', 'n']);
    else if (c === 'm') add(1, ['f']);
    else if (r.startsWith('ll')) add(2, ['l']);
    else if (r.startsWith('rh')) add(2, ['r']);
    else if (vowel(c)) add(0, ['h']);
    return out;
  }
  // candidates are what a query word the index does not list is looked up
  // as: its radicals, its mutated forms and its radicals' mutated forms,
  // each once (search.welshCandidates).
  function candidates(w) {
    var out = [], seen = new Set([w]), rs = readings(w);
    function add(list) { list.forEach(function (c) { if (!seen.has(c)) { seen.add(c); out.push(c); } }); }
    add(rs);
    add(mutations(w));
    rs.forEach(function (r) { add(mutations(r)); });
    return out;
  }
  // Damerau–Levenshtein distance with a limit, as search.Distance.
  function distance(a, b, limit) {
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev2 = new Array(b.length + 1).fill(0), prev = [], cur = new Array(b.length + 1).fill(0);
    for (var j = 0; j <= b.length; j++) prev[j] = j;
    for (var i = 1; i <= a.length; i++) {
      cur[0] = i; var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
        best = Math.min(best, cur[j]);
      }
      if (best > limit) return limit + 1;
      var t = prev2; prev2 = prev; prev = cur; cur = t;
    }
    return prev[b.length];
  }
  var DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var DIGIT = new Int8Array(128); // character code → value
  for (var d = 0; d < DIGITS.length; d++) DIGIT[DIGITS.charCodeAt(d)] = d;
  function decodeNums(s) {
    var out = [], n = 0, mult = 1;
    for (var i = 0; i < s.length; i++) {
      var c = DIGIT[s.charCodeAt(i)];
      n += (c & 31) * mult;
      mult *= 32;
      if (!(c & 32)) { out.push(n); n = 0; mult = 1; }
    }
    return out;
  }
  // decoded postings, kept: a posting list is decoded once per page view
  var decoded = new Map();
  function decode(s) {
    var hit = decoded.get(s);
    if (!hit) { hit = decodeOnce(s); decoded.set(s, hit); }
    return hit;
  }
  // An impact travels as a level, one digit: 0 for a facet, then 1 to 32,
  // each level's value the last plus a tenth of it, in whole numbers as the
  // Go engine works them out (search.ImpactValues).
  var IMPACT = new Int32Array(33);
  IMPACT[1] = 100;
  for (var q = 2; q < 33; q++) IMPACT[q] = IMPACT[q - 1] + Math.floor(IMPACT[q - 1] / 10);
  // decodeOnce reads a posting list in one pass, straight into typed
  // arrays: its length, the gaps between document numbers, then each
  // document's impact level, one digit each.
  function decodeOnce(s) {
    var i = 0;
    function next() {
      var n = 0, mult = 1, c;
      do { c = DIGIT[s.charCodeAt(i++)]; n += (c & 31) * mult; mult *= 32; } while (c & 32);
      return n;
    }
    var count = s.length ? next() : 0, docs = new Int32Array(count), imps = new Int32Array(count), prev = -1, k;
    for (k = 0; k < count; k++) { prev += next() + 1; docs[k] = prev; }
    for (k = 0; k < count; k++) imps[k] = IMPACT[DIGIT[s.charCodeAt(i++)]];
    return [docs, imps];
  }
  function bsearch(arr, w) { // first index with arr[i] >= w
    var lo = 0, hi = arr.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] < w) lo = mid + 1; else hi = mid; }
    return lo;
  }

  // --- the engine ------------------------------------------------------------
  // Scores live in typed arrays indexed by document number (pages, then
  // their parts), so a query costs a few passes over flat arrays, whatever
  // the number of matches.
  var manifest = null;
  var pageOf = new Int32Array(0); // a part's page (a transcript paragraph's episode), by part id - manifest.n
  var firstPart = {}; // a page's first part id
  function page(d) { return d < manifest.n ? d : pageOf[d - manifest.n]; }
  function docCount() { return manifest.n + pageOf.length; }
  function shardFor(w) {
    var keys = manifest.k, lo = 0, hi = keys.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (keys[mid] > w) hi = mid; else lo = mid + 1; }
    return 's' + Math.max(lo - 1, 0) + '.js';
  }
  // A word's matches: best[d] is document d's impact for the word (-1 when
  // it does not match), docs lists the documents that match.
  function matches() {
    return { best: new Int32Array(docCount()).fill(-1), docs: [] };
  }
  // postingsInto adds a posting list to a word's matches, keeping each
  // document's best impact (divided by div).
  function postingsInto(set, p, div) {
    var d = decode(p), docs = d[0], imps = d[1], best = set.best;
    for (var k = 0; k < docs.length; k++) {
      var doc = docs[k], v = div > 1 ? Math.floor(imps[k] / div) : imps[k];
      if (best[doc] < 0) set.docs.push(doc);
      if (v > best[doc]) best[doc] = v;
    }
  }
  async function wordSet(w, last, typing, res) {
    var s = await load(shardFor(w));
    var stems = new Map(); // stem → divisor of its impact: 2 for words that only begin with what is typed
    var at = bsearch(s.w, w);
    if (s.w[at] === w) { stems.set(s.m[at], 1); res.terms.push(w); }
    var set = matches(), found = false;
    if (!stems.size && welsh) {
      // a form never seen in the text: its other forms the index lists
      var cs = candidates(w);
      cs.forEach(function (c) { load(shardFor(c)).catch(function () {}); }); // their shards at once
      for (var c = 0; c < cs.length; c++) {
        var ch = await load(shardFor(cs[c]));
        var kc = bsearch(ch.w, cs[c]);
        if (ch.w[kc] === cs[c]) { postingsInto(set, ch.p[ch.m[kc]], 1); found = true; res.terms.push(cs[c]); }
      }
    } else if (!stems.size) {
      var bs = bases(w);
      for (var b = 0; b < bs.length; b++) {
        var sh = await load(shardFor(bs[b]));
        var k = bsearch(sh.w, bs[b]);
        if (sh.w[k] === bs[b]) { postingsInto(set, sh.p[sh.m[k]], 1); found = true; res.terms.push(bs[b]); break; }
      }
    }
    if (typing && last && w.length >= 2) {
      for (var j = at; j < s.w.length && j < at + 30 && s.w[j].startsWith(w); j++) { if (!stems.has(s.m[j])) stems.set(s.m[j], 2); res.terms.push(s.w[j]); }
    }
    var n = Array.from(w).length;
    if (!stems.size && !found && n >= 5) {
      var limit = n >= 9 ? 2 : 1;
      s.w.forEach(function (cand, j) {
        if (cand[0] !== '#' && distance(w, cand, limit) <= limit) { stems.set(s.m[j], 1); res.terms.push(cand); res.fuzzy = true; }
      });
    }
    stems.forEach(function (div, st) { postingsInto(set, s.p[st], div); });
    return set;
  }
  // everyOf calls found(d, sum) for each document that matches every one
  // of sets, with the sum of its impacts: the rarest set's documents,
  // checked against the others.
  function everyOf(sets, found) {
    var rare = sets.reduce(function (a, b) { return b.docs.length < a.docs.length ? b : a; });
    for (var k = 0; k < rare.docs.length; k++) {
      var d = rare.docs[k], sum = 0, all = true;
      for (var j = 0; j < sets.length && all; j++) { if (sets[j].best[d] < 0) all = false; else sum += sets[j].best[d]; }
      if (all) found(d, sum);
    }
  }
  // eitherInto adds to set the documents that match every one of parts,
  // each with the sum of its impacts when that beats its own.
  function eitherInto(set, parts) {
    everyOf(parts, function (d, sum) {
      if (set.best[d] < 0) set.docs.push(d);
      if (sum > set.best[d]) set.best[d] = sum;
    });
  }
  async function facetDocs(term) {
    var s = await load(shardFor(term));
    var k = bsearch(s.w, term);
    return s.w[k] === term ? decode(s.p[s.m[k]])[0] : new Int32Array(0);
  }
  async function search(q) {
    var res = { hits: [], topics: [], total: 0, fuzzy: false, any: false, terms: [] };
    var us = units(fold(q.text)).filter(function (u) { return !stop.has(u[u.length - 1]); }); // a word, or a hyphenated word joined ("in-to")
    var filters = q.kinds.length + q.themes.length + q.years.length;
    if (!us.length && !filters) { res.matching = []; return res; } // nothing asked matches nothing
    us.forEach(function (u) { u.forEach(function (w) { if (!stop.has(w)) load(shardFor(w)).catch(function () {}); }); }); // every word's shard at once
    var sets = [];
    for (var i = 0; i < us.length; i++) {
      var u = us[i], last = i === us.length - 1;
      if (u.length === 1) { sets.push(await wordSet(u[0], last, q.typing, res)); continue; }
      // a hyphenated word: pages with its parts (hyphenated or apart) or
      // with the parts joined, each scoring the better of the two
      var parts = [];
      for (var p = 0; p < u.length - 1; p++) {
        if (!stop.has(u[p])) parts.push(await wordSet(u[p], last && p === u.length - 2, q.typing, res));
      }
      var joined = await wordSet(u[u.length - 1], last, q.typing, res);
      if (parts.length) eitherInto(joined, parts);
      sets.push(joined);
    }
    // cand lists the matching documents, score holds their scores
    var n = docCount(), d, k, cand = [], score = new Int32Array(n);
    if (sets.length) {
      // pages with every word, adding their impacts
      everyOf(sets, function (d, sum) { cand.push(d); score[d] = sum; });
      if (sets.length > 1 && !cand.some(function (d) { return page(d) < manifest.tp; })) {
        // no page has them all (a theme or pack may): pages with any of them
        cand.forEach(function (d) { score[d] = 0; });
        cand = [];
        var seen = new Uint8Array(n);
        sets.forEach(function (set) {
          for (k = 0; k < set.docs.length; k++) {
            d = set.docs[k];
            if (!seen[d]) { seen[d] = 1; cand.push(d); }
            score[d] += set.best[d];
          }
        });
        res.any = cand.length > 0;
      }
    }
    res.matching = sets.length ? cand : null; // for the facets' counts; null: every page
    var groups = [['#k:', q.kinds], ['#t:', q.themes], ['#y:', q.years]], unfiltered = !sets.length;
    for (var g = 0; g < groups.length; g++) {
      if (!groups[g][1].length) continue;
      var allowed = new Uint8Array(manifest.n), list = [];
      for (var v = 0; v < groups[g][1].length; v++) {
        var fd = await facetDocs(groups[g][0] + groups[g][1][v]);
        for (k = 0; k < fd.length; k++) if (!allowed[fd[k]]) { allowed[fd[k]] = 1; list.push(fd[k]); }
      }
      if (unfiltered) cand = list; // filters alone: every page the first allows
      else cand = cand.filter(function (d) { return allowed[page(d)]; });
      unfiltered = false;
    }
    // best score first, then lower document number, with a numeric sort of
    // packed keys: score × 2²¹ + (2²¹ − 1 − document)
    var keys = new Float64Array(cand.length), SPAN = 2097152;
    for (k = 0; k < cand.length; k++) keys[k] = score[cand[k]] * SPAN + (SPAN - 1 - cand[k]);
    keys.sort();
    // a page scores its best match, in itself or in one of its parts
    var at = new Int32Array(manifest.n).fill(-1);
    for (k = keys.length - 1; k >= 0; k--) {
      d = SPAN - 1 - keys[k] % SPAN;
      var sc = (keys[k] - (SPAN - 1 - d)) / SPAN, p = page(d);
      if (at[p] < 0) { at[p] = res.hits.length; res.hits.push({ doc: p, score: sc, parts: [] }); }
      var h = res.hits[at[p]];
      if (d !== p && h.parts.length < MAX_PARTS) h.parts.push({ doc: d, score: sc });
    }
    // themes and learning packs, numbered after the pages, are listed apart
    var pages = [];
    res.topics = [];
    res.hits.forEach(function (h) {
      if (h.doc < manifest.tp) pages.push(h);
      else if (res.topics.length < MAX_TOPICS) res.topics.push(h);
    });
    res.hits = pages;
    res.total = res.hits.length;
    return res;
  }
  // facetCounts is every facet value's number of results, by facet term,
  // as search.Engine's Result.Counts: the pages matching the words (every
  // page when there are none) and the other facets' filters, not the
  // value's own facet's, whose values add to each other. The facets' lists
  // sit in the first few shards (32.8 KB gzipped at 10,000 generated pages), loaded the
  // first time counts are wanted.
  async function facetCounts(q, res) {
    var groups = [['#k:', manifest.kinds, q.kinds], ['#t:', manifest.themes, q.themes], ['#y:', manifest.years, q.years]];
    var lists = await Promise.all(groups.map(function (g) {
      return Promise.all(g[1].map(function (f) { return facetDocs(g[0] + f[0]); }));
    }));
    var n = manifest.n, matching = null, k;
    if (res.matching) {
      matching = new Uint8Array(n);
      for (k = 0; k < res.matching.length; k++) matching[page(res.matching[k])] = 1;
    }
    var allowed = []; // each facet's checked pages, or null when none is checked
    for (var g = 0; g < groups.length; g++) {
      allowed.push(null);
      for (var v = 0; v < groups[g][2].length; v++) {
        var fd = await facetDocs(groups[g][0] + groups[g][2][v]);
        if (!allowed[g]) allowed[g] = new Uint8Array(n);
        for (k = 0; k < fd.length; k++) allowed[g][fd[k]] = 1;
      }
    }
    var counts = {};
    groups.forEach(function (grp, gi) {
      grp[1].forEach(function (f, vi) {
        var docs = lists[gi][vi], c = 0;
        next: for (var i = 0; i < docs.length; i++) {
          var d = docs[i];
          if (matching && !matching[d]) continue;
          for (var h = 0; h < allowed.length; h++) if (h !== gi && allowed[h] && !allowed[h][d]) continue next;
          c++;
        }
        counts[grp[0] + f[0]] = c;
      });
    });
    return counts;
  }
  // fill gives hits their display rows and quotes: rows from the shards
  // that carry them, otherwise from the row files; quotes from each hit's
  // passage files (search.Quote). Every file at once rather than one after
  // another, asked for in the hits' order. A part's row (its link and
  // label) comes from its page's. progress, when given, hears how many
  // hits from the first are ready, each time a file arrives.
  async function fill(hits, progress, terms) {
    function file(h) { return 'r' + Math.floor(h.doc / manifest.r) + '.js'; }
    var got = {}, ready = 0;
    function settle() {
      while (ready < hits.length) {
        var h = hits[ready], rows = got[file(h)], row = known(h.doc) || rows && rows[h.doc % manifest.r];
        if (!row || h.quote === undefined) break;
        h.row = row;
        h.parts.forEach(function (p) { p.row = partRow(h.row, p.doc - firstPart[h.doc]); });
        ready++;
      }
      if (progress) progress(ready);
    }
    var asked = [];
    hits.forEach(function (h) {
      if (!known(h.doc) && asked.indexOf(file(h)) < 0) {
        asked.push(file(h));
        load(file(h)).then(function (rows) { got[file(h)] = rows; settle(); });
      }
    });
    settle();
    await Promise.all(asked.map(load).concat(hits.map(function (h) {
      if (h.quote !== undefined) return null;
      return quoteOf(h, terms || []).then(function (q) { h.quote = q; settle(); });
    })));
    settle();
  }
  // quoteOf is a hit's quote, as search.Engine's fill finds it: from the
  // transcript paragraph of its best part, with that part's place, when it
  // has the query's words; otherwise from its page's sentences. Each hit
  // costs one passage file, two when its best part does not quote.
  async function quoteOf(h, terms) {
    if (manifest.b && h.parts.length) {
      var k = h.parts[0].doc - firstPart[h.doc];
      var lines = (await load('x' + h.doc + '-' + Math.floor(k / manifest.b) + '.js'))[1].split('\n');
      var q = quote(lines[k % manifest.b] || '', terms);
      if (q) return { text: q, part: 0 };
    }
    var x = await load('x' + h.doc + '.js');
    return { text: quote(x[1], terms), part: -1, summary: x[2] || '' };
  }
  // --- quotes: search.Quote's rule -----------------------------------------
  var QUOTE = 200; // search.QuoteRunes
  function matchesPlain(f, terms) {
    return terms.some(function (t) { return f === t || t.length >= 3 && f.startsWith(t) || f.length >= 4 && t.startsWith(f); });
  }
  // in a Welsh index, a word and a term match when one of each one's
  // forms (itself and its radicals) does (search.welshMatches)
  function matchesTerm(f, terms) {
    if (matchesPlain(f, terms)) return true;
    if (!welsh) return false;
    var forms = [f].concat(readings(f));
    return terms.some(function (t) {
      return [t].concat(readings(t)).some(function (tf) { return forms.some(function (x) { return matchesPlain(x, [tf]); }); });
    });
  }
  // wordsOf is line's runs of letters and digits, each [text, where it
  // begins in characters].
  function wordsOf(line) {
    var cs = Array.from(line), out = [], start = -1;
    for (var i = 0; i <= cs.length; i++) {
      if (i < cs.length && wordChar.test(cs[i])) { if (start < 0) start = i; } else if (start >= 0) { out.push([cs.slice(start, i).join(''), start]); start = -1; }
    }
    return out;
  }
  // quote picks the line with the most of the terms (the first on a tie)
  // and gives about QUOTE characters of it from a little before its first
  // match, cut at spaces, or '' when no line has any.
  function quote(text, terms) {
    var best = '', bestN = 0;
    text.split('\n').forEach(function (line) {
      var seen = new Set();
      wordsOf(line).forEach(function (w) {
        var f = fold(w[0]);
        terms.forEach(function (t) { if (matchesTerm(f, [t])) seen.add(t); });
      });
      if (seen.size > bestN) { best = line; bestN = seen.size; }
    });
    if (!bestN) return '';
    var rs = Array.from(best);
    if (rs.length <= QUOTE) return best;
    var first = 0, ws = wordsOf(best);
    for (var i = 0; i < ws.length; i++) if (matchesTerm(fold(ws[i][0]), terms)) { first = ws[i][1]; break; }
    var start = Math.max(0, first - Math.floor(QUOTE / 3));
    if (start > 0) while (start < first && rs[start - 1] !== ' ') start++;
    var end = Math.min(rs.length, start + QUOTE);
    if (end < rs.length) while (end > first + 1 && rs[end] !== ' ') end--;
    return (start > 0 ? '…' : '') + rs.slice(start, end).join('').trim() + (end < rs.length ? '…' : '');
  }
  // --- the next results, fetched in the background --------------------------
  // Once an answer with more results than are shown is painted, the rows
  // and quotes of the next PAGE are fetched while the browser is idle, so
  // "Show more results" shows them at once. Not when the reader has asked
  // to save data, nor on a mobile network (navigator.connection: saveData,
  // type 'cellular', effectiveType slow-2g or 2g), where a result's files
  // wait for its button.
  var prefetched = 0;
  function frugal() {
    var c = navigator.connection;
    return !!c && (c.saveData || c.type === 'cellular' || /(^|-)2g$/.test(c.effectiveType || ''));
  }
  function prefetch(res) {
    if (frugal() || res.hits.length <= PAGE) return;
    var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 50); };
    idle(function () {
      if (res !== current) return;
      var next = res.hits.slice(PAGE, 2 * PAGE);
      prefetched += next.length;
      fill(next, null, res.terms).catch(function () {});
    }, { timeout: 2000 });
  }
  // known is a page's row when it is at hand: carried by a shard
  function known(doc) { return parsed(carried, doc); }
  // parsed is rows[i], a row kept as its line of JSON until first needed
  function parsed(rows, i) {
    if (typeof rows[i] === 'string') rows[i] = JSON.parse(rows[i]);
    return rows[i] || null;
  }
  // partRow is [path#anchor, label] of a page's k-th part, from the page's
  // row: [..., [speakers, [[start, speaker, anchor?], ...]]], as
  // search.PartLabel and the Go engine read it.
  function partRow(row, k) {
    var pr = row[5] || [[], []], x = pr[1][k] || [0, -1], start = x[0];
    var anchor = x.length > 2 ? x[2] : '#t' + start;
    var clock = start >= 3600
      ? Math.floor(start / 3600) + ':' + pad(Math.floor(start / 60) % 60) + ':' + pad(start % 60)
      : Math.floor(start / 60) + ':' + pad(start % 60);
    return [row[0] + anchor, word('search.at', 0, { Speaker: x[1] >= 0 ? pr[0][x[1]] : word('search.transcript'), Time: clock })];
  }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  // results shown at first, and added by each "Show more results"; a theme
  // may change it with data-page on the script element
  var PAGE = +script.getAttribute('data-page') || 10;
  var MAX_PARTS = 3, MAX_TOPICS = 4; // search.MaxParts, search.MaxTopics

  // --- the page --------------------------------------------------------------
  var stop = new Set();
  // longDate writes "2026-11-23" as the words' date does: "23 November 2026"
  function longDate(iso) {
    var p = iso.split('-');
    return word('date', 0, { Day: +p[2], Month: word('month.' + +p[1]), Year: p[0] });
  }
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { e.append(c); });
    return e;
  }
  // marked wraps the words that match the query in <mark>.
  function marked(text, terms) {
    var frag = document.createDocumentFragment();
    var re = /[\p{L}\p{N}]+/gu, last = 0, m;
    while ((m = re.exec(text))) {
      var f = fold(m[0]);
      if (matchesTerm(f, terms)) {
        frag.append(text.slice(last, m.index), el('mark', {}, [m[0]]));
        last = m.index + m[0].length;
      }
    }
    frag.append(text.slice(last));
    return frag;
  }
  function checked(name) {
    return Array.from(form.querySelectorAll('input[name="' + name + '"]:checked')).map(function (c) { return c.value; });
  }
  function query(typing) {
    return { text: input.value, kinds: checked('kind'), themes: checked('theme'), years: checked('year'), typing: typing && !/\s$/.test(input.value) };
  }
  function params(q) {
    var p = new URLSearchParams();
    if (q.text.trim()) p.set('q', q.text.trim());
    q.kinds.forEach(function (v) { p.append('kind', v); });
    q.themes.forEach(function (v) { p.append('theme', v); });
    q.years.forEach(function (v) { p.append('year', v); });
    var s = p.toString();
    return s ? '?' + s : location.pathname;
  }
  function describe(q, res) {
    var n = res.total === 0 ? word('search.no_results') : word('search.results', res.total);
    if (q.text.trim()) n = word('search.for', 0, { Results: n, Query: q.text.trim() });
    var filters = q.kinds.length + q.themes.length + q.years.length;
    return n + (res.any ? word('search.some_words') : '') + (res.fuzzy ? word('search.close_spellings') : '') + (filters ? word('search.filtered') : '') + (res.total > PAGE ? word('search.first_listed', PAGE) : '') + '.' + alsoTopics(res.topics);
  }
  // alsoTopics says what the topics' list holds: " Also 1 theme and 2
  // learning packs."
  function alsoTopics(topics) {
    var th = 0, pk = 0;
    topics.forEach(function (h) { if (h.row[2] === 'pack') pk++; else th++; });
    var say = [];
    if (th) say.push(word('search.themes', th));
    if (pk) say.push(word('search.packs', pk));
    if (!say.length) return '';
    return ' ' + word('search.also', 0, { What: say.length > 1 ? word('search.and', 0, { First: say[0], Second: say[1] }) : say[0] });
  }
  // render shows the first results of a new answer, those from the from-th
  // on when the ones before are already in the list.
  function render(q, res, from) {
    if (!from) list.replaceChildren();
    topicList.replaceChildren.apply(topicList, res.topics.map(function (h) { return topic(h, res.terms); }));
    topicBox.hidden = !res.topics.length;
    shown = Math.min(PAGE, res.hits.length);
    res.hits.slice(from || 0, shown).forEach(function (h) { list.append(item(h, res.terms)); });
    more.hidden = shown >= res.hits.length;
    heading.hidden = !(q.text.trim() || q.kinds.length + q.themes.length + q.years.length);
  }
  // kindLabel is how a result names its kind: "Story", "Theme",
  // "Learning pack"; a kind the words do not name, as it is.
  var KINDS = { story: 'kind.story', episode: 'kind.episode', feature: 'kind.feature', pack: 'kind.pack', theme: 'kind.theme' };
  function kindLabel(r) {
    var kv = typeof r[2] === 'string' ? r[2] : manifest.kinds[r[2]] ? manifest.kinds[r[2]][0] : '';
    return KINDS.hasOwnProperty(kv) ? word(KINDS[kv]) : kv;
  }
  // quoted is a hit's quote as a paragraph, its words marked: from the
  // page's text, or "Laura Martin at 4:12: …" linking to that moment; the
  // summary, marked, when nothing quotable has the words.
  function quoted(h, terms) {
    var q = h.quote;
    if (!q || !q.text) return el('p', { class: 'excerpt' }, [marked(q ? q.summary : '', terms)]);
    if (q.part < 0) return el('p', { class: 'quote' }, [marked(q.text, terms)]);
    var p = h.parts[q.part];
    return el('p', { class: 'quote' }, [el('a', { href: href(p.row[0]) }, [p.row[1]]), ': ', marked(q.text, terms)]);
  }
  // item is one result: title, kind and date, the passage that matched,
  // other moments in the transcript, themes.
  function item(h, terms) {
    var r = h.row; // [path, title, kind, date, themes, parts?]
    var themes = el('ul', { class: 'themes' });
    r[4].forEach(function (t) {
      var th = manifest.themes[t];
      if (th) themes.append(el('li', {}, [el('a', { href: href('themes/' + th[0] + '/') }, [th[1]])]));
    });
    var li = el('li', { class: 'result' }, [
      el('h3', {}, [el('a', { href: href(r[0]) }, [marked(r[1], terms)])]),
      el('p', { class: 'meta' }, [kindLabel(r) + ' · ' + longDate(r[3])]),
      quoted(h, terms)
    ]);
    var others = h.parts.filter(function (p, k) { return !h.quote || h.quote.part !== k; });
    if (others.length) { // other moments of the transcript: "Zoe Phillips at 1:23"
      var parts = el('ul', { class: 'in-transcript' });
      others.forEach(function (p) {
        parts.append(el('li', {}, [el('a', { href: href(p.row[0]) }, [p.row[1]])]));
      });
      li.append(el('p', { class: 'in-transcript-intro' }, [word(h.quote && h.quote.part >= 0 ? 'search.also_in_transcript' : 'search.in_transcript')]), parts);
    }
    li.append(themes);
    return li;
  }
  // topic is a theme or learning pack the words match: its name, kind and
  // size, and its passage that matched.
  function topic(h, terms) {
    var r = h.row;
    return el('li', { class: 'topic' }, [
      el('p', { class: 'topic-title' }, [el('a', { href: href(r[0]) }, [marked(r[1], terms)])]),
      el('p', { class: 'meta' }, [kindLabel(r) + ' · ' + r[3]]),
      quoted(h, terms)
    ]);
  }
  var announceTimer = 0, runTimer = 0, seq = 0, shown = 0, current = null;
  async function run(typing, history) {
    var q = query(typing), mine = ++seq;
    var res, painted = 0, empty = !list.children.length;
    try {
      res = await search(q);
      // Into an empty list, results go in top down as their rows arrive;
      // a list already showing results is replaced whole, so it never
      // flickers. The status speaks once all of them are in.
      await Promise.all([fill(res.hits.slice(0, PAGE), empty && function (ready) {
        if (mine !== seq || ready <= painted) return;
        var first = res.hits.slice(painted, ready);
        if (!painted) { list.replaceChildren(); heading.hidden = false; }
        first.forEach(function (h) { list.append(item(h, res.terms)); });
        painted = ready;
      }, res.terms), fill(res.topics, null, res.terms)]);
    } catch (e) {
      status.textContent = word('search.unavailable');
      return;
    }
    if (mine !== seq) return; // a newer query is on its way
    current = res;
    render(q, res, painted);
    clearTimeout(announceTimer);
    // announce the count once typing settles; never make the list itself live
    var text = heading.hidden ? '' : describe(q, res);
    if (typing) announceTimer = setTimeout(function () { status.textContent = text; }, 1000);
    else status.textContent = text;
    // The address and the counts beside the filters follow once the
    // results are painted. In Chromium a history entry costs 4-5 ms (a call
    // to the browser process, and the favicon drawn again), a fifth of a
    // later query when it came first; and asking for the facets' lists (a
    // dozen scripts at 10,000 pages) kept a first answer from the screen
    // some 20 ms. The counts are the query's, or the whole site's when
    // nothing is asked.
    var url = params(q), asked = !heading.hidden;
    afterPaint(function () {
      remember(url, history);
      if (mine !== seq) return;
      if (asked) facetCounts(q, res).then(function (c) { if (mine === seq) showCounts(c); }, function () {});
      else showCounts(null);
    });
    afterPaint(function () { if (mine === seq) prefetch(res); });
    return res;
  }
  // showCounts puts each facet value's count beside its box: from counts,
  // or the whole site's from the manifest when counts is null.
  var countSpans = [];
  function showCounts(counts) {
    countSpans.forEach(function (c) {
      var n = counts ? counts[c.term] || 0 : c.site;
      if (c.span.textContent !== ' (' + n + ')') c.span.textContent = ' (' + n + ')';
    });
  }
  // afterPaint runs f once the next frame is drawn, or after 100 ms in a
  // tab that draws no frames (hidden); calls keep their order either way.
  function afterPaint(f) {
    var done = false, once = function () { if (!done) { done = true; f(); } };
    requestAnimationFrame(function () { setTimeout(once, 0); });
    setTimeout(once, 100);
  }
  // remember keeps the URL in step with the query. Live updates (typing,
  // filters: how 'replace') share one history entry of their own, marked
  // {otpressLive: true}, so they never overwrite a search the reader
  // submitted or arrived with; a submit (how 'push') keeps that live entry
  // rather than adding a duplicate. Back then steps from search to search.
  function remember(url, how) {
    var h = window.history, live = !!(h.state && h.state.otpressLive);
    var same = url === (location.search || location.pathname);
    if (how === 'replace') {
      if (live) h.replaceState({ otpressLive: true }, '', url);
      else if (!same) h.pushState({ otpressLive: true }, '', url);
    } else if (how === 'push') {
      if (live || same) h.replaceState(null, '', url);
      else h.pushState(null, '', url);
    }
  }
  function restore() {
    var p = new URLSearchParams(location.search);
    input.value = p.get('q') || '';
    form.querySelectorAll('input[type="checkbox"]').forEach(function (c) { c.checked = p.getAll(c.name).indexOf(c.value) >= 0; });
    countChosen();
  }

  load('m.js').then(function (m) {
    manifest = m;
    // a facet with no values is null in the manifest (a site without themes)
    ['kinds', 'themes', 'years'].forEach(function (f) { m[f] = m[f] || []; });
    stop = new Set(m.stop);
    welsh = m.lang === 'cy';
    // each part's page, filled a page's run at a time: pushing the 53,000
    // parts of 1,000 transcripts one by one took 10 ms of a cold page
    var nums = decodeNums(m.p || ''), pg = -1, at = 0, i;
    for (i = 1; i < nums.length; i += 2) at += nums[i];
    pageOf = new Int32Array(at);
    for (i = 0, at = 0; i + 1 < nums.length; i += 2) {
      pg += nums[i] + 1;
      firstPart[pg] = m.n + at;
      pageOf.fill(pg, at, at + nums[i + 1]);
      at += nums[i + 1];
    }
    // for the tests: how many results' files were fetched in the
    // background, and the engine,
    // to compare with the Go reference engine (the first n results, as
    // search.Engine.Search(q, n))
    window.otpressSearch.prefetched = function () { return prefetched; };
    // and the Welsh forms, to check against the Go tests' table
    window.otpressSearch.welsh = { on: welsh, readings: readings, mutations: mutations, candidates: candidates, matches: matchesTerm };
    window.otpressSearch.query = async function (q, n) {
      var res = await search(q);
      res.hits = res.hits.slice(0, n || 20);
      await Promise.all([fill(res.hits, null, res.terms), fill(res.topics, null, res.terms)]);
      if (q.counts) res.counts = await facetCounts(q, res);
      return res;
    };
    // "Show more results" adds the next results and moves focus to the
    // first of them, so keyboard and screen reader users carry on from there.
    // A click while the next results' files are on their way adds nothing
    // more: they would be listed twice.
    var adding = false;
    more.addEventListener('click', async function () {
      if (adding) return;
      var res = current, from = shown, next = res.hits.slice(from, from + PAGE);
      adding = true;
      try { await fill(next, null, res.terms); } finally { adding = false; }
      if (res !== current) return;
      next.forEach(function (h) { list.append(item(h, res.terms)); });
      shown = from + next.length;
      more.hidden = shown >= res.hits.length;
      var first = list.children[from] && list.children[from].querySelector('a');
      if (first) first.focus();
      status.textContent = word('search.showing', res.total, { Shown: shown });
    });
    restore();
    // a query in the address asks for its shards before anything else
    if (location.search) run(false, null);
    // a count beside each filter, the whole site's until a query is
    // answered, in one pass over the boxes
    var counts = { kind: m.kinds, theme: m.themes, year: m.years }, prefix = { kind: '#k:', theme: '#t:', year: '#y:' }, byValue = {};
    Object.keys(counts).forEach(function (name) {
      counts[name].forEach(function (f) { byValue[name + '=' + f[0]] = f[f.length - 1]; });
    });
    form.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
      var n = byValue[box.name + '=' + box.value], label = box.labels && box.labels[0];
      if (n === undefined || !label) return;
      var span = el('span', { class: 'facet-count' }, [' (' + n + ')']);
      label.append(span);
      countSpans.push({ span: span, term: prefix[box.name] + box.value, site: n });
    });
    input.addEventListener('input', function () {
      clearTimeout(runTimer);
      runTimer = setTimeout(function () { run(true, 'replace'); }, 120);
    });
    form.addEventListener('change', function (e) {
      if (e.target.type !== 'checkbox') return;
      countChosen();
      run(false, 'replace');
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      clearTimeout(runTimer);
      run(false, 'push').then(function () { if (!heading.hidden) heading.focus(); });
    });
    window.addEventListener('popstate', function () { restore(); run(false, null); });
  }, function () {
    if (note) note.hidden = false;
    status.textContent = word('search.unavailable');
  });
})();
