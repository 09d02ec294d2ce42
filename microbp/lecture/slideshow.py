"""A self-contained HTML slideshow of the lecture steps: fills any screen, works offline, prints a frame a page.

Everything is inline: the SVG frames, the style, the script. No fonts, images
or scripts are fetched, and the file holds no web address at all.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

from ..core.engine import Value
from ..core.graph import Graph

KEYS = ("→, space or Page Down: next step; ← or Page Up: previous step; "
        "Home / End: first / last step; f: full screen")

STYLE = """
/* A slide is the whole screen: the phase line, then the graph in all the room that is left,
   then the caption; the bar with the title and the buttons sits below, never over them. */
body { margin: 0; height: 100vh; height: 100dvh; display: grid; grid-template-rows: minmax(0, 1fr) auto;
       font-family: sans-serif; background: var(--background); color: var(--text); }
main { display: grid; min-height: 0; }
.frame { display: grid; grid-template-rows: auto minmax(0, 1fr) auto; min-height: 0; padding: 0 1rem; }
.frame[hidden] { display: none; }
.frame.with-code { grid-template-rows: auto minmax(0, 1fr) auto auto; }
.phase { margin: 0.4rem 0 0; font-size: clamp(0.8rem, 2vmin, 1.3rem); color: var(--muted);
         text-transform: uppercase; letter-spacing: 0.08em; }
/* The SVG has only its viewBox: it scales, up or down, to fit the box in width or in height. */
.graph { min-height: 0; }
.graph svg { display: block; width: 100%; height: 100%; }
/* Read from the back of the room: large, and smaller by --fit (set per caption) when it is long. */
.caption { margin: 0.3em 0 0.4em; font-family: serif; line-height: 1.25; text-align: center;
           font-size: calc(var(--fit, 1) * clamp(1.25rem, 4vmin, 3rem));
           max-height: 35vh; overflow: auto; overflow-wrap: anywhere; white-space: pre-line; }
/* The generated line that computes the step (code=True): the caption's story, as Python. */
.code { margin: 0 auto 0.5em; padding: 0.2em 0.6em; max-height: 20vh; overflow: auto; white-space: pre;
        font-size: calc(var(--fit, 1) * clamp(0.9rem, 2.8vmin, 2.1rem)); border-left: 4px solid var(--muted); }
footer { display: grid; grid-template-columns: 1fr auto 1fr; align-items: center; gap: 1rem;
         padding: 0.3rem 1rem; border-top: 1px solid var(--muted); font-size: 0.9rem; color: var(--muted); }
h1 { margin: 0; font-size: inherit; font-weight: normal; white-space: nowrap; overflow: hidden;
     text-overflow: ellipsis; }
nav { display: flex; gap: 1rem; align-items: center; }
nav button { font-size: 1.2rem; padding: 0.1rem 1rem; }
#fullscreen { font-size: 0.9rem; align-self: stretch; }
#counter { font-variant-numeric: tabular-nums; min-width: 5rem; text-align: center; color: var(--text); }
.hint { margin: 0; text-align: right; }
@media (max-width: 900px) { .hint { display: none; } }
/* Read out by screen readers only; pinned to the top, so it adds no blank page to a print-out. */
.visually-hidden { position: absolute; top: 0; left: 0; margin: 0; width: 1px; height: 1px; overflow: hidden;
                   clip: rect(0 0 0 0); }
