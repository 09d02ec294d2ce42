"""Every Python code block in README.md and docs/ runs, so the docs stay true.

The blocks of one file run in order, in one namespace, in a scratch folder.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def blocks(path: Path) -> list:
    return BLOCK.findall(path.read_text(encoding="utf-8"))


def needs_dot(path: Path) -> bool:
    return any(re.search(r"\brender\(|slideshow\(|render_steps\(", block) for block in blocks(path))


@pytest.mark.parametrize("path", [pytest.param(path, marks=[pytest.mark.needs_dot] if needs_dot(path) else [],
                                               id=str(path.relative_to(ROOT))) for path in DOCUMENTS])
def test_code_blocks_run(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__docs__"}
    found = blocks(path)
    for number, block in enumerate(found, start=1):
        try:
            exec(compile(block, f"{path.name} block {number}", "exec"), namespace)
        except Exception as error:
            pytest.fail(f"{path.name}, code block {number} of {len(found)} fails: {error!r}\n{block}")


def test_every_document_is_checked():
    """Every page has runnable code, except the API page, whose examples are doctests of the modules."""
    assert len(DOCUMENTS) >= 7 and all(blocks(path) for path in DOCUMENTS if path.name != "api.md")


def module_limits() -> dict:
    """{constant: (module, value)} for every module-level MAX_* or *_LIMIT number in microbp."""
    import ast
    import re

    found = {}
    for path in sorted((ROOT / "microbp").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for statement in ast.parse(path.read_text()).body:
            if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant):
                for target in statement.targets:
                    if isinstance(target, ast.Name) and re.fullmatch(r"MAX_[A-Z_]+|[A-Z_]+_LIMIT", target.id):
                        found[target.id] = (module, statement.value.value)
    return found


def test_every_limit_is_listed_once_in_docs_limits_with_its_module_and_default():
    rows = [line.split("|")[1:-1] for line in (ROOT / "docs" / "limits.md").read_text().splitlines()
            if line.startswith("| `")]
    listed = {row[0].strip(" `"): (row[1].strip(" `"), float(row[2].strip().replace("_", ""))) for row in rows}
    assert len(listed) == len(rows), "a limit is listed twice"
    limits = module_limits()
    assert len(limits) >= 10
    assert {name: (module, float(value)) for name, (module, value) in limits.items()} == listed
