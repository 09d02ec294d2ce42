"""The views by name, and the one place that turns ``view=`` into a view.

A new view is one module beside these and one line in ``VIEWS``. ``"auto"``
is the network view for a graph that is a network (``microbp.network.model``),
the graph view otherwise.

>>> from microbp import Value
>>> type(resolve_view("network", Value(1.0), "draw")).__name__
'NetworkView'
>>> resolve_view("tree", Value(1.0), "draw")
Traceback (most recent call last):
  ...
ValueError: draw: view must be 'graph', 'network' or 'auto', got 'tree'
"""

from __future__ import annotations

from ...errors import NotANetworkError
from .graph import GraphView
from .network import NetworkView
from .view import View

VIEWS: dict[str, type[View]] = {"graph": GraphView, "network": NetworkView}


def resolve_view(view, graph, caller: str) -> View:
    """A fresh view for ``view`` (a name of ``VIEWS``, or ``"auto"``); an unknown name is refused, with the list."""
    if isinstance(view, str) and view in VIEWS:
        return VIEWS[view](instead=lambda graph: _offers(graph, view))
    if isinstance(view, str) and view == "auto":
        return _auto(graph)
    names = [repr(name) for name in VIEWS] + ["'auto'"]
    raise ValueError(f"{caller}: view must be {', '.join(names[:-1])} or {names[-1]}, got {view!r}")


def _auto(graph) -> View:
    """The network view when the graph is a network of units, else the graph view."""
    view = resolve_view("network", graph, "auto")
    try:
        view.network(graph)
    except NotANetworkError:
        return resolve_view("graph", graph, "auto")
    return view


def _offers(graph, refusing: str) -> str:
    """How the views other than ``refusing`` would draw ``graph``: ``", or view='network' to ..."``."""
    offers = (VIEWS[name]().offer(graph) for name in VIEWS if name != refusing)
    return "".join(f", or {offer}" for offer in offers if offer)
