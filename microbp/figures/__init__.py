"""Figures: the views of a graph as Graphviz DOT, and rendering them to files and Jupyter.

The pictures of the two views (``microbp.lecture.views``): ``graph_view`` (one
box per node) and ``network_view`` (a circle per unit). ``options`` holds how
to draw, checked once; ``collapse`` folds a network's units into boxes,
``themes`` and ``labels`` hold the styling and the escaping, and ``render``
runs ``dot`` (SVG, PNG, PDF) and makes what Jupyter shows. Nothing here
imports the lectures.
"""
