"""A self-contained HTML slideshow of the lecture steps: works offline, prints one frame per page.

Everything is inline: the SVG frames, the style, the script. No fonts, images
or scripts are fetched, and the file holds no web address at all.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from .engine import Value

STYLE = """
body { margin: 0; font-family: sans-serif; background: #fafafa; color: #1a1a1a; }
main { max-width: 1400px; margin: 0 auto; padding: 1rem 1rem 5rem; }
h1 { font-size: 1.2rem; font-weight: normal; color: #555; }
.frame[hidden] { display: none; }
.graph svg { max-width: 100%; height: auto; }
.caption { font-size: 1.6rem; font-family: serif; margin: 1rem 0; }
.phase { font-size: 0.9rem; color: #777; text-transform: uppercase; letter-spacing: 0.08em; }
nav { position: fixed; bottom: 0; left: 0; right: 0; background: #fff; border-top: 1px solid #ddd;
      display: flex; gap: 1rem; justify-content: center; align-items: center; padding: 0.5rem; }
nav button { font-size: 1.2rem; padding: 0.2rem 1rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
#counter { font-variant-numeric: tabular-nums; min-width: 6rem; text-align: center; }
@media print {
  nav, h1 { display: none; }
  .frame, .frame[hidden] { display: block !important; page-break-after: always; break-after: page; }
  main { padding: 0; }
}
"""

SCRIPT = """
(function () {
  var frames = Array.prototype.slice.call(document.querySelectorAll('.frame'));
  var counter = document.getElementById('counter');
  var live = document.getElementById('live');
  var current = 0;
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
  document.addEventListener('keydown', function (event) {
    if (event.key === 'ArrowRight' || event.key === ' ' || event.key === 'PageDown') { show(current + 1); }
    else if (event.key === 'ArrowLeft' || event.key === 'PageUp') { show(current - 1); }
    else if (event.key === 'Home') { show(0); }
    else if (event.key === 'End') { show(frames.length - 1); }
    else { return; }
    event.preventDefault();
  });
  document.getElementById('previous').addEventListener('click', function () { show(current - 1); });
  document.getElementById('next').addEventListener('click', function () { show(current + 1); });
  window.addEventListener('hashchange', fromHash);
  fromHash();
})();
"""


def slideshow(root: Value, path, title: str | None = None, collapse: int | None = None, **options) -> str:
    """Write the lecture of ``root`` as one HTML file; returns the path.

    ←/→ (or space) step, Home/End jump, ``#12`` in the address opens step 12,
    and printing gives one frame per page. ``options`` go to ``microbp.draw``
    (``theme="print"`` suits projectors).

    >>> import os, tempfile
    >>> from microbp import Value
    >>> path = slideshow(Value(0.5, label="x").sigmoid(), os.path.join(tempfile.mkdtemp(), "x.html"))
    >>> open(path).read().count('class="frame"')
    3
    """
    from .lecture import frames
    from .output import image_bytes, write_atomically
    from .paths import output_file

    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"slideshow: the file name must end in .html, got {str(path)!r}")
    path = output_file(path, "slideshow", example="lecture.html")
    slides = frames(root, collapse=collapse, captions=False, **options)   # the captions are HTML text
    sections = []
    for step, frame in slides:
        svg = _inline_svg(image_bytes(frame, "svg").decode("utf-8"), prefix=f"s{step.index}-")
        sections.append(
            f'<section class="frame" id="step-{step.index + 1}" aria-label="step {step.index + 1} of '
            f'{len(slides)}"{"" if step.index == 0 else " hidden"}>\n'
            f'<p class="phase">{step.phase}</p>\n<div class="graph" aria-hidden="true">{svg}</div>\n'
            f'<p class="caption">{html.escape(step.caption)}</p>\n</section>')
    heading = html.escape(title or f"Backpropagation, step by step ({len(slides)} steps)")
    page = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{heading}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{heading}</h1>\n'
            + "\n".join(sections) +
            f'\n<p id="live" class="visually-hidden" aria-live="polite"></p>\n</main>\n'
            f'<nav><button id="previous" aria-label="previous step">←</button>'
            f'<span id="counter">1 / {len(slides)}</span>'
            f'<button id="next" aria-label="next step">→</button></nav>\n'
            f'<script>{SCRIPT}</script>\n</body>\n</html>\n')
    write_atomically(path, page.encode("utf-8"), "slideshow")
    return str(path)


def _inline_svg(svg: str, prefix: str) -> str:
    """Graphviz's SVG made fit to sit inside HTML: no prolog, no namespaces or comments, unique ids."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    svg = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg)
    svg = re.sub(r'\bid="', f'id="{prefix}', svg)
    return svg.strip()
