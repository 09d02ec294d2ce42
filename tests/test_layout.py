"""The layout keeps its promises: few top-level modules, the core imports nothing above it,
and only the engine's own package reads a Value's private storage."""

import ast
import re
from pathlib import Path

from microbp import Value

PACKAGE = Path(__file__).resolve().parent.parent / "microbp"
ABOVE_THE_CORE = ("text", "check", "network", "figures", "lecture", "programs", "cli")


def modules(folder: Path = PACKAGE):
    return sorted(folder.rglob("*.py"))


def imported(path: Path) -> set:
    """The dotted microbp modules ``path`` imports, as written relative to the package root."""
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = list(package[:len(package) - node.level + 1]) if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith("microbp")}


def test_the_top_level_holds_at_most_twelve_modules():
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top


def test_the_core_imports_nothing_above_it():
    for path in modules(PACKAGE / "core"):
        above = sorted(name for name in imported(path)
                       if name.split(".")[1:2] and name.split(".")[1] in ABOVE_THE_CORE)
        assert not above, f"{path.relative_to(PACKAGE)} imports {above}"


def test_the_import_reader_sees_relative_imports():
    """The guard above could pass by reading nothing: check it on a module known to import the core."""
    assert "microbp.core.engine" in imported(PACKAGE / "programs" / "program.py")


def test_only_the_core_reads_a_values_private_storage():
    private = [slot for slot in Value.__slots__ if slot.startswith("_") and not slot.startswith("__")]
    assert private, "Value keeps its operands in private slots"
    pattern = re.compile(r"\.(%s)\b|['\"](%s)['\"]" % ("|".join(private), "|".join(private)))
    readers = [f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
               for path in modules() if path.parent.name != "core"
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if pattern.search(line)]
    assert not readers, "\n".join(readers)
