"""Figures: the views of a graph as Graphviz DOT, and rendering them to files and Jupyter.

A view (``views``) is one object that draws a graph, lists its lecture steps,
makes its frames and sizes the work: ``graph_view`` (one box per node) and
``network_view`` (a circle per unit). ``collapse`` folds a network's units
into boxes, ``themes`` and ``labels`` hold the styling and the escaping, and
``render`` runs ``dot`` and writes SVG, PNG, PDF or DOT.
"""
