// The SCORM 1.2 runtime link of an otpress learning pack. It finds the
// learning system's API in a parent window (or the one that opened this),
// says the pack was started, and when the learner presses "I have
// completed this pack" records it as completed. Nothing else is sent: not
// the learner's reflections, not where they are in the pack.
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
  var done = false;
  var state = api.LMSGetValue('cmi.core.lesson_status');
  if (state === 'completed' || state === 'passed') {
    button.hidden = true;
    status.textContent = 'Your learning record shows this pack as completed.';
  } else if (state === 'not attempted' || state === '') {
    api.LMSSetValue('cmi.core.lesson_status', 'incomplete');
  }
  function finish() {
    if (done) return;
    done = true;
    api.LMSCommit('');
    api.LMSFinish('');
  }
  button.addEventListener('click', function () {
    api.LMSSetValue('cmi.core.lesson_status', 'completed');
    finish();
    button.hidden = true;
    status.textContent = 'Thank you: your learning record now shows this pack as completed.';
  });
  // leaving the pack unfinished keeps what is recorded so far
  window.addEventListener('pagehide', finish);
})();
