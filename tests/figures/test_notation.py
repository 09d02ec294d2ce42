"""A network's notation in a single picture: the same names as the lecture's captions, for every preset,
and no names carried from one picture to the next (``microbp.network.notation`` renames a Network)."""

import html
import re
from pathlib import Path

import pytest

import microbp
from microbp import Value
from microbp.network.notation import NOTATIONS
from microbp.nn import MLP


def nn_network():
    """A 2-2-1 network made by microbp.nn, its inputs labelled as a user would, with a loss."""
    model = MLP(2, [2, 1], activation="sigmoid", seed=1)
    out = model([Value(1.0, label="u"), Value(-2.0, label="v")])
    loss = (out - 0.5) ** 2
    loss.label = "loss"
    loss.backward()
    return loss


NETWORKS = {"walkthrough_network": microbp.walkthrough_network, "microbp.nn": nn_network}


def picture_names(source: str) -> set:
    """The names a network picture shows: each circle's rows and each edge's weight, without derivatives."""
    rows = re.findall(r'<TD ALIGN="RIGHT"[^>]*>(.*?)</TD>', source)
    weights = re.findall(r"<TR><TD>([^<]*?) [^ <]*</TD></TR>", source)
    names = {html.unescape(re.sub(r"<[^>]+>", "", text)) for text in rows + weights}
    return {name for name in names if "/" not in name}


def caption_names(steps) -> set:
    """The names the captions compute: what each line's left side is, or is the derivative of."""
    names = set()
    for line in (line for step in steps for line in step.caption.splitlines()):
        head = re.split(r" = | ← ", line)[0]
        if "/" not in head:
            names.add(head)
        elif head.startswith("d"):
            names.add(head.split("/d", 1)[1])
    return names


@pytest.mark.parametrize("notation", NOTATIONS)
@pytest.mark.parametrize("network", sorted(NETWORKS))
def test_the_picture_names_what_the_captions_name(network, notation):
    root = NETWORKS[network]()
    shown = picture_names(microbp.draw(root, view="network", notation=notation).source)
    assert shown == caption_names(microbp.steps(root, view="network", notation=notation))
    assert len(shown) >= 15


@pytest.mark.parametrize("network", sorted(NETWORKS))
def test_each_preset_draws_its_own_letters(network):
    root = NETWORKS[network]()
    shown = {notation: picture_names(microbp.draw(root, view="network", notation=notation).source)
             for notation in NOTATIONS}
    assert {"x₀", "z₂", "a₂", "L"} <= shown["textbook"] and not {"y₀", "x₂", "y₂"} & shown["textbook"]
    assert {"y₀", "x₂", "y₂"} <= shown["walkthrough"] and not {"z₂", "a₂", "L"} & shown["walkthrough"]
    assert shown["labels"] != shown["textbook"] and shown["labels"] != shown["walkthrough"]


def test_the_walkthrough_labels_are_the_users_own():
    shown = picture_names(microbp.draw(microbp.walkthrough_network(), view="network", notation="labels").source)
    assert {"y0", "x3", "y3", "w35", "E"} <= shown


def test_a_picture_leaves_no_names_for_the_next():
    root = microbp.walkthrough_network()
    graph = microbp.Graph(root)
    default = microbp.draw(root, view="network").source
    for notation in NOTATIONS:
        for drawn in (root, graph):
            microbp.draw(drawn, view="network", notation=notation)
            assert microbp.draw(drawn, view="network").source == default
    microbp.steps(graph, view="network", notation="textbook")
    assert microbp.draw(graph).source == default
    assert [step.caption for step in microbp.steps(graph)] == [step.caption for step in microbp.steps(root)]


def test_the_graph_view_refuses_a_notation_and_offers_the_network_view():
    root = microbp.walkthrough_network()
    with pytest.raises(ValueError, match=r"draw: notation='textbook' names .*: draw it with view='network'$"):
        microbp.draw(root, view="graph", notation="textbook")
    with pytest.raises(ValueError, match=r"steps: notation='textbook' names a network's units.*: leave notation out"):
        microbp.steps(Value(2.0, label="x").exp(), notation="textbook")
    for same in ("walkthrough", "labels"):      # the graph view writes each value under its own label anyway
        assert microbp.draw(root, view="graph", notation=same).source == microbp.draw(root, view="graph").source


def test_an_unknown_notation_is_refused_once_listing_the_presets(tmp_path):
    wanted = "notation must be one of 'walkthrough', 'textbook', 'labels', got 'greek'"
    for call in (lambda: microbp.draw(Value(1.0), notation="greek"),
                 lambda: microbp.render(Value(1.0), tmp_path / "a.dot", notation="greek"),
                 lambda: microbp.steps(Value(1.0), notation=None)):
        with pytest.raises(ValueError, match="notation must be one of 'walkthrough', 'textbook', 'labels', got"):
            call()
    with pytest.raises(ValueError, match=f"^draw: {wanted}$"):
        microbp.draw(microbp.walkthrough_network(), view="network", notation="greek")
    assert not list(tmp_path.iterdir())


@pytest.mark.needs_dot
def test_the_rendered_picture_carries_the_textbook_names(tmp_path):
    path = microbp.render(microbp.walkthrough_network(), tmp_path / "network.svg", notation="textbook")
    svg = html.unescape(Path(path).read_text(encoding="utf-8"))
    assert all(name in svg for name in ("z₃", "a₃", "x₀", "dL/dw₃₅")) and "y₃" not in svg
