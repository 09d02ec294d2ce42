"""The lecture neuron: forward, backward, and its graph rendered.

    python examples/neuron.py --out out/neuron

o = tanh(x1·w1 + x2·w2 + b) with x1 = 2, x2 = 0, w1 = -3, w2 = 1, b = 6.8813...
"""

import argparse
from pathlib import Path

import microbp
from microbp import Value


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="out/neuron", help="folder for the figures (default: %(default)s)")
    args = parser.parse_args(argv)

    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    print(f"forward:  n = {n.data:.4f}, o = tanh(n) = {o.data:.4f}")
    o.backward()
    for leaf in (x1, w1, x2, w2, b):
        print(f"backward: do/d{leaf.label} = {leaf.grad:+.4f}")
    folder = Path(args.out)
    print(microbp.render(o, folder / "neuron.svg"))
    print(microbp.render(o, folder / "neuron.png"))
    return o


if __name__ == "__main__":
    main()
