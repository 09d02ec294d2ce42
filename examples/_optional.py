"""The examples' optional packages: a missing one is a one-line message and exit status 2, not a traceback."""

import importlib

INSTALL = "pip install -e '.[examples]' (in a ./dev checkout: .venv/bin/pip install -e '.[examples]')"


def require(parser, *modules) -> None:
    """Import each module, or exit 2 through ``parser`` saying how to install the examples extra.

    >>> import argparse
    >>> require(argparse.ArgumentParser(prog="moons.py"), "math", "no_such_package_here")
    Traceback (most recent call last):
      ...
    SystemExit: 2
    """
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError as error:
            parser.exit(2, f"{parser.prog}: cannot import {module} ({error}); it comes with the examples "
                           f"extra: {INSTALL}\n")
