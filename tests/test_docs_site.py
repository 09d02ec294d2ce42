"""The documentation as a whole: the API page is generated, the site builds strictly, nothing is undocumented."""

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import api_docs  # noqa: E402


def test_api_page_is_generated_from_the_docstrings():
    assert (ROOT / "docs" / "api.md").read_text(encoding="utf-8") == api_docs.render(), (
        "docs/api.md is stale: run python tools/api_docs.py")


def public_objects():
    for module_name, _, module, names in api_docs.SECTIONS:
        for name in names:
            obj = getattr(module, name)
            if callable(obj):
                yield f"{module_name}.{name}", obj


@pytest.mark.parametrize("name, obj", list(public_objects()), ids=[n for n, _ in public_objects()])
def test_every_public_name_has_a_docstring_with_an_example(name, obj):
    doc = inspect.getdoc(obj) or ""
    assert ">>>" in doc, f"{name} needs a docstring with an example"
    assert f"### `{name}`" in (ROOT / "docs" / "api.md").read_text(encoding="utf-8")


@pytest.mark.needs_mkdocs
def test_mkdocs_builds_strictly(tmp_path):
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "tutorial" / "index.html").exists()


def test_every_markdown_page_is_in_the_navigation():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in (ROOT / "docs").glob("*.md"):
        assert f" {page.name}" in nav, page.name


def test_readme_links_and_images_exist():
    import re
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)\)", readme):
        if not target.startswith("http"):
            assert (ROOT / target).exists(), target


def test_the_architecture_page_maps_every_module():
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = ROOT / "microbp"
    modules = {path.relative_to(package).with_suffix("").as_posix().replace("/__init__", "/")
               for path in package.rglob("*.py")} - {"__init__", "__main__"}
    missing = sorted(module for module in modules if f"`{module}`" not in page)
    assert not missing, f"docs/architecture.md does not place: {', '.join(missing)}"
