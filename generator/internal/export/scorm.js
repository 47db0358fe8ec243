// The SCORM runtime link of an otpress learning pack, for SCORM 1.2 (the
// API object) or SCORM 2004 (API_1484_11), as the script element's
// data-scorm says. It finds the learning system's API in a parent window
// (or the one that opened this), says the pack was started, and when the
// learner presses "I have completed this pack" records it as completed.
// Leaving the pack unfinished records it as suspended, with the item the
// learner had reached (the id of its heading: in suspend_data, and in
// 2004's cmi.location too), so that the pack opens there next time; each
// session's length is recorded too. Nothing else is sent: not the
// learner's reflections.
(function () {
  'use strict';
  var button = document.getElementById('scorm-complete');
  var status = document.getElementById('scorm-status');
  var script = document.currentScript;
  var v2004 = !!script && script.getAttribute('data-scorm') === '2004';
  // CMITimespan: hours (two to four digits), minutes, seconds
  function timespan(ms) {
    var s = Math.min(Math.floor(ms / 1000), 9999 * 3600 + 3599);
    var two = function (n) { return (n < 10 ? '0' : '') + n; };
    return two(Math.floor(s / 3600)) + ':' + two(Math.floor(s / 60) % 60) + ':' + two(s % 60);
  }
  // an ISO 8601 duration to the hundredth of a second: PT1M5.5S, PT0S
  function duration(ms) {
    var cs = Math.round(ms / 10);
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = (cs % 6000) / 100;
    return 'PT' + (h ? h + 'H' : '') + (m ? m + 'M' : '') + (s || !(h || m) ? s + 'S' : '');
  }
  // the two editions' names for the same things
  var ed = v2004 ? {
    api: 'API_1484_11', initialize: 'Initialize', get: 'GetValue', set: 'SetValue', commit: 'Commit', finish: 'Terminate',
    status: 'cmi.completion_status', fresh: ['not attempted', 'unknown', ''], done: ['completed'],
    places: ['cmi.location', 'cmi.suspend_data'], exit: 'cmi.exit', normal: 'normal',
    time: 'cmi.session_time', span: duration
  } : {
    api: 'API', initialize: 'LMSInitialize', get: 'LMSGetValue', set: 'LMSSetValue', commit: 'LMSCommit', finish: 'LMSFinish',
    status: 'cmi.core.lesson_status', fresh: ['not attempted', ''], done: ['completed', 'passed'],
    places: ['cmi.suspend_data'], exit: 'cmi.core.exit', normal: '',
    time: 'cmi.core.session_time', span: timespan
  };
  function find(w) {
    for (var i = 0; w && i < 10; i++) {
      if (w[ed.api]) return w[ed.api];
      if (w.parent === w) break;
      w = w.parent;
    }
    return null;
  }
  var api = null;
  try { api = find(window) || (window.opener && find(window.opener)); } catch (e) { api = null; }
  if (!api || String(api[ed.initialize]('')) !== 'true') {
    button.hidden = true;
    status.textContent = 'Progress is not recorded: this copy of the pack is not running in a learning system.';
    return;
  }
  function get(name) { return String(api[ed.get](name) || ''); }
  function set(name, value) { return api[ed.set](name, value); }
  var started = Date.now();
  var done = false, completed = false;
  // the items' headings, "p1-title" and on: the place is the last one the
  // learner has scrolled to
  var item = /^p\d+-title$/;
  var headings = [].slice.call(document.querySelectorAll('h2[id]')).filter(function (h) { return item.test(h.id); });
  var place = '';
  var state = get(ed.status);
  if (ed.done.indexOf(state) >= 0) {
    completed = true;
    button.hidden = true;
    status.textContent = 'Your learning record shows this pack as completed.';
  } else {
    if (ed.fresh.indexOf(state) >= 0) set(ed.status, 'incomplete');
    var saved = '';
    for (var i = 0; i < ed.places.length && !item.test(saved); i++) saved = get(ed.places[i]);
    var at = item.test(saved) ? document.getElementById(saved) : null;
    if (at) {
      place = saved;
      at.scrollIntoView();
      status.textContent = 'You are back where you left off: ' + at.textContent + '.';
    }
  }
  var pending = false;
  window.addEventListener('scroll', function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      for (var i = headings.length - 1; i >= 0; i--) {
        if (headings[i].getBoundingClientRect().top < window.innerHeight / 3) {
          place = headings[i].id;
          return;
        }
      }
    });
  }, { passive: true });
  function finish() {
    if (done) return;
    done = true;
    if (!completed && place) {
      for (var i = 0; i < ed.places.length; i++) set(ed.places[i], place);
    }
    set(ed.exit, completed ? ed.normal : 'suspend');
    set(ed.time, ed.span(Date.now() - started));
    api[ed.commit]('');
    api[ed.finish]('');
  }
  button.addEventListener('click', function () {
    set(ed.status, 'completed');
    completed = true;
    finish();
    button.hidden = true;
    status.textContent = 'Thank you: your learning record now shows this pack as completed.';
  });
  // leaving the pack unfinished keeps what is recorded so far
  window.addEventListener('pagehide', finish);
})();
