"""What the command line reads and writes: arguments in, one-line messages and exit statuses out.

argparse with one-line errors, expressions that start with a minus, NAME=VALUE
pairs; the exit status and message for any exception; printing that escapes
control characters.

>>> parser = Parser(prog="demo")
>>> command = parser.add_subparsers(dest="command").add_parser("grad")
>>> _ = command.add_argument("expression"); _ = command.add_argument("values", nargs="*")
>>> _ = command.add_argument("--wrt")
>>> args = parse_command_line(parser, {"grad": command}, ["grad", "-log(x)", "--wrt", "x", "x=2"])
>>> args.expression, args.values, values(args.values)
('-log(x)', ['x=2'], {'x': 2.0})
"""

from __future__ import annotations

import argparse
import math
import sys
import unicodedata

from ..errors import (
    BrowserNotFoundError,
    DomainError,
    DotFailedError,
    ExpressionError,
    GraphTooLargeError,
    GraphvizNotFoundError,
    MicrobpError,
    shown,
)

PLACEHOLDER = "EXPRESSION"      # stands in for an expression that starts with "-" while argparse reads
TOO_LARGE_OPTIONS = {       # a limit's library keyword -> what the command line says when it is passed
    "max_nodes": "the graph has {needed} nodes, over the limit of {limit} ({why})",
    "max_elements": ("the lecture would draw {needed} nodes and edges in all its frames, over the limit of "
                     "{limit} (minutes of work, and a file of many megabytes)"),
}
TOO_LARGE = {"render": "dot would be slow and the picture unreadable",
             "steps": "two slides a node, each drawn by dot, would take long",
             "grad": "sympy and finite differences for every variable would take long"}


class UsageError(ValueError):
    """Something typed on the command line is wrong (exit status 2); ``prog`` names the command."""

    def __init__(self, message: str, prog: str | None = None):
        super().__init__(message)
        self.prog = prog


class Parser(argparse.ArgumentParser):
    """argparse, raising its errors as one-line UsageErrors; it records its options, and which take a value."""

    options: frozenset = frozenset()
    value_options: frozenset = frozenset()

    def add_argument(self, *names, **options):
        action = super().add_argument(*names, **options)
        self.options = self.options | set(action.option_strings)
        if action.nargs != 0:
            self.value_options = self.value_options | set(action.option_strings)
        return action

    def error(self, message):
        raise UsageError(f"{message}; see '{self.prog} --help'", prog=self.prog)


def positive(kind):
    """An argparse type: a positive ``int``, or a positive and finite ``float``.

    >>> positive(int)("3"), positive(float)("0.5")
    (3, 0.5)
    """
    def convert(text):
        try:
            number = kind(text)
        except ValueError:
            number = math.nan
        if not 0 < number < math.inf:
            raise argparse.ArgumentTypeError(f"must be a positive {'whole ' if kind is int else ''}number, "
                                             f"got {text!r}")
        return number
    return convert


