(function () {
  var frames = Array.prototype.slice.call(document.querySelectorAll('.frame'));
  var counter = document.getElementById('counter');
  var live = document.getElementById('live');
  var current = 0;
  // Show one frame and say which: the counter, the screen reader's live region, the address (#N).
  function show(index) {
    current = Math.max(0, Math.min(frames.length - 1, index));
    frames.forEach(function (frame, i) { frame.hidden = i !== current; });
    counter.textContent = (current + 1) + ' / ' + frames.length;
    live.textContent = frames[current].querySelector('.caption').textContent;
    if (location.hash !== '#' + (current + 1)) { history.replaceState(null, '', '#' + (current + 1)); }
  }
  function fromHash() {
    var n = parseInt(location.hash.slice(1), 10);
    show(isNaN(n) ? 0 : n - 1);
  }
  // The Fullscreen API; Esc leaves full screen too.
  function toggleFullscreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
  }
  var moves = {ArrowRight: 1, ' ': 1, PageDown: 1, ArrowLeft: -1, PageUp: -1};
  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }   // the browser's own shortcuts
    if (moves.hasOwnProperty(event.key)) { show(current + moves[event.key]); }
    else if (event.key === 'Home') { show(0); }
    else if (event.key === 'End') { show(frames.length - 1); }
    else if (event.key === 'f' || event.key === 'F') { toggleFullscreen(); }
    else { return; }
    event.preventDefault();
  });
  document.getElementById('previous').addEventListener('click', function () { show(current - 1); });
  document.getElementById('next').addEventListener('click', function () { show(current + 1); });
  document.getElementById('fullscreen').addEventListener('click', toggleFullscreen);
  window.addEventListener('hashchange', fromHash);
  fromHash();
})();
