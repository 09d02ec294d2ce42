"""The ``microbp`` command line: demo, render, grad, check, steps, live, codegen, check-slides.

Exit status: 0 when done (``check``: the claim is proved); 1 when ``grad`` or
``check`` answers "no" (and when Graphviz is missing or fails, or on an
internal error); 2 when the input is wrong or asks for too much; 3 when
``check`` finds the claim right at every point it tried but cannot prove it. A failure prints one line on stderr that says what
is wrong and what to do, never a traceback; a parse error adds the expression
with a caret under the column.

Limits, each with the option that raises it: ``render`` draws at most
``--max-nodes`` 200 nodes, ``steps`` 60 (two slides a node, each drawn by
dot), ``grad`` checks at most 200 (sympy and finite differences for every
variable); ``grad`` and ``check`` give up after ``--timeout`` 60 seconds
(sympy can take minutes on a product of a few ``tanh``).

>>> main(["grad", "x*x", "x=3"])
value: 9
leaf  value  engine  sympy  finite diff.  ok
x     3      6       6      6             yes
all gradients agree (rtol 1e-06)
0
"""

from __future__ import annotations

import argparse
import math
import os
import sys

from ..core.engine import Value
from ..core.graph import topological_order
from ..errors import GraphTooLargeError
from ..figures.graph_view import MAX_DRAW_NODES
from ..lecture.workload import MAX_LECTURE_ELEMENTS
from ..text.parser import allowed_names
from .slides import (
    add_lecture,
    add_view,
    lecture_options,
    picture_options,
    refuse_lecture_options,
    run_check_slides,
    screen,
)
from .terminal import Parser, UsageError, outcome, parse_command_line, positive, say, values

EXAMPLES = """examples:
  microbp demo                                   render the lecture neuron into ./microbp-demo/
  microbp render "tanh(x*w + b)" x=2 w=-3 b=6.8814 -o neuron.svg
  microbp grad "sigmoid(w*x)" w=0.5 x=2          gradients: engine | sympy | finite difference
  microbp grad "-log(x)" x=2 --wrt x             an expression may start with a minus
  microbp check "sigmoid(z)" --wrt z --claimed "sigmoid(z)*(1 - sigmoid(z))"
  microbp steps "tanh(x*w + b)" x=2 w=-3 b=6.8814 -o lecture.html --code
  microbp live "tanh(x*w + b)" x=2 w=-3 b=6.88 -o live.html   change x, w, b in the browser
  microbp codegen "tanh(x*w + b)" --wrt x,w,b     the backward pass as Python
  microbp check-slides lecture.html              the smallest text per frame on three projectors
"""
CHECK_STATUS = {"proved": 0, "refuted": 1, "agrees": 3}     # check's exit status by verdict
SYNTAX = f"EXPRESSION: numbers, names, + - * / ** and {allowed_names()}"
MAX_GRAD_NODES = 200
"""``microbp grad``'s default ``--max-nodes``: its table has a row per leaf, checked against sympy."""
MAX_STEPS_NODES = 60
"""``microbp steps``' default ``--max-nodes``: a lecture draws the whole graph on every slide."""


