"""The command line's lecture options and ``microbp check-slides``: what ``steps`` and ``render`` add to
``microbp.steps`` and ``microbp.slideshow``, and measuring slides on projector sizes.

>>> from microbp.cli.commands import build_parser
>>> screen("1024x768"), lecture_options(build_parser().commands["steps"].parse_args(["x", "-o", "a.html"]))
((1024, 768), {'view': 'auto', 'order': None, 'learning_rate': 0.1})
"""

from __future__ import annotations

import argparse

from .terminal import say


def add_view(command) -> None:
    command.add_argument("--view", default="auto", choices=["auto", "graph", "network", "layers"],
                         help="auto (default) picks by the graph")


def add_lecture(command) -> None:
    command.add_argument("--order", choices=["layers", "reverse-topological"],
                         help="backward order (default: the view's)")
    command.add_argument("--learning-rate", type=float, default=0.1, metavar="ETA",
                         help="for the weight updates (default: %(default)g)")
    command.add_argument("--notation", metavar="NAME", help="the captions' notation")
    command.add_argument("--optimizer", metavar="NAME", help="the update steps' rule")


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
