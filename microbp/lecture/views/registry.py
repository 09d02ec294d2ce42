"""The views by name, and the one place that turns ``view=`` into a view.

A new view is one module beside these and one line in ``VIEWS``. ``"auto"``
(the default of ``draw``, ``render``, ``steps``, ``slideshow`` and Jupyter's
display) is the network view for a graph that is a network of two units or
more (``microbp.network.model``), the layers view for a network too dense for a
circle per unit (more than ``network.LARGEST_CIRCLES_MATRIX`` weights into a layer:
measured in Chromium at 1024×768, the network view's text is 18 px for 2-6-1 (12
weights into a layer) and 19 px for 2-3-3-1 (9), but 13 px for 2-8-1 (16) and 14 px
for 2-4-4-1 and 2-5-5-1, under the 16 px a projector needs), the graph view otherwise,
or when an option only the graph view shows is given (``collapse``, ``show``,
``highlight``, ...).

>>> from microbp import Value
>>> type(resolve_view("network", Value(1.0), "draw")).__name__
'NetworkView'
>>> resolve_view("tree", Value(1.0), "draw")
Traceback (most recent call last):
  ...
ValueError: draw: view must be 'graph', 'network', 'layers' or 'auto', got 'tree'
"""

from __future__ import annotations

from ...errors import NotANetworkError
from .graph import GraphView
from .layers import LayersView
from .network import GRAPH_ONLY, NetworkView, too_dense
from .view import View

VIEWS: dict[str, type[View]] = {"graph": GraphView, "network": NetworkView, "layers": LayersView}


def resolve_view(view, graph, caller: str, given: dict | None = None) -> View:
    """A fresh view for ``view`` (a name of ``VIEWS``, or ``"auto"``); an unknown name is refused, with the list.

    ``given`` holds the options the caller was given: for ``"auto"``, one that only the graph view
    can show (``GRAPH_ONLY``, ``collapse``, ``code``) chooses the graph view.
    """
    if isinstance(view, str) and view in VIEWS:
        return VIEWS[view](instead=lambda graph: _offers(graph, view))
    if isinstance(view, str) and view == "auto":
        return resolve_view("graph", graph, caller) if _graph_only(given or {}) else _auto(graph)
    names = [repr(name) for name in VIEWS] + ["'auto'"]
    raise ValueError(f"{caller}: view must be {', '.join(names[:-1])} or {names[-1]}, got {view!r}")


def _graph_only(given: dict) -> bool:
    """Whether ``given`` asks for something only the graph view shows.

    >>> _graph_only({"collapse": 2}), _graph_only({"collapse": None, "theme": "print"}), _graph_only({"show": ()})
    (True, False, True)
    """
    named = [name for name in GRAPH_ONLY + ("collapse", "code") if name != "show"]
    return "show" in given or any(given.get(name) not in (None, False, frozenset(), ()) for name in named)


def _auto(graph) -> View:
    """The network view when the graph is a network of two units or more, the layers view when more
    than ``LARGEST_CIRCLES_MATRIX`` weights enter one of its layers, else the graph view."""
    view = resolve_view("network", graph, "auto")
    try:
        network = view.network(graph)
    except NotANetworkError:
        return resolve_view("graph", graph, "auto")
    if len(network.units) < 2:
        return resolve_view("graph", graph, "auto")
    return resolve_view("layers", graph, "auto") if too_dense(network) else view


def _offers(graph, refusing: str) -> str:
    """How the views other than ``refusing`` would draw ``graph``: ``", or view='network' to ..."``."""
    offers = (VIEWS[name]().offer(graph) for name in VIEWS if name != refusing)
    return "".join(f", or {offer}" for offer in offers if offer)
