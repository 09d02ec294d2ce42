"""The command line's view and lecture options and ``microbp check-slides``: what ``render`` and ``steps``
add to ``microbp.render`` and ``microbp.slideshow``, and measuring slides on projector sizes.

Both take ``--view`` and ``--notation``; ``--order``, ``--learning-rate`` and ``--optimizer`` mean
something only to a lecture (``steps``), and ``render`` refuses them by name.

>>> from microbp.cli.commands import build_parser
>>> screen("1024x768"), lecture_options(build_parser().commands["steps"].parse_args(["x", "-o", "a.html"]))
((1024, 768), {'view': 'auto', 'order': None, 'learning_rate': 0.1})
>>> picture_options(build_parser().commands["render"].parse_args(["x", "-o", "a.svg", "--notation", "textbook"]))
{'view': 'auto', 'notation': 'textbook'}
"""

from __future__ import annotations

import argparse

from ..network.notation import NOTATIONS
from .terminal import UsageError, say


def add_view(command) -> None:
    command.add_argument("--view", default="auto", choices=["auto", "graph", "network", "layers"],
                         help="auto (default) picks by the graph")
    command.add_argument("--notation", choices=NOTATIONS, metavar="NAME",
                         help="walkthrough, textbook, labels")


def add_lecture(command) -> None:
    for flag, options in LECTURE_ONLY.items():
        command.add_argument(flag, **options)


LECTURE_ONLY = {
    "--order": {"choices": ["layers", "reverse-topological"], "help": "backward order (default: the view's)"},
    "--learning-rate": {"type": float, "default": 0.1, "metavar": "ETA",
                        "help": "for the weight updates (default: %(default)g)"},
    "--optimizer": {"metavar": "NAME", "help": "the update steps' rule"},
}
"""The options of a lecture that a single picture has no use for: it has no steps, no updates."""


def refuse_lecture_options(command) -> None:
    """Take ``LECTURE_ONLY``'s flags on ``command`` (a picture's), unlisted, to refuse them by name."""
    for flag in LECTURE_ONLY:
        command.add_argument(flag, default=None, help=argparse.SUPPRESS)


def picture_options(args) -> dict:
    """What ``render`` passes on to ``microbp.render``: the view, and the notation when given; a lecture's
    flags (``LECTURE_ONLY``) are refused, with one line that says where they belong."""
    given = [flag for flag in LECTURE_ONLY if getattr(args, flag[2:].replace("-", "_")) is not None]
    if given:
        raise UsageError(f"render: {', '.join(given)} {'is' if len(given) == 1 else 'are'} for a lecture "
                         f"(microbp steps): a single picture has no steps and no weight updates; "
                         f"drop {'it' if len(given) == 1 else 'them'}, or run microbp steps", prog="microbp render")
    return {"view": args.view, **({"notation": args.notation} if args.notation else {})}


def screen(text: str) -> tuple:
    width, _, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit()):
        raise argparse.ArgumentTypeError(f"a screen is WIDTHxHEIGHT in pixels, such as 1024x768, got {text!r}")
    return int(width), int(height)


def lecture_options(args) -> dict:
    """The lecture's options the command line was given; notation and optimizer only when given."""
    options = {"view": args.view, "order": args.order, "learning_rate": args.learning_rate}
    options.update({name: getattr(args, name) for name in ("notation", "optimizer") if getattr(args, name)})
    return options


def run_check_slides(args) -> int:
    """Exit 0 when every frame of every slideshow is readable on every screen, 1 when one is not."""
    from ..lecture.slideshow_check import SCREENS, check_projector, start_browser

    driver, status = start_browser(), 0
    try:
        for path in args.paths:
            report = check_projector(path, args.screen or SCREENS, driver=driver)
            say(str(report))
            status = status or (0 if report.ok else 1)
    finally:
        driver.quit()
    return status
