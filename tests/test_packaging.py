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


def imported_packages(folder: Path) -> set:
    """Top-level names of every module imported anywhere under ``folder``, however deep the import."""
    names = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def test_every_third_party_package_microbp_imports_is_declared():
    """mpmath was imported directly but came only as sympy's dependency."""
    declared = {re.split(r"[<>=!~ ]", line.strip())[0].lower()
                for line in setup_cfg()["options"]["install_requires"].splitlines() if line.strip()}
    third_party = imported_packages(ROOT / "microbp") - set(sys.stdlib_module_names) - {"microbp"}
    assert third_party and third_party <= declared, f"imported but not in install_requires: {third_party - declared}"


def test_every_needs_marker_is_registered_with_pytest():
    registered = {line.strip().split(":")[0] for line in setup_cfg()["tool:pytest"]["markers"].splitlines()}
    assert set(REQUIREMENTS) <= registered
