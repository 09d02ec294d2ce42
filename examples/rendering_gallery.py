"""Render every drawing option of microbp.draw, for docs/rendering.md.

    python examples/rendering_gallery.py --out docs/figures/rendering

Writes NAME.svg and NAME.dot for each figure (the DOT is what tests compare).
"""

import argparse
import random
from pathlib import Path

import microbp
from microbp import Value, lecture_neuron, scope


def tiny_network():
    """A 2-2-1 tanh network built by hand, with a scope per layer and per neuron."""
    rng = random.Random(0)
    x = [Value(1.0, label="x1"), Value(-2.0, label="x2")]
    for layer, width in enumerate([2, 1], start=1):
        with scope(f"layer {layer}"):
            outputs = []
            for index in range(1, width + 1):
                with scope(f"neuron {index}"):
                    w = [Value(round(rng.uniform(-1, 1), 2), label=f"w{layer}{index}{i + 1}") for i in range(len(x))]
                    b = Value(0.1, label=f"b{layer}{index}")
                    outputs.append(microbp.affine(w, x, b).tanh())
            x = outputs
    out = x[0]
    out.label = "y"
    out.backward()
    return out


def figures() -> dict:
    """figure name -> (root, options)."""
    o = lecture_neuron()
    w1 = next(node for node in microbp.topological_order(o) if node.label == "w1")
    net = tiny_network()
    return {
        "default": (o, {}),
        "before-backward": (lecture_neuron(backward=False), {}),
        "top-to-bottom": (o, {"rankdir": "TB"}),
        "data-only": (o, {"show": ("data",)}),
        "two-decimals": (o, {"number_format": ".2f"}),
        "dark": (o, {"theme": "dark"}),
        "print": (o, {"theme": "print"}),
        "color-by-grad": (o, {"color_by_grad": True}),
        "highlight-path": (o, {"highlight_path": w1}),
        "title": (o, {"title": "o = tanh(x1·w1 + x2·w2 + b)"}),
        "scopes": (net, {}),
        "collapsed-neurons": (net, {"collapse": 2}),
        "collapsed-layers": (net, {"collapse": 1}),
        "network": (net, {"view": "network"}),
        "network-print": (net, {"view": "network", "theme": "print"}),
        "network-dark": (net, {"view": "network", "theme": "dark", "rankdir": "TB"}),
        "network-textbook": (net, {"view": "network", "notation": "textbook"}),
        "layers": (moons_model(), {}),
    }


def moons_model():
    """micrograd's 2-16-16-1 moons MLP on one example, its squared error backpropagated: the layers view's."""
    from microbp.losses import mse
    from microbp.nn import MLP

    error = mse([MLP(2, [16, 16, 1], seed=0)([0.5, -1.0])], [1.0])
    error.backward()
    return error


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="docs/figures/rendering", help="folder for the figures")
    args = parser.parse_args(argv)
    folder = Path(args.out)
    for name, (root, options) in figures().items():
        microbp.render(root, folder / f"{name}.dot", **options)
        print(microbp.render(root, folder / f"{name}.svg", **options))


if __name__ == "__main__":
    main()
