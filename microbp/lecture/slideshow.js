(function () {
  var frames = Array.prototype.slice.call(document.querySelectorAll('.frame'));
  var counter = document.getElementById('counter');
  var live = document.getElementById('live');
  var current = 0;
  // Of a frame's drawings (left to right, top to bottom), show the one that the box draws largest:
  // the text's size on screen is its size in the drawing times the scale that fits the drawing in.
  function pickLayout(frame) {
    var box = frame.querySelector('.graph');
    var svgs = Array.prototype.slice.call(box.querySelectorAll('svg'));
    if (svgs.length < 2) { return; }
    svgs.forEach(function (svg) { svg.toggleAttribute('hidden', svg !== svgs[0]); });   // (an SVG has no .hidden)
    var room = box.getBoundingClientRect();
    var best = svgs[0], bestScale = -1;
    svgs.forEach(function (svg) {
      var view = svg.viewBox.baseVal;
      var scale = Math.min(room.width / view.width, room.height / view.height);
      if (scale > bestScale * 1.02) { best = svg; bestScale = scale; }
    });
    svgs.forEach(function (svg) { svg.toggleAttribute('hidden', svg !== best); });
  }
  // Show one frame and say which: the counter, the screen reader's live region, the address (#N).
  function show(index) {
    current = Math.max(0, Math.min(frames.length - 1, index));
    frames.forEach(function (frame, i) { frame.hidden = i !== current; });
    pickLayout(frames[current]);
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
  window.addEventListener('resize', function () { pickLayout(frames[current]); });
  fromHash();
})();
