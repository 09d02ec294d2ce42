"""Views: one object per way of showing a graph, chosen once; options checked once and never changed."""

import dataclasses
import re
import subprocess
import sys
import typing
import zipfile
from pathlib import Path

import pytest

import microbp
import microbp.lecture.steps
from microbp import Graph, Value, draw, render_steps, scope, slideshow, steps
from microbp.figures.options import DrawOptions
from microbp.lecture.step import Step
from microbp.lecture.views.registry import VIEWS, resolve_view
from microbp.lecture.views.view import View
from microbp.nn import MLP

PACKAGE = Path(microbp.__file__).resolve().parent
ROOT = PACKAGE.parent

# The views' own modules: the registry and the view classes, and the parts that only one view uses.
VIEW_MODULES = {"lecture/views/", "figures/network_view.py", "lecture/network_steps.py", "lecture/network_frames.py",
                "figures/graph_view.py", "lecture/graph_steps.py", "lecture/graph_frames.py",
                "lecture/graph_tangents.py", "lecture/network_tangents.py", "figures/layer_view.py",
                "lecture/layer_steps.py"}
ASKS_WHICH_VIEW = re.compile(r"""\bview\s*(==|!=)|\bview\s+(not\s+)?in\s*[(\[{]|[=!]=\s*["'](network|graph)["']"""
                             r"""|\[\s*["']view["']\s*\]|\.get\(\s*["']view["']""")
KNOWS_THE_NETWORK_VIEW = re.compile(r"\b(network_view|network_steps|network_frames|NetworkView|network_workload)\b")


def outside_the_views():
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if not any(name == module or name.startswith(module) for module in VIEW_MODULES):
            yield name, path.read_text(encoding="utf-8")


def code_lines(text):
    """The lines of a module that are code: not in a docstring, not a comment."""
    inside, lines = False, []
    for line in text.splitlines():
        quotes = line.count('"""')
        if not inside and quotes != 1 and not line.lstrip().startswith("#"):
            lines.append(line.split("  #")[0])
        inside = inside != (quotes % 2 == 1)
    return lines


def test_no_module_outside_the_views_asks_which_view_it_is():
    found = [(name, line.strip()) for name, text in outside_the_views() for line in code_lines(text)
             if ASKS_WHICH_VIEW.search(line) or KNOWS_THE_NETWORK_VIEW.search(line)]
    assert found == []
    assert len(list(outside_the_views())) > 40     # the walk did read the package


def test_the_pattern_would_catch_the_old_tests_of_the_view():
    old = ['    if view == "network":', 'if options.get("view", "graph") != "graph":', "from .network_steps import x"]
    assert all(ASKS_WHICH_VIEW.search(line) or KNOWS_THE_NETWORK_VIEW.search(line) for line in old)


def test_figures_do_not_import_the_lectures_or_the_public_drawing():
    for path in (PACKAGE / "figures").glob("*.py"):
        assert not re.search(r"from \.\.(lecture|drawing)\b", path.read_text(encoding="utf-8")), path.name


class ToyView(View):
    """A third view, as a test would register it: a line per value, a step per computed node."""

    name = "toy"
    lighter = "or draw fewer values"

    def draw(self, graph, drawing):
        import graphviz

        dot = graphviz.Digraph("toy", graph_attr={"label": drawing.title or ""})
        for i, node in enumerate(graph.order):
            dot.node(f"v{i}", format(node.data, drawing.number_format))
        return dot

    def steps(self, graph, lecture):
        computed = [node for node in graph.order if node.op is not None]
        return [Step(i, "forward", [node], f"value {i}", node.data) for i, node in enumerate(computed)]

    def frames(self, graph, steps, lecture):
        return [(step, self.draw(graph, dataclasses.replace(lecture.drawing, title=step.caption)))
                for step in steps]

    def workload(self, graph, lecture):
        return len(graph.computed), len(graph.order)


@pytest.fixture
def toy(monkeypatch):
    monkeypatch.setitem(VIEWS, "toy", ToyView)


