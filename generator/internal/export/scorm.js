// The SCORM 1.2 runtime link of an otpress learning pack. It finds the
// learning system's API in a parent window (or the one that opened this),
// says the pack was started, and when the learner presses "I have
// completed this pack" records it as completed. Leaving the pack unfinished
// records it as suspended, with the item the learner had reached (the id
// of its heading, in suspend_data), so that the pack opens there next
// time; each session's length is recorded too. Nothing else is sent: not
// the learner's reflections.
(function () {
  'use strict';
  var button = document.getElementById('scorm-complete');
  var status = document.getElementById('scorm-status');
  function find(w) {
    for (var i = 0; w && i < 10; i++) {
      if (w.API) return w.API;
      if (w.parent === w) break;
      w = w.parent;
    }
    return null;
  }
  var api = null;
  try { api = find(window) || (window.opener && find(window.opener)); } catch (e) { api = null; }
  if (!api || String(api.LMSInitialize('')) !== 'true') {
    button.hidden = true;
    status.textContent = 'Progress is not recorded: this copy of the pack is not running in a learning system.';
    return;
  }
  var started = Date.now();
  var done = false, completed = false;
  // the items' headings, "p1-title" and on: the place is the last one the
  // learner has scrolled to
  var headings = [].slice.call(document.querySelectorAll('h2[id]')).filter(function (h) { return /^p\d+-title$/.test(h.id); });
  var place = '';
  var state = api.LMSGetValue('cmi.core.lesson_status');
  if (state === 'completed' || state === 'passed') {
    completed = true;
    button.hidden = true;
    status.textContent = 'Your learning record shows this pack as completed.';
  } else {
    if (state === 'not attempted' || state === '') {
      api.LMSSetValue('cmi.core.lesson_status', 'incomplete');
    }
    var saved = String(api.LMSGetValue('cmi.suspend_data') || '');
    var at = /^p\d+-title$/.test(saved) ? document.getElementById(saved) : null;
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
  // CMITimespan: hours (two to four digits), minutes, seconds
  function timespan() {
    var s = Math.min(Math.floor((Date.now() - started) / 1000), 9999 * 3600 + 3599);
    var two = function (n) { return (n < 10 ? '0' : '') + n; };
    return two(Math.floor(s / 3600)) + ':' + two(Math.floor(s / 60) % 60) + ':' + two(s % 60);
  }
  function finish() {
    if (done) return;
    done = true;
    if (!completed && place) api.LMSSetValue('cmi.suspend_data', place);
    api.LMSSetValue('cmi.core.exit', completed ? '' : 'suspend');
    api.LMSSetValue('cmi.core.session_time', timespan());
    api.LMSCommit('');
    api.LMSFinish('');
  }
  button.addEventListener('click', function () {
    api.LMSSetValue('cmi.core.lesson_status', 'completed');
    completed = true;
    finish();
    button.hidden = true;
    status.textContent = 'Thank you: your learning record now shows this pack as completed.';
  });
  // leaving the pack unfinished keeps what is recorded so far
  window.addEventListener('pagehide', finish);
})();
