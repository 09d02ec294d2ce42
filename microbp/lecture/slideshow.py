"""A self-contained HTML slideshow of the lecture steps: fills any screen, works offline, prints a frame a page.

Everything is inline: the SVG frames, the style, the script (``slideshow.css``
and ``slideshow.js``, package data beside this module). No fonts, images or
scripts are fetched, and the file holds no web address at all.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import replace
from importlib import resources

from ..core.engine import Value
from ..errors import UnreadableSlidesWarning
from .planning import lecture_steps, plan
from .slideshow_check import SMALLEST_TEXT, estimated_text
from .type_size import say_if_type_cannot_grow

KEYS = ("→, space or Page Down: next step; ← or Page Up: previous step; "
        "Home / End: first / last step; f: full screen")


CAPTION_ROOM = 200    # characters a caption may have at full size (about three lines on a 4:3 screen)
SMALLEST_CAPTION = 0.35     # the least --fit: a caption of 1600 characters, or longer


def slideshow(root: Value, path, title: str | None = None, collapse: int | None = None, code: bool = False,
              view: str = "auto", checks: bool = False, **options) -> str:
    """Write the lecture of ``root`` as one HTML file; returns the path.

    Each step fills the screen, whatever its size or orientation: the graph is
    scaled up or down to the room the caption leaves. ←/→ (or space, Page
    Up/Down) step, Home/End jump, ``f`` toggles full screen, ``#12`` in the
    address opens step 12, and printing gives one landscape page per step.
    The view is ``"auto"`` unless ``view`` says: the network view for a network (the layers view,
    a box per layer, for one with more than 12 weights into a layer), else the graph view. Each
    frame carries a left-to-right and a top-to-bottom drawing (unless ``rankdir`` is given) and
    the page shows the one that draws the text larger on the screen at hand; a lecture
    whose text would be under 24 px at 1920×1080 says so (``UnreadableSlidesWarning``), and
    ``microbp.check_projector(path)`` measures it in a browser.
    ``options`` go to ``microbp.lecture.steps.frames`` (``view="network"``, ``order``,
    ``learning_rate``, ``max_elements``) and ``microbp.draw`` (``theme="print"``
    suits projectors; ``fontsize``, ``size``). With ``code=True`` each step of
    the graph view shows, under its caption, the lines of ``microbp.codegen``'s
    program that compute it: the figure, the chain rule and the code tell one story (its domain checks,
    ``check_log(x)``, only with ``checks=True``). A lecture too large to draw is
    refused before any work, with ``GraphTooLargeError``.

    >>> import os, tempfile
    >>> from microbp import Value
    >>> path = slideshow(Value(0.5, label="x").sigmoid(), os.path.join(tempfile.mkdtemp(), "x.html"))
    >>> open(path).read().count('class="frame"')
    3
    """
    from ..figures.render import image_bytes
    from ..figures.themes import THEMES
    from ..files import html_file, write_atomically

    path = html_file(path, "slideshow", "lecture.html")
    lecture = plan(root, "slideshow", view, {"code": code}, collapse=collapse, captions=False, **options)  # captions: HTML text
    if code and not lecture.view.shows_program:
        raise ValueError(f"slideshow: code=True shows the generated program beside the graph view's steps; "
                         f"leave out view={lecture.view.name!r}, or code")
    program = _code_lines(lecture.graph, checks) if code else None
    slides = [(step, [(rankdir, image_bytes(frame, "svg").decode("utf-8")) for rankdir, frame in pictures])
              for step, pictures in _layouts(lecture)]
    smallest = min((estimated_text([svg for _, svg in svgs]) for _, svgs in slides), default=0.0)
    _warn_if_unreadable(lecture, smallest)
    say_if_type_cannot_grow(lecture, smallest)
    sections = [section(step, svgs, len(slides), None if program is None else _step_code(step, program))
                for step, svgs in slides]
    subject = "Forward mode" if lecture.options.mode == "forward" else "Backpropagation"
    heading = html.escape(title or f"{subject}, step by step ({len(slides)} steps)")
    document = page(heading, sections, THEMES[lecture.options.drawing.theme])
    write_atomically(path, document.encode("utf-8"), "slideshow")
    return str(path)


def _warn_if_unreadable(lecture, smallest: float) -> None:
    """Say so (``UnreadableSlidesWarning``) when the smallest text would be under 24 px at 1920×1080,
    and what would draw it larger: less per frame, larger type, or the other views' offers (the network
    view, for a network drawn as a graph)."""
    import warnings

    least = SMALLEST_TEXT[(1920, 1080)]
    if not smallest or smallest >= least:
        return
    offers = lecture.view.instead(lecture.graph)       # ", or view='network' to draw its 5 units as circles, ..."
    instead = ("draw less per frame (collapse=1, or a smaller graph), or pass theme='print' or a larger fontsize"
               + offers)
    warnings.warn(f"slideshow: at 1920×1080 its smallest text would be about {smallest:.0f} px, under the "
                  f"{least:g} px a projector needs; {instead}; microbp.check_projector(path) measures every frame",
                  UnreadableSlidesWarning, stacklevel=3)


def _layouts(lecture) -> list:
    """(step, [(rankdir, picture), ...]) per step: the view's layouts (left to right and top to bottom),
    unless ``rankdir`` was given.

    The page carries them all; its script shows the one that draws the text larger on the screen at hand
    (left to right on a wide screen, top to bottom on a tall one).
    """
    steps_made, drawing = lecture_steps(lecture), lecture.options.drawing
    rankdirs = list(lecture.view.layouts) if drawing.rankdir is None else [drawing.rankdir]

    def pictures(rankdir: str) -> list:
        options = replace(lecture.options, drawing=replace(drawing, rankdir=rankdir))
        return [picture for _, picture in lecture.view.frames(lecture.graph, steps_made, options)]

    layouts = [pictures(rankdir) for rankdir in rankdirs]
    return [(step, list(zip(rankdirs, frames))) for step, *frames in zip(steps_made, *layouts)]


def section(step, svgs: list, count: int, code: list | None = None) -> str:
    """One frame: its phase, its graph (one SVG per layout, all but the first hidden), its caption,
    and with ``code`` its generated lines (hidden unless first)."""
    number = step.index + 1
    fit = _caption_fit(step.caption)
    style = "" if fit == 1 else f' style="--fit: {fit:.2f}"'
    block = "" if code is None else f'<pre class="code"{style}>{html.escape(chr(10).join(code))}</pre>\n'
    pictures = "".join(_inline_svg(svg, prefix=f"s{step.index}{rankdir}-", layout=rankdir, hidden=i > 0)
                       for i, (rankdir, svg) in enumerate(svgs))
    return (f'<section class="frame{"" if code is None else " with-code"}" id="step-{number}" '
            f'aria-label="step {number} of {count}"{"" if number == 1 else " hidden"}>\n'
            f'<p class="phase">{step.phase}</p>\n'
            f'<div class="graph" aria-hidden="true">{pictures}</div>\n'
            f'<p class="caption"{style}>{html.escape(step.caption)}</p>\n{block}</section>')


def _code_lines(graph, checks: bool = False) -> tuple:
    """(each node's lines of ``microbp.codegen``'s program, the program), for ``code=True``."""
    from ..programs.program import Program

    program = Program(graph, wrt=graph.leaves, checks=checks)
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


def page(heading: str, sections: list, theme: dict) -> str:
    """The whole document: the theme's colours, the frames, the bar with the title and the buttons."""
    colours = (f':root {{ --background: {theme["background"]}; --text: {theme["text"]}; '
               f'--muted: {theme["muted"]}; }}')
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{heading}</title>\n<style>\n{colours}\n{_asset("slideshow.css")}</style>\n</head>\n<body>\n<main>\n'
            + "\n".join(sections) +
            f'\n<p id="live" class="visually-hidden" aria-live="polite"></p>\n</main>\n'
            f'<footer>\n<h1>{heading}</h1>\n'
            f'<nav aria-label="steps" title="{html.escape(KEYS)}">'
            f'<button id="previous" aria-label="previous step">←</button>'
            f'<span id="counter">1 / {len(sections)}</span>'
            f'<button id="next" aria-label="next step">→</button>'
            f'<button id="fullscreen" title="full screen (f)">full screen</button></nav>\n'
            f'<p class="hint">← → step · f full screen</p>\n</footer>\n'
            f'<script>\n{_asset("slideshow.js")}</script>\n</body>\n</html>\n')


