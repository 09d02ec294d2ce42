"""The live pages committed under docs/figures/live hold the scripts and the style the package would
write today: each page's ``<script>`` and ``<style>`` blocks are compared with the package's files
(``microbp.lecture.live``'s assets, the JavaScript runtime, the optimizers' update rules), not the whole
page, so this stays fast. When it fails, run ``python examples/live_pages.py --out docs/figures/live``
from ``examples/`` (it needs Graphviz, matplotlib and scikit-learn) and commit the pages."""

import re
from pathlib import Path

import pytest

from microbp.lecture.live import asset, script_start
from microbp.update_rules.javascript import javascript

PAGES = Path(__file__).resolve().parents[2] / "docs" / "figures" / "live"
REGENERATE = "stale: run python examples/live_pages.py --out docs/figures/live (from examples/) and commit it"


def live_script() -> tuple:
    """(how a live page's script starts, how it ends): microbp.live's."""
    return script_start("microbp"), asset("live_forward.js") + asset("live.js") + "})();\n"


def playground_script() -> tuple:
    """(how the playground's script starts, how it ends): microbp.playground's."""
    return script_start("playground") + javascript("linear_lr"), asset("playground.js") + "})();\n"


COMMITTED = {"walkthrough-live.html": live_script, "moons-playground-example.html": live_script,
             "moons-playground.html": playground_script}


def block(page: str, tag: str) -> str:
    """The text of the page's one ``<tag>`` element."""
    found = re.findall(rf"<{tag}>\n(.*?)</{tag}>", page, flags=re.DOTALL)
    assert len(found) == 1, f"expected one <{tag}>, found {len(found)}"
    return found[0]


def test_every_committed_page_is_checked():
    assert sorted(path.name for path in PAGES.glob("*.html")) == sorted(COMMITTED)


@pytest.mark.parametrize("name", sorted(COMMITTED))
def test_a_committed_page_embeds_the_current_scripts_and_style(name):
    page = (PAGES / name).read_text(encoding="utf-8")
    start, end = COMMITTED[name]()
    script = block(page, "script")
    assert script.startswith(start), f"{name}'s runtime, optimizers or pages.js are {REGENERATE}"
    assert script.endswith(end), f"{name}'s page script is {REGENERATE}"
    assert block(page, "style").startswith(asset("live.css")), f"{name}'s style is {REGENERATE}"