def test_a_third_view_works_through_draw_and_steps_with_one_registry_line(toy, tmp_path):
    x = Value(2.0, label="x")
    y = (x * 3).exp()
    assert draw(y, view="toy", number_format=".2f").source.count("label=") == 1 + 3
    assert "label=6.00" in draw(y, view="toy", number_format=".2f").source
    assert [step.caption for step in steps(y, view="toy")] == ["value 0", "value 1"]
    frames = microbp.lecture.steps.frames(y, view="toy")
    assert [frame.graph_attr["label"] for _, frame in frames] == ["value 0", "value 1"]
    paths = render_steps(y, tmp_path / "frames", fmt="dot", view="toy")
    assert [Path(path).name for path in paths] == ["step-000.dot", "step-001.dot"]


def test_a_third_view_has_its_workload_checked(toy):
    with pytest.raises(microbp.GraphTooLargeError, match="lecture: 2 frames of up to 3 .* or draw fewer values"):
        microbp.lecture.steps.frames((Value(1.0) * 3).exp(), view="toy", max_elements=5)


@pytest.mark.needs_dot
def test_a_third_view_makes_a_slideshow_but_not_its_code(toy, tmp_path):
    y = (Value(2.0) * 3).exp()
    assert Path(slideshow(y, tmp_path / "toy.html", view="toy")).read_text().count('class="frame"') == 2
    with pytest.raises(ValueError, match="code=True shows the generated program .* leave out view='toy'"):
        slideshow(y, tmp_path / "toy.html", view="toy", code=True)


def test_an_unknown_view_is_refused_with_the_list_by_each_public_function(toy):
    y = Value(1.0).exp()
    for call, caller in ((lambda: draw(y, view="tree"), "draw"), (lambda: steps(y, view="tree"), "steps"),
                         (lambda: microbp.lecture.steps.frames(y, view="tree"), "frames")):
        with pytest.raises(ValueError, match=f"^{caller}: view must be 'graph', 'network', 'layers', 'toy' or 'auto', "
                                             "got 'tree'$"):
            call()
    with pytest.raises(ValueError, match="view must be"):
        draw(y, view=["graph"])


def network():
    return MLP(2, [2, 1], seed=0)([0.5, 1.0])


def test_auto_is_the_network_view_for_a_network_and_the_graph_view_otherwise():
    assert draw(network(), view="auto").source == draw(network(), view="network").source
    plain = Value(2.0, label="x").tanh()
    assert draw(plain, view="auto").source == draw(plain).source
    assert [s.caption for s in steps(network(), view="auto")] == [s.caption for s in steps(network(), view="network")]
    assert type(resolve_view("auto", Graph(plain), "draw")).__name__ == "GraphView"


def test_the_default_view_is_auto_the_network_view_for_a_network():
    assert draw(network()).source == draw(network(), view="network").source
    assert "shape=circle" in draw(network()).source
    assert draw(network(), collapse=1).source == draw(network(), view="graph", collapse=1).source   # graph only
    assert draw(network(), show=("data",)).source == draw(network(), view="graph", show=("data",)).source
    neuron = microbp.lecture_neuron()            # one unit: its graph is its lecture
    assert draw(neuron).source == draw(neuron, view="graph").source
    assert [s.caption for s in steps(network())] == [s.caption for s in steps(network(), view="network")]
    x = Value(2.0, label="x")
    assert "shape=circle" not in draw(x * x).source


def test_options_are_checked_once_and_frozen():
    options = DrawOptions.checked("draw", highlight=[], theme="dark")
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.theme = "light"
    with pytest.raises(TypeError, match="draw.. got an unexpected keyword argument 'colour'"):
        draw(Value(1.0), colour="red")


