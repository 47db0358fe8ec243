// A small, strict learning system for tests/browser/scorm.mjs: the
// LMS side of the SCORM 1.2 run-time API (window.API) or of SCORM 2004
// (window.API_1484_11), as the script's data-edition says, holding the few
// data model elements an otpress pack uses. Written for these tests, after
// the shape of simplify-scorm (a session that is not initialised, running
// or terminated; each call sets an error code) and the run-time reference
// of each edition: it refuses what a real LMS must refuse, so a package
// that passes here makes no call a conforming LMS would reject.
//
// - calls in the wrong state (SetValue before Initialize, anything after
//   LMSFinish or Terminate, Initialize twice) fail with their codes;
// - an element it does not know fails with 401; reading a write-only one
//   (exit, session_time) or writing a read-only one (entry) fails;
// - values are checked: the vocabularies of status and exit, CMITimespan
//   (1.2) and ISO 8601 durations (2004) for session_time, the lengths of
//   location and suspend_data;
// - what is committed is kept in localStorage under "lms:<edition>", so a
//   page of the same origin that loads this script again is the next
//   session: cmi.entry is "resume" after a suspended exit, and the
//   location and suspend_data come back; after a normal exit the next
//   session is a new attempt, as SCORM 2004 says.
//
// Every call is recorded in window.calls as [name, ...arguments,
// "=" + result, "#" + error code].
(function () {
  'use strict';
  var script = document.currentScript;
  var edition = script.getAttribute('data-edition') === '2004' ? '2004' : '1.2';
  var key = 'lms:' + edition;
  var v2004 = edition === '2004';
  var spanRE = /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/;
  var durationRE = /^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$/;
  function oneOf(list) { return function (v) { return list.indexOf(v) >= 0; }; }
  function upTo(n) { return function (v) { return v.length <= n; }; }
  // element: access (r, w, rw), check of a value set
  var model = v2004 ? {
    'cmi._version': { access: 'r' },
    'cmi.completion_status': { access: 'rw', check: oneOf(['completed', 'incomplete', 'not attempted', 'unknown']) },
    'cmi.success_status': { access: 'rw', check: oneOf(['passed', 'failed', 'unknown']) },
    'cmi.entry': { access: 'r' },
    'cmi.exit': { access: 'w', check: oneOf(['time-out', 'suspend', 'logout', 'normal', '']) },
    'cmi.session_time': { access: 'w', check: function (v) { return durationRE.test(v); } },
    'cmi.location': { access: 'rw', check: upTo(1000) },
    'cmi.suspend_data': { access: 'rw', check: upTo(64000) },
    'cmi.mode': { access: 'r' }
  } : {
    'cmi.core._children': { access: 'r' },
    'cmi.core.lesson_status': { access: 'rw', check: oneOf(['passed', 'completed', 'failed', 'incomplete', 'browsed']) },
    'cmi.core.entry': { access: 'r' },
    'cmi.core.exit': { access: 'w', check: oneOf(['time-out', 'suspend', 'logout', '']) },
    'cmi.core.session_time': { access: 'w', check: function (v) { return spanRE.test(v); } },
    'cmi.core.lesson_location': { access: 'rw', check: upTo(255) },
    'cmi.suspend_data': { access: 'rw', check: upTo(4096) },
    'cmi.core.lesson_mode': { access: 'r' }
  };
  // each edition's error codes for the same faults
  var E = v2004 ? {
    none: 0, general: 101, twice: 103, afterEnd: 104, endBefore: 112, endAfter: 113, getBefore: 122, getAfter: 123,
    setBefore: 132, setAfter: 133, commitBefore: 142, commitAfter: 143, argument: 201, undefined: 401,
    notInitialised: 403, readOnly: 404, writeOnly: 405, type: 406
  } : {
    none: 0, general: 101, twice: 101, afterEnd: 101, endBefore: 301, endAfter: 101, getBefore: 301, getAfter: 101,
    setBefore: 301, setAfter: 101, commitBefore: 301, commitAfter: 101, argument: 201, undefined: 401,
    notInitialised: 0, readOnly: 403, writeOnly: 404, type: 405
  };
  var status = v2004 ? 'cmi.completion_status' : 'cmi.core.lesson_status';
  var exitEl = v2004 ? 'cmi.exit' : 'cmi.core.exit';
  var entryEl = v2004 ? 'cmi.entry' : 'cmi.core.entry';
  var kept = JSON.parse(localStorage.getItem(key) || 'null');
  var data = {};
  if (kept && kept.exit === 'suspend') {
    // the attempt goes on where it was left
    data = kept.data;
    data[entryEl] = 'resume';
  } else if (kept && !v2004) {
    // SCORM 1.2 keeps the status from session to session
    data[status] = kept.data[status];
    data[entryEl] = '';
  } else {
    // a first session, or (2004) a new attempt after a normal exit
    data[status] = v2004 ? 'unknown' : 'not attempted';
    data[entryEl] = 'ab-initio';
  }
  delete data[exitEl];
  delete data[v2004 ? 'cmi.session_time' : 'cmi.core.session_time'];
  data[v2004 ? 'cmi.mode' : 'cmi.core.lesson_mode'] = 'normal';
  if (v2004) data['cmi._version'] = '1.0';
  else data['cmi.core._children'] = 'lesson_status,entry,exit,session_time,lesson_location,lesson_mode';
  var state = 0; // 0 not initialised, 1 running, 2 terminated
  var error = 0;
  var sessions = [];
  window.calls = [];
  window.lmsData = function () { return JSON.parse(JSON.stringify(data)); };
  window.lmsSessions = sessions;
  function record(name, args, result) {
    window.calls.push([name].concat([].slice.call(args)).concat(['=' + result, '#' + error]));
    return result;
  }
  function flag(ok) { return ok ? 'true' : 'false'; }
  function emptyArg(args) { return args.length === 1 && args[0] === ''; }
  function commit() {
    localStorage.setItem(key, JSON.stringify({ data: data, exit: data[exitEl] === undefined ? '' : data[exitEl] }));
  }
  function initialize() {
    error = !emptyArg(arguments) ? E.argument : state === 1 ? E.twice : state === 2 ? E.afterEnd : E.none;
    if (!error) state = 1;
    return record(v2004 ? 'Initialize' : 'LMSInitialize', arguments, flag(!error));
  }
  function terminate() {
    error = !emptyArg(arguments) ? E.argument : state === 0 ? E.endBefore : state === 2 ? E.endAfter : E.none;
    if (!error) {
      commit();
      state = 2;
      sessions.push(window.lmsData());
    }
    return record(v2004 ? 'Terminate' : 'LMSFinish', arguments, flag(!error));
  }
  function getValue(name) {
    var value = '';
    var m = model[name];
    if (state !== 1) error = state === 0 ? E.getBefore : E.getAfter;
    else if (!m) error = E.undefined;
    else if (m.access === 'w') error = E.writeOnly;
    else if (data[name] === undefined) error = E.notInitialised;
    else { error = E.none; value = data[name]; }
    return record(v2004 ? 'GetValue' : 'LMSGetValue', arguments, value);
  }
  function setValue(name, value) {
    var m = model[name];
    if (arguments.length !== 2) error = E.argument;
    else if (state !== 1) error = state === 0 ? E.setBefore : E.setAfter;
    else if (!m) error = E.undefined;
    else if (m.access === 'r') error = E.readOnly;
    else if (typeof value !== 'string' || !m.check(value)) error = E.type;
    else { error = E.none; data[name] = value; }
    return record(v2004 ? 'SetValue' : 'LMSSetValue', arguments, flag(!error));
  }
  function commitCall() {
    error = !emptyArg(arguments) ? E.argument : state === 0 ? E.commitBefore : state === 2 ? E.commitAfter : E.none;
    if (!error) commit();
    return record(v2004 ? 'Commit' : 'LMSCommit', arguments, flag(!error));
  }
  var api = {
    GetLastError: function () { return String(error); },
    GetErrorString: function (code) { return 'error ' + code; },
    GetDiagnostic: function (code) { return 'error ' + code; }
  };
  if (v2004) {
    api.Initialize = initialize; api.Terminate = terminate; api.GetValue = getValue; api.SetValue = setValue; api.Commit = commitCall;
    window.API_1484_11 = api;
  } else {
    api.LMSInitialize = initialize; api.LMSFinish = terminate; api.LMSGetValue = getValue; api.LMSSetValue = setValue; api.LMSCommit = commitCall;
    api.LMSGetLastError = api.GetLastError; api.LMSGetErrorString = api.GetErrorString; api.LMSGetDiagnostic = api.GetDiagnostic;
    window.API = api;
  }
})();
