"""Larger type on a screen the drawing already fills: said once, with the size it is shown at.

A slideshow scales each drawing to the room its screen leaves. Type smaller than the view's
usual size is smaller on the screen (the network view keeps its circles and spacing those of
its usual type); larger type grows the circles that must hold it, and where the text already
spans the drawing, the slide scales it back down: it cannot be shown larger without showing
less. ``say_if_type_cannot_grow`` draws the whole picture with the asked type and with the
view's usual type, compares the two as a 1920×1080 screen shows them, and when the larger type
shows under half of the growth asked for, says so (``TypeSizeWarning``) once, with the size
the slides show and what would show it larger. It says nothing of a theme's type (``"print"`` is
chosen for its contrast), nor of slides whose text is already ``COMFORTABLE`` (half as large
again as the back row of a room needs): those need no help.
"""

from __future__ import annotations

import warnings
from dataclasses import replace

from ..errors import TypeSizeWarning
from ..figures.themes import THEMES
from .slideshow_check import SMALLEST_TEXT, estimated_text

USUAL_THEME = "light"
COMFORTABLE = 1.5 * SMALLEST_TEXT[(1920, 1080)]     # px at 1920×1080: 36


def asked_type(view, drawing) -> tuple:
    """(the type size ``drawing`` asks of ``view``, in points; the view's usual size)."""
    return drawing.fontsize or THEMES[drawing.theme][view.type_size], THEMES[USUAL_THEME][view.type_size]


def say_if_type_cannot_grow(lecture, shown: float, caller: str = "slideshow") -> None:
    """Warn when ``lecture``'s ``fontsize`` is larger than its view's usual type, but its whole picture, drawn
    with each, shows it less than half of that growth larger, and under ``COMFORTABLE``; ``shown``: the
    slideshow's smallest text (px)."""
    drawing = lecture.options.drawing
    asked, usual = asked_type(lecture.view, drawing)
    if not drawing.fontsize or asked <= usual or not shown or shown >= COMFORTABLE:
        return
    growth = drawn_text(lecture, drawing) / drawn_text(lecture, replace(drawing, fontsize=None, theme=USUAL_THEME))
    if growth - 1 >= (asked / usual - 1) / 2:
        return
    what = f"fontsize={asked:g}"
    than = f"only {growth - 1:.0%} larger than" if growth >= 1.005 else "no larger than"
    warnings.warn(f"{caller}: {what} shows its smallest text at about {shown:.0f} px at 1920×1080, {than} the "
                  f"usual {usual:g}-point type: the drawing's text already spans the screen, so larger type is "
                  f"scaled back down to fit; only less text shows it larger: {lecture.view.less_text(drawing)}",
                  TypeSizeWarning, stacklevel=3)


def drawn_text(lecture, drawing) -> float:
    """About how high (px) the smallest text of ``lecture``'s whole picture, drawn as ``drawing`` says, is
    at 1920×1080 (the larger of the view's layouts, as the slideshow picks)."""
    from ..figures.render import image_bytes

    rankdirs = lecture.view.layouts if drawing.rankdir is None else [drawing.rankdir]
    pictures = [lecture.view.draw(lecture.graph, replace(drawing, rankdir=rankdir)) for rankdir in rankdirs]
    return estimated_text([image_bytes(picture, "svg").decode("utf-8") for picture in pictures])