class Recording(ToyView):
    """The toy view, noting the options object each question is asked with."""

    seen: typing.ClassVar[list] = []

    def steps(self, graph, lecture):
        self.seen.append(lecture)
        return super().steps(graph, lecture)

    def frames(self, graph, steps, lecture):
        self.seen.append(lecture)
        return super().frames(graph, steps, lecture)

    def workload(self, graph, lecture):
        self.seen.append(lecture)
        return super().workload(graph, lecture)


def test_a_lecture_passes_one_options_object_down_unchanged(monkeypatch):
    monkeypatch.setitem(VIEWS, "recording", Recording)
    Recording.seen = []
    microbp.lecture.steps.frames((Value(2.0) * 3).exp(), view="recording", theme="dark", captions=False)
    first = Recording.seen[0]
    assert len(Recording.seen) == 3 and all(seen is first for seen in Recording.seen)
    assert first.drawing.theme == "dark" and first.captions is False and first.drawing.title is None


def test_the_network_view_refuses_graph_options_in_lectures_as_in_draw():
    for call in (lambda: draw(network(), view="network", show=("data",)),
                 lambda: microbp.lecture.steps.frames(network(), view="network", show=("data",))):
        with pytest.raises(ValueError, match="show apply to view='graph' only"):
            call()


def test_a_graph_too_large_hears_what_the_other_views_offer():
    with scope("layer"):
        big = sum(Value(float(i)).tanh() for i in range(120))
    with pytest.raises(microbp.GraphTooLargeError) as refused:
        draw(big)
    assert "view='network'" not in str(refused.value)         # not a network of units: no offer
    with pytest.raises(microbp.GraphTooLargeError, match="or view='network' to draw its 5 units as circles") as small:
        draw(MLP(3, [2, 2, 1], seed=0)([0.1, 0.2, 0.3]), view="graph", max_nodes=10)
    assert "view='layers'" not in str(small.value)      # one offer per network: circles where they read
    with pytest.raises(microbp.GraphTooLargeError) as dense:      # 64 weights into a layer: no circles offered
        draw(MLP(3, [8, 8, 1], seed=0)([0.1, 0.2, 0.3]), view="graph", max_nodes=10)
    assert "view='network'" not in str(dense.value) and "or view='layers' to draw its 3-8-8-1 layers" in str(dense.value)


def test_the_slideshow_reads_its_style_and_script_from_package_data():
    from importlib import resources
    for name in ("slideshow.css", "slideshow.js"):
        assert resources.files("microbp.lecture").joinpath(name).read_text(encoding="utf-8").strip()
    assert "microbp.lecture = slideshow.css, slideshow.js" in (ROOT / "setup.cfg").read_text(encoding="utf-8")


def test_an_installed_wheel_holds_the_slideshow_files_and_finds_them(tmp_path):
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path / "wheel"), str(ROOT)], check=False, capture_output=True, text=True)
    if built.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {built.stderr.strip()[-300:]}")
    wheel = next((tmp_path / "wheel").glob("microbp-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "microbp/lecture/slideshow.css" in names and "microbp/lecture/slideshow.js" in names
    zipfile.ZipFile(wheel).extractall(tmp_path / "site")
    script = ("import microbp.lecture.slideshow as s; print(s.__file__); "
              "print(len(s._asset('slideshow.css')) > 1000, 'function show' in s._asset('slideshow.js'))")
    found = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, cwd=tmp_path,
                           env={"PYTHONPATH": str(tmp_path / "site"), "PATH": ""})
    assert found.returncode == 0, found.stderr
    where, answer = found.stdout.splitlines()
    assert where.startswith(str(tmp_path / "site")) and answer == "True True"


@pytest.mark.needs_dot
def test_jupyter_shows_a_network_in_the_network_view_and_a_graph_as_a_graph():
    bundle = microbp._display(microbp.walkthrough_network())
    assert bundle["image/svg+xml"].count("<ellipse") == 1 + 5          # the input and five units, as circles
    neuron = microbp._display(microbp.lecture_neuron())["image/svg+xml"]
    assert "data 0.7071" in neuron and "<polygon" in neuron            # the graph view's boxes
