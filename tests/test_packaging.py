"""What the package declares matches what it imports, and every optional test need has a marker."""

import ast
import configparser
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from conftest import REQUIREMENTS  # noqa: E402


def setup_cfg() -> configparser.ConfigParser:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    return config


def imported_packages(folder: Path, in_functions: bool = True) -> set:
    """Top-level names of every module imported under ``folder``, however deep the import; with
    ``in_functions=False``, only those imported outside any function (when the module is imported)."""
    names = set()
    for path in folder.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        lazy = {id(node) for function in ast.walk(tree) if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
                for node in ast.walk(function)}
        for node in ast.walk(tree):
            if not in_functions and id(node) in lazy:
                continue
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def requirement_names(lines: str) -> set:
    return {re.split(r"[<>=!~ ]", line.strip())[0].lower() for line in lines.splitlines() if line.strip()}


def test_every_third_party_package_microbp_imports_is_declared():
    """mpmath was imported directly but came only as sympy's dependency. A package of an extra
    (matplotlib, for microbp.figures.descent) may be imported only inside a function."""
    config = setup_cfg()
    declared = requirement_names(config["options"]["install_requires"])
    extras = set().union(*(requirement_names(lines) for _, lines in config["options.extras_require"].items()))
    outside = set(sys.stdlib_module_names) | {"microbp"}
    eager = imported_packages(ROOT / "microbp", in_functions=False) - outside
    anywhere = imported_packages(ROOT / "microbp") - outside
    assert eager and eager <= declared, f"imported but not in install_requires: {eager - declared}"
    assert anywhere <= declared | extras, f"imported but declared nowhere: {anywhere - declared - extras}"


def test_every_needs_marker_is_registered_with_pytest():
    registered = {line.strip().split(":")[0] for line in setup_cfg()["tool:pytest"]["markers"].splitlines()}
    assert set(REQUIREMENTS) <= registered
