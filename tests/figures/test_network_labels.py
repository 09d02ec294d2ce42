"""Top to bottom, each weight's label reads as its own edge's: read off the rendered SVG.

The labels of the edges into a layer stand in one row; a student reads them left to right
with the units below. They must come in the order of the units they feed (every label of
unit 2 before any of unit 3), and each must sit where an edge into its own unit passes.
"""

import math
import re
import xml.etree.ElementTree as ET

import pytest

from microbp.figures.network_view import draw_network
from microbp.losses import mse
from microbp.nn import MLP

SVG = "{http://www.w3.org/2000/svg}"
SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


def mlp_2_3_1():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    error = mse([model([0.5, -1.0])], [1.0])
    error.backward()
    return error


def path_points(d: str) -> list:
    """Points along an SVG path of cubic Béziers (Graphviz's ``M x,y C ...``), 20 per piece."""
    points = [tuple(map(float, pair.split(","))) for pair in re.findall(r"-?[\d.]+,-?[\d.]+", d)]
    along = []
    for i in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[i:i + 4]
        along += [tuple((1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t ** 2 * c + t ** 3 * e
                        for a, b, c, e in zip(p0, p1, p2, p3)) for t in (k / 20 for k in range(21))]
    return along


def weight_labels(svg: str):
    """(unit index, label box (left, top, right, bottom), its widths estimated) per weight label, and
    unit index -> points along the edges into it."""
    labels, edges = [], {}
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        head = re.search(r"->u(\d+)$", group.find(f"{SVG}title").text or "")
        if group.get("class") == "edge" and head:
            edges.setdefault(int(head.group(1)), []).extend(path_points(group.find(f"{SVG}path").get("d")))
        texts = group.findall(f"{SVG}text")
        name = re.match(r"[wb]([₀-₉]+)", texts[0].text or "") if texts else None
        if name:
            size = float(texts[0].get("font-size"))
            spans = [_span(float(t.get("x")), 0.55 * size * len(t.text), t.get("text-anchor")) for t in texts]
            ys = [float(t.get("y")) for t in texts]
            box = (min(a for a, _ in spans), min(ys) - 0.8 * size, max(b for _, b in spans), max(ys) + 0.2 * size)
            labels.append((int(name.group(1).translate(SUBSCRIPTS)[-1]), box))
    return labels, edges


def _span(x: float, width: float, anchor: str) -> tuple:
    """A line of text's left and right (its width estimated) from its x and its anchor."""
    left = {"start": x, "middle": x - width / 2}.get(anchor, x - width)
    return left, left + width


def inside(point, box, margin: float = 0.0) -> bool:
    """Whether ``point`` is inside ``box`` less ``margin`` on each side."""
    return box[0] + margin <= point[0] <= box[2] - margin and box[1] + margin <= point[1] <= box[3] - margin


def distance(point, box) -> float:
    return math.hypot(max(box[0] - point[0], 0, point[0] - box[2]), max(box[1] - point[1], 0, point[1] - box[3]))


def measured(root, **options):
    """The first layer's labels in the drawing of ``root``: their units, left to right; the farthest a label
    is from an edge into its unit (in font sizes); the labels an edge into another unit crosses."""
    svg = draw_network(root, **options).pipe(format="svg").decode()
    labels, edges = weight_labels(svg)
    first = sorted((box, unit) for unit, box in labels if unit in (2, 3, 4))
    farthest = max(min(distance(point, box) for point in edges[unit]) for box, unit in first)
    crossed = [(unit, other) for box, unit in first for other in edges if other != unit
               if any(inside(point, box, 4) for point in edges[other])]
    return [unit for _, unit in first], farthest / 18, crossed


@pytest.mark.needs_dot
def test_top_to_bottom_the_labels_stand_in_the_order_of_their_units_on_their_own_edges():
    units, farthest, crossed = measured(mlp_2_3_1(), rankdir="TB")
    assert units == sorted(units) == [2, 2, 2, 3, 3, 3, 4, 4, 4], units
    assert farthest < 0.5, farthest     # the label sits on its edge, not a unit's width away
    assert crossed == []                # no edge into another unit runs through a label


@pytest.mark.needs_dot
def test_the_picture_has_each_label_once_and_left_to_right_still_on_the_edges():
    source = draw_network(mlp_2_3_1(), rankdir="TB").source
    assert source.count("w₀₂ ") == 1 and source.count("b₄ ") == 1
    left_to_right = draw_network(mlp_2_3_1(), rankdir="LR").source
    assert "decorate=true" in left_to_right and "shape=plaintext" not in left_to_right
