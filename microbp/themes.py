"""Drawing styles, all in one place: one dict per theme.

``light`` is for screens, ``dark`` for dark slides and notebooks, ``print`` is
grayscale with large type, for projectors and paper (gradient colours are off
there unless asked for; the numbers carry the meaning).

>>> sorted(THEMES)
['dark', 'light', 'print']
>>> THEMES["print"]["fontsize"] > THEMES["light"]["fontsize"]
True
"""

THEMES = {
    "light": {
        "background": "white", "text": "#1a1a1a", "muted": "#8a8a8a", "edge": "#555555",
        "value_fill": "#eef4fb", "value_border": "#4a78a8", "leaf_fill": "#fff6dd",
        "op_fill": "#e8e8e8", "op_border": "#777777", "constant_text": "#6b6b6b",
        "highlight": "#d62728", "positive": (31, 119, 180), "negative": (214, 39, 40),
        "cluster": "#b0b0b0", "fontname": "Helvetica", "fontsize": 12, "penwidth": 1.2,
    },
    "dark": {
        "background": "#1e1e1e", "text": "#eeeeee", "muted": "#9a9a9a", "edge": "#bbbbbb",
        "value_fill": "#23384d", "value_border": "#6fa8dc", "leaf_fill": "#4a3f1f",
        "op_fill": "#3a3a3a", "op_border": "#aaaaaa", "constant_text": "#b0b0b0",
        "highlight": "#ffb000", "positive": (86, 156, 214), "negative": (244, 71, 71),
        "cluster": "#6a6a6a", "fontname": "Helvetica", "fontsize": 12, "penwidth": 1.2,
    },
    "print": {
        "background": "white", "text": "black", "muted": "#555555", "edge": "black",
        "value_fill": "white", "value_border": "black", "leaf_fill": "#e6e6e6",
        "op_fill": "white", "op_border": "black", "constant_text": "#333333",
        "highlight": "black", "positive": (90, 90, 90), "negative": (30, 30, 30),
        "cluster": "#444444", "fontname": "Helvetica", "fontsize": 20, "penwidth": 2.0,
    },
}
