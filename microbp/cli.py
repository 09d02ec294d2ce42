"""The ``microbp`` command line.

    microbp demo [-o DIR]     render the lecture neuron to DIR/neuron.svg and .png
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import MicrobpError

EXAMPLES = """examples:
  microbp demo                      render the lecture neuron into ./microbp-demo/
  microbp demo -o slides            ... into ./slides/
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="microbp", description="Backpropagation you can see, and derivatives checked by sympy.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    demo = commands.add_parser("demo", help="render the built-in example, the lecture neuron",
                               description="Render the lecture neuron o = tanh(x1·w1 + x2·w2 + b), "
                                           "after backward, to neuron.svg and neuron.png.")
    demo.add_argument("-o", "--out", default="microbp-demo", metavar="DIR",
                      help="folder to write into (default: %(default)s)")
    demo.set_defaults(run=run_demo)
    return parser


def run_demo(args) -> int:
    from .demo import lecture_neuron
    from .output import render

    o = lecture_neuron()
    folder = Path(args.out)
    for name in ("neuron.svg", "neuron.png"):
        print(render(o, folder / name, title="o = tanh(x1·w1 + x2·w2 + b), after o.backward()"))
    return 0


def main(argv=None) -> int:
    """Entry point of the ``microbp`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except MicrobpError as error:
        print(f"microbp {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