def _asset(name: str) -> str:
    """A file of package data beside this module (``slideshow.css``, ``slideshow.js``), as text.

    >>> "function show(index)" in _asset("slideshow.js")
    True
    """
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _inline_svg(svg: str, prefix: str, layout: str = "LR", hidden: bool = False) -> str:
    """Graphviz's SVG made fit to sit inside HTML and to scale with its box.

    No prolog, namespaces or comments; unique ids; and no fixed ``width`` and
    ``height``, so the viewBox alone sets the shape and CSS the size. ``layout``
    names its direction, for the script that picks one; ``hidden`` hides it until then.

    >>> _inline_svg('<?xml version="1.0"?><svg width="80pt" height="40pt" viewBox="0 0 80 40" xmlns="x">'
    ...             '<g id="graph0"/></svg>', prefix="s1-")
    '<svg viewBox="0 0 80 40" preserveAspectRatio="xMidYMid meet" data-layout="LR"><g id="s1-graph0"/></svg>'
    """
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    svg = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg)
    svg = re.sub(r'\bid="', f'id="{prefix}', svg)
    tag_end = svg.index(">")
    tag = re.sub(r'\s+(width|height)="[^"]*"', "", svg[:tag_end])
    shown = f' data-layout="{layout}"' + (" hidden" if hidden else "")
    return (tag + ' preserveAspectRatio="xMidYMid meet"' + shown + svg[tag_end:]).strip()
