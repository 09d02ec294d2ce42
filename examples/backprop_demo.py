"""The classic step-by-step backpropagation example, computed by microbp and checked by sympy.

    python examples/backprop_demo.py --out out/backprop [--slides out/backprop]

The network of Google's Machine Learning Crash Course backpropagation
walkthrough: 1 input, two hidden layers of 2 sigmoid units and 1 sigmoid
output, squared error E = ½(y5 − t)². Every unit j has a total input
x_j = Σ_i w_ij·y_i and an output y_j = σ(x_j). After backward, the engine's
gradients are exactly the quantities the walkthrough derives by hand:
dE/dy_j, dE/dx_j = dE/dy_j · y_j(1 − y_j), and dE/dw_ij = y_i · dE/dx_j.

It draws the network as the walkthrough does (``view="network"``: a circle per
unit, the weights on the edges) to backprop.svg, and with ``--slides`` writes
the lecture, output layer first, to backprop.html.
"""

import argparse
from pathlib import Path

import microbp
import microbp.demo
import microbp.lecture.steps

LAYERS, WEIGHTS = microbp.demo.LAYERS, microbp.demo.WEIGHTS   # unit names by layer (unit 0: the input); w_ij


def build(input_value=1.0, target=0.2):
    """(E, units, weights): units[j] = (x_j, y_j) Values; weights[(i, j)] = w_ij.

    The network is ``microbp.demo.walkthrough_network``; its values are found by their labels.
    """
    error = microbp.demo.walkthrough_network(backward=False, input_value=input_value, target=target)
    nodes = {node.label: node for node in microbp.topological_order(error)}
    units = {"0": (None, nodes["y0"])}
    units.update({j: (nodes[f"x{j}"], nodes[f"y{j}"]) for layer in LAYERS for j in layer})
    weights = {key: nodes[f"w{key[0]}{key[1]}"] for key in WEIGHTS}
    return error, units, weights


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="out/backprop", help="folder for the figures (default: %(default)s)")
    parser.add_argument("--slides", metavar="FOLDER", help="also write the step-by-step slideshow there")
    args = parser.parse_args(argv)

    error, units, weights = build()
    error.backward()
    print(f"E = ½(y5 − t)² = {error.data:.6f}\n")
    for layer in reversed(LAYERS):
        for j in layer:
            x, y = units[j]
            print(f"unit {j}: dE/dy{j} = {y.grad:+.6f}   dE/dx{j} = dE/dy{j}·y{j}(1−y{j}) = {x.grad:+.6f}")
        for (i, j), w in weights.items():
            if j in layer:
                print(f"        dE/dw{i}{j} = y{i}·dE/dx{j} = {w.grad:+.6f}")
    report = microbp.verify(error)
    print("\nchecked against sympy and finite differences:")
    print(report)
    folder = Path(args.out)
    print(microbp.render(error, folder / "backprop.svg", view="network"))
    if args.slides:
        print(microbp.slideshow(error, Path(args.slides) / "backprop.html", view="network", title=TITLE))
    return error, units, weights, report


TITLE = "Backpropagation in the 1-2-2-1 network of the walkthrough"
FRAMES = {"forward": 2, "backward-dE-dy1": 18, "update": 29}    # a few frames of the lecture, for the docs


def figure_frames() -> dict:
    """name -> a frame (graphviz.Digraph) of the network's lecture, with its caption: for docs/figures."""
    error = build()[0]
    frames = microbp.lecture.steps.frames(error, view="network")
    return {name: frames[index][1] for name, index in FRAMES.items()}


if __name__ == "__main__":
    main()
