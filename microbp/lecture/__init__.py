"""Lectures: forward and backward one step at a time, with captions, as frames and a slideshow.

``views`` holds the views, one object each (draw, steps, frames, workload),
and the registry that resolves ``view=``; ``steps`` reads the options once
(``options``), chooses the view once and asks it; ``graph_steps`` and
``graph_frames`` make the graph view's lecture, ``network_steps`` and
``network_frames`` the network view's; ``step`` is a step of either;
``captions`` writes each step as the table's formula and its numbers;
``tangent_steps``, ``graph_tangents`` and ``network_tangents`` give the
forward-mode lecture (``mode="forward"``: values and tangents), and
``mode_costs`` its comparison of what both modes cost;
``workload`` refuses a lecture too large to make before any work; and
``slideshow`` writes one self-contained HTML file (its CSS and JavaScript are
package data beside it).
"""
