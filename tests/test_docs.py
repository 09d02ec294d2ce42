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
