"""The ``microbp`` command line: demo, render, grad, check, steps.

Errors in what was typed (bad syntax, an unknown name, a value outside an
operation's domain) print one message with a caret and exit with status 2;
``grad`` and ``check`` exit with 1 when the answer is "no".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import DomainError, ExpressionError, MicrobpError

EXAMPLES = """examples:
  microbp demo                                   render the lecture neuron into ./microbp-demo/
  microbp render "tanh(x*w + b)" x=2 w=-3 b=6.8814 -o neuron.svg
  microbp grad "sigmoid(w*x)" w=0.5 x=2          gradients: engine | sympy | finite difference
  microbp check "sigmoid(z)" --wrt z --claimed "sigmoid(z)*(1 - sigmoid(z))"
  microbp steps "tanh(x*w + b)" x=2 w=-3 b=6.8814 -o lecture.html
"""


class UsageError(Exception):
    """Something typed on the command line is wrong (exit status 2)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="microbp", description="Backpropagation you can see, and derivatives checked by sympy.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    demo = commands.add_parser("demo", help="render the built-in example, the lecture neuron",
                               description="Render the lecture neuron o = tanh(x1·w1 + x2·w2 + b), "
                                           "after backward, to neuron.svg and neuron.png, and its "
                                           "step-by-step slideshow to neuron-steps.html.")
    demo.add_argument("-o", "--out", default="microbp-demo", metavar="DIR",
                      help="folder to write into (default: %(default)s)")
    demo.set_defaults(run=run_demo)

    render = commands.add_parser("render", help="parse an expression, backpropagate, render its graph",
                                 epilog='example: microbp render "tanh(x*w + b)" x=2 w=-3 b=6.88 -o n.svg')
    _expression_arguments(render)
    render.add_argument("-o", "--out", required=True, metavar="FILE", help="output: .svg, .png, .pdf or .dot")
    render.add_argument("--theme", default="light", choices=["light", "dark", "print"])
    render.add_argument("--rankdir", default="LR", choices=["LR", "TB"])
    render.set_defaults(run=run_render)

    grad = commands.add_parser("grad", help="value and gradients, checked against sympy and finite differences",
                               epilog='example: microbp grad "sigmoid(w*x)" w=0.5 x=2')
    _expression_arguments(grad)
    grad.set_defaults(run=run_grad)

    lecture = commands.add_parser("steps", help="the forward and backward pass one step at a time, as slides",
                                  epilog='example: microbp steps "tanh(x*w + b)" x=2 w=-3 b=6.88 -o lecture.html')
    _expression_arguments(lecture)
    lecture.add_argument("-o", "--out", required=True, metavar="FILE.html|FOLDER/",
                         help="an .html slideshow, or a folder (ending in /) for one SVG frame per step")
    lecture.add_argument("--theme", default="light", choices=["light", "dark", "print"])
    lecture.set_defaults(run=run_steps)

    check = commands.add_parser("check", help="is a claimed derivative right?",
                                epilog='example: microbp check "x**3" --wrt x --claimed "3*x**2"')
    check.add_argument("expression", help="the function, e.g. 'tanh(w*x + b)'")
    check.add_argument("--wrt", required=True, metavar="NAME", help="the variable to differentiate by")
    check.add_argument("--claimed", required=True, metavar="FORMULA", help="the derivative you claim")
    check.add_argument("values", nargs="*", metavar="NAME=VALUE", help="fix variables for the numeric check")
    check.set_defaults(run=run_check)
    return parser


def _expression_arguments(command) -> None:
    from .expressions import allowed_names

    command.add_argument("expression", help=f"e.g. 'tanh(x*w + b)'; functions: {allowed_names()}")
    command.add_argument("values", nargs="*", metavar="NAME=VALUE", help="a value for every name")


def _values(pairs) -> dict:
    values = {}
    for pair in pairs:
        name, equals, number = pair.partition("=")
        if not equals or not name.isidentifier():
            raise UsageError(f"expected NAME=VALUE, got {pair!r}")
        try:
            values[name] = float(number)
        except ValueError:
            raise UsageError(f"{name}: {number!r} is not a number") from None
    return values


def _graph(args):
    from .expressions import parse

    root = parse(args.expression, **_values(args.values))
    if not hasattr(root, "backward"):
        raise UsageError(f"{args.expression!r} has no variables: nothing to differentiate")
    root.backward()
    return root


def run_demo(args) -> int:
    from .demo import lecture_neuron
    from .output import render

    from .slides import slideshow

    o = lecture_neuron()
    folder = Path(args.out)
    for name in ("neuron.svg", "neuron.png"):
        print(render(o, folder / name, title="o = tanh(x1·w1 + x2·w2 + b), after o.backward()"))
    print(slideshow(o, folder / "neuron-steps.html", title="The lecture neuron, o = tanh(x1·w1 + x2·w2 + b)"))
    return 0


def run_render(args) -> int:
    from .output import render

    root = _graph(args)
    print(render(root, args.out, theme=args.theme, rankdir=args.rankdir, title=args.expression))
    return 0


def run_grad(args) -> int:
    from .symbolic import verify

    root = _graph(args)
    report = verify(root)
    print(f"value: {root.data:.10g}")
    print(report)
    return 0 if report.ok else 1


def run_steps(args) -> int:
    from .lecture import render_steps
    from .slides import slideshow

    root = _graph(args)
    if args.out.endswith(("/", "\\")) or Path(args.out).is_dir():
        paths = render_steps(root, args.out, theme=args.theme)
        print(f"{len(paths)} frames in {args.out}")
    else:
        print(slideshow(root, args.out, title=args.expression, theme=args.theme))
    return 0


def run_check(args) -> int:
    from .symbolic import check_derivation

    result = check_derivation(args.expression, args.wrt, args.claimed, **_values(args.values))
    print(result)
    return 0 if result.ok else 1


def main(argv=None) -> int:
    """Entry point of the ``microbp`` console script; returns the exit status."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:           # NAME=VALUE pairs may also come after the options
        if not hasattr(args, "values") or not all("=" in item and not item.startswith("-") for item in extra):
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        args.values = args.values + extra
    try:
        return args.run(args)
    except (UsageError, ExpressionError, DomainError) as error:
        print(f"microbp {args.command}: {error}", file=sys.stderr)
        return 2
    except MicrobpError as error:
        print(f"microbp {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