/* Paper: every frame on a landscape page of its own (none after the last), no bar. */
@page { size: landscape; margin: 1cm; }
@media print {
  body { display: block; height: auto; background: white; color: black; }
  footer { display: none; }
  main { display: block; }
  .frame, .frame[hidden] { display: grid; height: 100vh; break-after: page; break-inside: avoid; }
  .frame:last-of-type { break-after: auto; }
  .caption { max-height: none; }
}
"""

SCRIPT = """
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
"""

CAPTION_ROOM = 200    # characters a caption may have at full size (about three lines on a 4:3 screen)
SMALLEST_CAPTION = 0.35     # the least --fit: a caption of 1600 characters, or longer


def slideshow(root: Value, path, title: str | None = None, collapse: int | None = None, **options) -> str:
    """Write the lecture of ``root`` as one HTML file; returns the path.

    Each step fills the screen, whatever its size or orientation: the graph is
    scaled up or down to the room the caption leaves. ←/→ (or space, Page
    Up/Down) step, Home/End jump, ``f`` toggles full screen, ``#12`` in the
    address opens step 12, and printing gives one landscape page per step.
    ``options`` go to ``microbp.lecture.steps.frames`` (``view="network"``, ``order``,
    ``learning_rate``, ``max_elements``) and ``microbp.draw`` (``theme="print"``
    suits projectors; ``fontsize``, ``size``). With ``code=True`` each step of
    the graph view shows, under its caption, the lines of ``microbp.codegen``'s
    program that compute it: the figure, the chain rule and the code tell one story. A lecture too large to draw is
    refused before any work, with ``GraphTooLargeError``.

    >>> import os, tempfile
    >>> from microbp import Value
    >>> path = slideshow(Value(0.5, label="x").sigmoid(), os.path.join(tempfile.mkdtemp(), "x.html"))
    >>> open(path).read().count('class="frame"')
    3
    """
    from ..figures.render import image_bytes
    from ..figures.themes import THEMES
    from ..files import output_file, write_atomically
    from .steps import frames

    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"slideshow: the file name must end in .html, got {str(path)!r}")
    path = output_file(path, "slideshow", example="lecture.html")
    graph = Graph.of(root) if isinstance(root, (Value, Graph)) else root
    code = _code_lines(graph, options) if options.pop("code", False) else None
    slides = frames(graph, collapse=collapse, captions=False, **options)   # the captions are HTML text
    sections = [_section(step, image_bytes(frame, "svg").decode("utf-8"), len(slides),
                         None if code is None else _step_code(step, code)) for step, frame in slides]
    heading = html.escape(title or f"Backpropagation, step by step ({len(slides)} steps)")
    page = _page(heading, sections, THEMES[options.get("theme", "light")])
    write_atomically(path, page.encode("utf-8"), "slideshow")
    return str(path)


def _section(step, svg: str, count: int, code: list | None = None) -> str:
    """One frame: its phase, its graph, its caption, and with ``code`` its generated lines (hidden unless first)."""
    number = step.index + 1
    fit = _caption_fit(step.caption)
    style = "" if fit == 1 else f' style="--fit: {fit:.2f}"'
    block = "" if code is None else f'<pre class="code"{style}>{html.escape(chr(10).join(code))}</pre>\n'
    return (f'<section class="frame{"" if code is None else " with-code"}" id="step-{number}" '
            f'aria-label="step {number} of {count}"{"" if number == 1 else " hidden"}>\n'
            f'<p class="phase">{step.phase}</p>\n'
            f'<div class="graph" aria-hidden="true">{_inline_svg(svg, prefix=f"s{step.index}-")}</div>\n'
            f'<p class="caption"{style}>{html.escape(step.caption)}</p>\n{block}</section>')


def _code_lines(graph, options: dict) -> tuple:
    """(each node's lines of ``microbp.codegen``'s program, the program), for ``code=True``."""
    from ..programs.program import Program

    if options.get("view", "graph") != "graph":
        raise ValueError("slideshow: code=True shows the generated program beside the graph view's steps; "
                         "leave out view='network', or code")
    program = Program(graph, wrt=graph.leaves)
    return {lines.node: lines for lines in program.lines()}, program


def _step_code(step, code: tuple) -> list:
    """The lines that compute what ``step`` computes: its nodes' values forward, their gradients backward."""
    lines, program = code
    if step.phase == "forward":
        return [line for node in step.nodes for line in lines[node].forward]
    if step.node is program.root:
        return [f"{program.names.of_grad(step.node)} = 1.0"]
    return [line for node in step.nodes for line in lines[node].into] or ["(no gradient flows here)"]


def _caption_fit(caption: str) -> float:
    """How much to shrink a caption's font so that it keeps to about the room of CAPTION_ROOM characters.

    The room a text takes grows with its length times its font size squared.

    >>> _caption_fit("∂o/∂o = 1"), _caption_fit("x" * 800)
    (1.0, 0.5)
    """
    return max(SMALLEST_CAPTION, min(1.0, math.sqrt(CAPTION_ROOM / max(len(caption), 1))))


def _page(heading: str, sections: list, theme: dict) -> str:
    """The whole document: the theme's colours, the frames, the bar with the title and the buttons."""
    colours = (f':root {{ --background: {theme["background"]}; --text: {theme["text"]}; '
               f'--muted: {theme["muted"]}; }}')
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{heading}</title>\n<style>\n{colours}{STYLE}</style>\n</head>\n<body>\n<main>\n'
            + "\n".join(sections) +
            f'\n<p id="live" class="visually-hidden" aria-live="polite"></p>\n</main>\n'
            f'<footer>\n<h1>{heading}</h1>\n'
            f'<nav aria-label="steps" title="{html.escape(KEYS)}">'
            f'<button id="previous" aria-label="previous step">←</button>'
            f'<span id="counter">1 / {len(sections)}</span>'
            f'<button id="next" aria-label="next step">→</button>'
            f'<button id="fullscreen" title="full screen (f)">full screen</button></nav>\n'
            f'<p class="hint">← → step · f full screen</p>\n</footer>\n'
            f'<script>{SCRIPT}</script>\n</body>\n</html>\n')


def _inline_svg(svg: str, prefix: str) -> str:
    """Graphviz's SVG made fit to sit inside HTML and to scale with its box.

    No prolog, namespaces or comments; unique ids; and no fixed ``width`` and
    ``height``, so the viewBox alone sets the shape and CSS the size.

    >>> _inline_svg('<?xml version="1.0"?><svg width="80pt" height="40pt" viewBox="0 0 80 40" xmlns="x">'
    ...             '<g id="graph0"/></svg>', prefix="s1-")
    '<svg viewBox="0 0 80 40" preserveAspectRatio="xMidYMid meet"><g id="s1-graph0"/></svg>'
    """
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    svg = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg)
    svg = re.sub(r'\bid="', f'id="{prefix}', svg)
    tag_end = svg.index(">")
    tag = re.sub(r'\s+(width|height)="[^"]*"', "", svg[:tag_end])
    return (tag + ' preserveAspectRatio="xMidYMid meet"' + svg[tag_end:]).strip()
