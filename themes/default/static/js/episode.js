// otpress episode player. Optional: without it every timestamp is a plain
// link to the audio at that moment (audio.mp3#t=83), which browsers open
// and play from there. With it, a timestamp on the page seeks the player
// instead, and the transcript paragraph being heard carries
// aria-current="time" (and a visible mark). It never scrolls the page and
// never announces anything: the reader stays where they are.
(function () {
  'use strict';
  var audio = document.querySelector('.player audio');
  if (!audio) return;
  var paras = Array.prototype.slice.call(document.querySelectorAll('#transcript p[data-start]'));
  var current = null;

  // the paragraph being heard at time t: the last one starting at or before t
  function mark(t) {
    var at = null;
    for (var i = 0; i < paras.length; i++) {
      if (+paras[i].getAttribute('data-start') <= t + 0.25) at = paras[i]; else break;
    }
    if (at === current) return;
    if (current) current.removeAttribute('aria-current');
    if (at) at.setAttribute('aria-current', 'time');
    current = at;
  }

  // seconds from a link to this player's audio with a media fragment
  // ("…/audio.mp3#t=83"), or -1 for any other link
  function seconds(a) {
    var url = new URL(a.href, location.href), src = new URL(audio.currentSrc || audio.src, location.href);
    if (url.origin + url.pathname !== src.origin + src.pathname) return -1;
    var m = /^#t=(\d+(?:\.\d+)?)$/.exec(url.hash);
    return m ? +m[1] : -1;
  }

  document.addEventListener('click', function (e) {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return; // new tab and the like: leave them be
    var a = e.target.closest && e.target.closest('a[href]');
    if (!a || a.hasAttribute('download')) return;
    var t = seconds(a);
    if (t < 0) return;
    e.preventDefault();
    audio.currentTime = t;
    mark(t);
    var played = audio.play();
    if (played && played.catch) played.catch(function () {}); // the reader can still press play
  });
  audio.addEventListener('timeupdate', function () { mark(audio.currentTime); });
  audio.addEventListener('seeked', function () { mark(audio.currentTime); });
})();
