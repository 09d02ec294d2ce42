"""How much room text takes in a drawing, from a real font's widths: for circles that hold their text.

Figures name Helvetica; where it is not installed (Linux), Graphviz and browsers draw it with
DejaVu Sans, the widest of its usual stand-ins (Helvetica, Arial and Liberation Sans are
narrower). ``text_width`` reads DejaVu Sans's advance widths, so text sized with it fits
wherever it is drawn; a character the table does not hold counts as wide as its widest
letter (1 em). ``circle_for_table`` is the circle that holds a table of rows as Graphviz lays
it out (``CELLPADDING="0"``, no border or spacing), its shaded rows and a thick outline included.

>>> round(text_width("dE/dx₂", 18), 1), round(text_width("0.5", 10), 2)
(58.2, 15.9)
>>> widest = text_width("dE/dx₁ −0.003696", 18)
>>> round(widest), round(circle_for_table([("x₁", " 0.5"), ("dE/dx₁", " −0.003696")], 18))
(165, 184)
"""

from __future__ import annotations

# DejaVu Sans's advance widths, in thousandths of an em, of " " to "~" (its hmtx table; a test compares)
_ASCII = (318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636,
          636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775,
          752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390,
          337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
          635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838)
# and of the other characters microbp writes in figures: signs, subscripts, Newton's dots, spaces
_OTHERS = {"−": 838, "×": 838, "·": 318, "…": 1000, "\u00a0": 318, "\u2009": 200, "ẋ": 592, "ẏ": 592, "ẇ": 818, "Ė": 632,
           "\u0307": 0, "˙": 500, **{chr(0x2080 + digit): 401 for digit in range(10)}}
WIDTHS = {chr(32 + i): width / 1000 for i, width in enumerate(_ASCII)} | {c: w / 1000 for c, w in _OTHERS.items()}
UNKNOWN = 1.0           # em: a character not in WIDTHS, as wide as the widest letter
ROUNDING = (1.0, 0.4)   # points: Graphviz's text layout rounds glyphs to pixels: at most 1 + 0.4 per character wider
LINE = (1.1, 0.5)       # a line of a table in Graphviz: 1.1 points per point of type, rounded (+ 0.5 at most)
OVERSHOOT = 0.13        # em: a browser's box of a line of text reaches this far above Graphviz's row
CELL_PADDING = 0        # points around the text of each cell of the network view's tables (rows a line apart)
OUTLINE = 3             # points: the thickest outline a circle gets (the current step's)
GAP = 1                 # points between the text's corner and the inside of the outline


def text_width(text: str, fontsize: float) -> float:
    """The width, in points, of ``text`` set in DejaVu Sans at ``fontsize`` points (an upper bound)."""
    return sum(WIDTHS.get(character, UNKNOWN) for character in text) * fontsize


def laid_out_width(text: str, fontsize: float) -> float:
    """The most room Graphviz gives ``text`` in a table, in points: its width, each glyph rounded up."""
    return text_width(text, fontsize) + ROUNDING[0] + ROUNDING[1] * len(text)


def circle_for_table(rows: list, fontsize: float) -> float:
    """The diameter (points) of a circle that holds a table of (name, number) rows at ``fontsize``.

    Graphviz centres the table in the circle and makes every row's cells as wide as the widest
    name and number: a shaded row (the current step) is that wide, so the table's corners, and
    the browser's boxes of its text, must be inside, clear of the outline.
    """
    names = max(laid_out_width(name, fontsize) for name, _ in rows)
    numbers = max(laid_out_width(number, fontsize) for _, number in rows)
    width = names + numbers + 4 * CELL_PADDING
    height = len(rows) * (LINE[0] * fontsize + LINE[1] + 2 * CELL_PADDING) + 2 * OVERSHOOT * fontsize
    return (width * width + height * height) ** 0.5 + OUTLINE + 2 * GAP