def build_parser() -> Parser:
    """The argument parser; ``parser.commands`` maps each command's name to its own parser.

    >>> sorted(build_parser().commands)
    ['check', 'check-slides', 'codegen', 'demo', 'grad', 'live', 'render', 'steps']
    """
    parser = Parser(prog="microbp", description="Backpropagation you can see, and derivatives checked by sympy.",
                    epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter, allow_abbrev=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    parser.commands = {}

    def command(name, run, help, example, expression=True):
        description = help[0].upper() + help[1:] + ("" if help.endswith("?") else ".")
        description += f" {SYNTAX}" if expression else ""
        sub = commands.add_parser(name, help=help, description=description, epilog=f"example: {example}",
                                  allow_abbrev=False)
        sub.set_defaults(run=run)
        parser.commands[name] = sub
        if expression:
            sub.add_argument("expression", metavar="EXPRESSION",
                             help="the function, e.g. 'tanh(x*w + b)' or '-log(x)'")
            sub.add_argument("values", nargs="*", metavar="NAME=VALUE", help="a finite real value for a name")
        return sub

    demo = command("demo", run_demo, "render the built-in examples, the lecture neuron and the walkthrough's "
                   "1-2-2-1 network", "microbp demo -o out/", expression=False)
    demo.add_argument("-o", "--out", default="microbp-demo", metavar="DIR",
                      help="folder for neuron.svg, neuron.png, neuron-steps.html, network.svg, network-steps.html "
                           "(default: %(default)s)")
    render = command("render", run_render, "parse an expression, backpropagate, render its graph",
                     'microbp render "tanh(x*w + b)" x=2 w=-3 b=6.88 -o n.svg')
    render.add_argument("-o", "--out", required=True, metavar="FILE", help="output: .svg, .png, .pdf or .dot")
    render.add_argument("--theme", default="light", choices=["light", "dark", "print"])
    render.add_argument("--rankdir", default=None, choices=["LR", "TB"],
                        help="left to right or top to bottom (default: the view's choice)")
    add_view(render)
    refuse_lecture_options(render)
    _max_nodes(render, MAX_DRAW_NODES)
    grad = command("grad", run_grad, "value and gradients, checked against sympy and finite differences",
                   'microbp grad "sigmoid(w*x)" w=0.5 x=2 --wrt w')
    grad.add_argument("--wrt", metavar="NAME[,NAME]", help="show only these variables' rows")
    _max_nodes(grad, MAX_GRAD_NODES)
    _timeout(grad)
    steps = command("steps", run_steps, "the forward and backward pass one step at a time, as slides",
                    'microbp steps "tanh(x*w + b)" x=2 w=-3 b=6.88 -o lecture.html')
    steps.add_argument("-o", "--out", required=True, metavar="FILE.html|FOLDER/",
                       help="an .html slideshow, or a folder (ending in /) for one SVG frame per step")
    steps.add_argument("--theme", default="light", choices=["light", "dark", "print"])
    steps.add_argument("--code", action="store_true", help="show each step's generated Python (microbp codegen)")
    steps.add_argument("--checks", action="store_true", help="with --code: the domain checks too")
    add_view(steps)
    add_lecture(steps)
    _max_nodes(steps, MAX_STEPS_NODES)
    steps.add_argument("--max-elements", type=positive(int), default=MAX_LECTURE_ELEMENTS, metavar="N",
                       help="refuse lectures drawing more nodes and edges in all (default: %(default)s)")
    live = command("live", run_live, "a page that computes the graph in the browser: change a leaf, step, descend",
                   'microbp live "tanh(x*w + b)" x=2 w=-3 b=6.88 -o live.html')
    live.add_argument("-o", "--out", required=True, metavar="FILE.html", help="the page to write")
    _max_nodes(live, MAX_STEPS_NODES)
    code = command("codegen", run_codegen, "print the value and gradient of an expression as Python: a line per "
                   "node forward, the chain rule a line per edge backward",
                   'microbp codegen "tanh(x*w + b)" --wrt x,w,b')
    code.add_argument("--wrt", metavar="NAME[,NAME]", help="the arguments to differentiate by (default: every name "
                      "without a value); other names need a value, and are written in as constants")
    code.add_argument("--mode", default="reverse", choices=["reverse", "forward"],
                      help="reverse: the chain rule a line per edge, last node first; forward: each node's "
                      "tangent, a line per node, first node first (default: %(default)s)")
    code.add_argument("--checks", action="store_true", help="write the engine's domain checks (check_log(x), ...) "
                      "before the lines they guard")
    slides = command("check-slides", run_check_slides, "measure a slideshow as projectors show it: the smallest "
                     "text of each frame at 1920x1080, 1280x720 and 1024x768 (needs Chromium and selenium)",
                     "microbp check-slides lecture.html", expression=False)
    slides.add_argument("paths", nargs="+", metavar="FILE.html", help="slideshows made by microbp steps or slideshow")
    slides.add_argument("--screen", action="append", type=screen, metavar="WIDTHxHEIGHT",
                        help="measure at this size instead (repeatable), e.g. --screen 768x1024")
    check = command("check", run_check, "is a claimed derivative right? Exit 0: proved; 1: refuted, with a "
                    "counterexample; 3: right at every point tried, not proved",
                    'microbp check "x**3" --wrt x --claimed "3*x**2"')
    check.add_argument("--wrt", required=True, metavar="NAME", help="the variable to differentiate by")
    check.add_argument("--claimed", required=True, metavar="FORMULA", help="the derivative you claim")
    _timeout(check)
    return parser


def _max_nodes(command, default: int) -> None:
    command.add_argument("--max-nodes", type=positive(int), default=default, metavar="N",
                         help="refuse graphs with more nodes (default: %(default)s)")


def _timeout(command) -> None:
    command.add_argument("--timeout", type=positive(float), default=60.0, metavar="SECONDS",
                         help="give up after this long (default: %(default)g)")


def _graph(args) -> Value:
    from ..text.parser import parse

    root = parse(args.expression, **values(args.values))
    if not isinstance(root, Value):
        raise UsageError(f"{args.expression!r} has no variables: nothing to differentiate; write one, as in x*2 x=1")
    root.backward()
    return root


def run_demo(args) -> int:
    from ..demo import lecture_neuron, walkthrough_network
    from ..drawing import render
    from ..files import output_folder
    from ..lecture.slideshow import slideshow

    folder = output_folder(args.out, "demo")
    o = lecture_neuron()
    for name in ("neuron.svg", "neuron.png"):
        say(render(o, folder / name, title="o = tanh(x1·w1 + x2·w2 + b), after o.backward()"))
    say(slideshow(o, folder / "neuron-steps.html", title="The lecture neuron, o = tanh(x1·w1 + x2·w2 + b)"))
    error = walkthrough_network()
    say(render(error, folder / "network.svg", view="network"))
    say(slideshow(error, folder / "network-steps.html", view="network",
                  title="Backpropagation in the 1-2-2-1 network of the walkthrough"))
    return 0


def run_render(args) -> int:
    from ..drawing import render

    options = picture_options(args)
    root = _graph(args)
    say(render(root, args.out, theme=args.theme, rankdir=args.rankdir, title=args.expression,
               max_nodes=args.max_nodes, **options))
    return 0


def run_grad(args) -> int:
    from ..check.verification import verify

    root = _graph(args)
    order = topological_order(root)
    if len(order) > args.max_nodes:
        _too_large(len(order), args.max_nodes)
    _check_finite(order)
    names = {node.label for node in order if node.op is None}
    wanted = names if args.wrt is None else {name.strip() for name in args.wrt.split(",")}
    if wanted - names:
        raise UsageError(f"--wrt {sorted(wanted - names)[0]!r}: no such variable; the variables are "
                         f"{', '.join(sorted(names))}")
    with _time_limit(args):
        report = verify(root)
    report.leaves = [leaf for leaf in report.leaves if leaf.name in wanted]
    say(f"value: {root.data:.10g}\n{report}")
    return 0 if report.ok else 1


def _time_limit(args, seconds: float | None = None):
    from ..deadline import time_limit

    return time_limit(seconds or args.timeout, f"gave up after {seconds or args.timeout:g} s (sympy can take "
                      f"minutes on large expressions); pass --timeout {2 * args.timeout:g} to wait longer")


def _too_large(nodes: int, limit: int):
    raise GraphTooLargeError(f"the graph has {nodes} nodes, over the limit of {limit}", "max_nodes", nodes, limit)


def _check_finite(order) -> None:
    """sympy and the comparison need finite numbers: refuse a graph where a number overflowed."""
    from ..text.notation import to_text

    numbers = [(node, "value", node.data) for node in order] + [(node, "gradient", node.grad) for node in order]
    for node, what, number in numbers:
        if not math.isfinite(number):
            name = node.label or to_text(node)
            raise UsageError(f"the {what} of {name[:60]!r} is {number}, beyond floating point (about ±1.8e308); "
                             f"use values that keep every number finite")


def run_steps(args) -> int:
    from ..files import output_file, output_folder
    from ..lecture.slideshow import slideshow
    from ..lecture.steps import render_steps

    options = {"theme": args.theme, "max_nodes": args.max_nodes, "max_elements": args.max_elements,
               **lecture_options(args)}
    if (args.code or args.checks) and not args.out.lower().endswith((".html", ".htm")):
        raise UsageError("--code shows code in a slideshow: give -o FILE.html")
    if args.checks and not args.code:
        raise UsageError("--checks adds the domain checks to --code's lines: give --code too")
    if args.out.endswith(("/", os.sep)) or os.path.isdir(args.out):
        output_folder(args.out, "steps")
        paths = render_steps(_graph(args), args.out, **options)
        say(f"{len(paths)} frames in {args.out}")
    elif args.out.lower().endswith((".html", ".htm")):
        output_file(args.out, "steps", example="lecture.html")
        say(slideshow(_graph(args), args.out, title=args.expression, code=args.code, checks=args.checks, **options))
    else:
        raise UsageError(f"-o takes a slideshow ending in .html or a folder ending in /, got {args.out!r}")
    return 0


def run_live(args) -> int:
    from ..core.graph import Graph
    from ..lecture.live import live

    root = _graph(args)
    nodes = len(Graph(root).order)
    if nodes > args.max_nodes:
        _too_large(nodes, args.max_nodes)
    say(live(root, args.out, title=args.expression))
    return 0


def run_codegen(args) -> int:
    from ..core.engine import derivative_formulas
    from ..programs.codegen import codegen
    from ..text.parser import parse, variables
    from .constants import check_constants

    given = values(args.values)
    names = variables(args.expression)
    wrt = _names(args.wrt, names) if args.wrt else [name for name in names if name not in given]
    if names and not wrt:
        raise UsageError(f"every variable has a value, so there is nothing to differentiate by; name them with "
                         f"--wrt (as in --wrt {','.join(names[:3])}), or leave out their values")
    missing = [name for name in names if name not in given and name not in wrt]
    if missing:
        raise UsageError(f"{missing[0]!r} needs a value, to be written in as a constant (or list it in --wrt)")
    with derivative_formulas():                  # the arguments' values do not matter: nan keeps every domain
        root = parse(args.expression, **{**given, **{name: math.nan for name in wrt}})
    if not isinstance(root, Value):
        raise UsageError(f"{args.expression!r} has no variables: nothing to differentiate; write one, as in x*2")
    leaves = {node.label: node for node in topological_order(root) if node.op is None}
    check_constants(root, [leaves[name] for name in wrt])
    say(codegen(root, wrt=[leaves[name] for name in wrt], mode=args.mode, checks=args.checks))
    return 0


def _names(text: str, names: list) -> list:
    wanted = [name.strip() for name in text.split(",") if name.strip()]
    for name in wanted:
        if name not in names:
            raise UsageError(f"--wrt {name!r}: no such variable; the variables are {', '.join(names)}")
    return wanted


def run_check(args) -> int:
    from ..check.derivations import check_derivation

    fixed = values(args.values)
    with _time_limit(args, 2 * args.timeout + 5):     # a ceiling: sympy's own limit falls back to numbers first
        result = check_derivation(args.expression, args.wrt, args.claimed, time_limit=args.timeout, **fixed)
    result.notes = [note.replace("pass time_limit= ", f"pass --timeout {2 * args.timeout:g} ") for note in result.notes]
    say(str(result))
    return CHECK_STATUS[result.verdict]


def main(argv=None) -> int:
    """Run the command line on ``argv`` (default ``sys.argv[1:]``); returns the exit status and never raises.

    >>> main(["grad", "x*x", "x=nan"])     # prints one line on stderr: x: 'nan' is not a finite real number ...
    2
    """
    prog = "microbp"
    try:
        parser = build_parser()
        args = parse_command_line(parser, parser.commands, sys.argv[1:] if argv is None else list(argv))
        prog = f"microbp {args.command}"
        return args.run(args)
    except BaseException as error:        # every outcome is an exit status and at most one message
        status, message = outcome(error, prog.split()[-1])
        if message:
            say(f"{getattr(error, 'prog', None) or prog}: {message}", sys.stderr)
        if argv is None and isinstance(error, BrokenPipeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())   # no second error at exit
        return status


if __name__ == "__main__":
    sys.exit(main())
