"""Views: the ways of showing a graph, each one object, chosen once by name.

A view (``view.View``) draws a graph, lists its lecture steps, makes its
frames and counts its workload: ``graph.GraphView`` (a box per value, a node
per operation) and ``network.NetworkView`` (a circle per unit, the weights on
the edges). ``registry`` names them and resolves ``view=``. A new view is a
new module here and one line of the registry. They sit above the pictures
(``microbp.figures``) and the lecture's parts, and under the public functions:
``microbp.drawing`` (``draw``, ``render``), ``microbp.lecture.steps`` and
``microbp.lecture.slideshow``.
"""