def parse_command_line(parser: Parser, commands: dict, argv: list) -> argparse.Namespace:
    """The options of one command line; NAME=VALUE pairs may also come after the options."""
    argv, expression = _shield(argv, commands)
    args, extra = parser.parse_known_args(argv)
    if extra:
        if not hasattr(args, "values") or not all("=" in item and not item.startswith("-") for item in extra):
            commands[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
        args.values = args.values + extra
    if expression is not None and getattr(args, "expression", None) == PLACEHOLDER:
        args.expression = expression
    return args


def _shield(argv: list, commands: dict) -> tuple:
    """Ready ``argv`` for argparse, which reads "-log(x)" as an unknown option.

    A value that starts with "-" is attached to its option (``--claimed=-1/x``), and the first
    argument that is neither an option nor a value is the expression, even when
    it starts with one "-": a placeholder stands in for it. ``--`` still works.
    Returns (argv, the expression it replaced or None).
    """
    if not argv or argv[0] not in commands:
        return list(argv), None
    command = commands[argv[0]]
    ready, expression, positional = [argv[0]], None, False
    rest = iter(argv[1:])
    for arg in rest:
        if arg == "--":
            ready += [arg, *rest]
        elif arg in command.value_options:
            value = next(rest, None)
            if value is None or value in command.options or value == "--" or not value.startswith("-"):
                ready += [arg] + ([] if value is None else [value])
            else:
                ready.append(f"{arg}={value}" if arg.startswith("--") else arg + value)
        elif not positional and _minus_expression(arg, command):
            expression, positional = arg, True
            ready.append(PLACEHOLDER)
        else:
            positional = positional or not arg.startswith("-")
            ready.append(arg)
    return ready, expression


def _minus_expression(arg: str, command: Parser) -> bool:
    """'-log(x)' is an expression; '-h', '-o', '-ofile.svg' and anything from '--' on are options."""
    return (arg.startswith("-") and not arg.startswith("--") and arg not in command.options
            and arg[:2] not in command.value_options)


def values(pairs) -> dict:
    """NAME=VALUE pairs as a dict of finite floats; UsageError names the pair that is not one.

    >>> values(["x=2", "y=-0.5"])
    {'x': 2.0, 'y': -0.5}
    >>> values(["x=nan"])
    Traceback (most recent call last):
      ...
    microbp.cli.terminal.UsageError: x: 'nan' is not a finite real number (nan, inf and numbers beyond ±1.8e308 are refused); give one such as x=1.5
    """
    result = {}
    for pair in pairs:
        name, equals, text = pair.partition("=")
        if not equals or not name.isidentifier():
            raise UsageError(f"expected NAME=VALUE, such as x=1.5, got {pair!r}")
        if name in result:
            raise UsageError(f"{name} is given twice; give each name one value")
        try:
            result[name] = float(text)
        except ValueError:
            result[name] = math.nan
        if not math.isfinite(result[name]):
            raise UsageError(f"{name}: {shown(text)} is not a finite real number (nan, inf and numbers beyond "
                             f"±1.8e308 are refused); give one such as {name}=1.5")
    return result


def outcome(error: BaseException, command: str) -> tuple:
    """(exit status, message) for an exception that ended ``command``: the command line's one policy.

    >>> outcome(ValueError("render: bad"), "render"), outcome(KeyError("x"), "grad")[0]
    ((2, 'bad'), 1)
    """
    if isinstance(error, SystemExit):                       # --help
        return (error.code if isinstance(error.code, int) else 2), ""
    if isinstance(error, KeyboardInterrupt):
        return 130, "interrupted"
    if isinstance(error, BrokenPipeError):
        return 1, ""
    if isinstance(error, GraphTooLargeError) and error.option in TOO_LARGE_OPTIONS:
        what = TOO_LARGE_OPTIONS[error.option].format(needed=error.needed, limit=error.limit,
                                                      why=TOO_LARGE.get(command, "it would take long"))
        return 2, f"{what}; pass --{error.option.replace('_', '-')} {error.needed} to go on anyway"
    if isinstance(error, (GraphvizNotFoundError, DotFailedError, BrowserNotFoundError)):
        return 1, str(error)
    if isinstance(error, OverflowError):
        return 2, f"a number is too large ({error}): microbp computes with floats, up to about 1.8e308"
    if isinstance(error, (MicrobpError, ValueError, TypeError, ArithmeticError)):
        message = str(error).removeprefix(f"{command}: ")
        return 2, message if isinstance(error, (ExpressionError, DomainError)) else " ".join(message.split("\n"))
    return 1, (f"internal error: {type(error).__name__}: {' '.join(str(error).split())}; please report it "
               f"as a bug in microbp, with the command you ran")


def say(text: str, stream=None) -> None:
    """Print, with control characters escaped (user text must not steer the terminal).

    >>> say("x\\x1b[2J")
    x\\x1b[2J
    """
    shown = "".join(c if c == "\n" or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
                    else repr(c)[1:-1] for c in text)
    lines = [line if len(line) <= 1000 else line[:999] + "…" for line in shown.split("\n")]
    try:
        print("\n".join(lines), file=stream or sys.stdout)
    except (OSError, ValueError):
        if stream is None:          # stdout: the caller decides; stderr: nowhere left to complain
            raise
