"""Drawing styles, all in one place: a row per property, a column per theme.

``light`` is for screens, ``dark`` for dark slides and notebooks, ``print`` is
grayscale with large type, for projectors and paper (gradient colours are off
there unless asked for; the numbers carry the meaning). In ``print`` the
current step is the only thing drawn in black lines: every other border and
edge is a thinner gray, so the highlight stands out without colour.

>>> sorted(THEMES)
['dark', 'light', 'print']
>>> THEMES["print"]["fontsize"] > THEMES["light"]["fontsize"]
True
>>> THEMES["print"]["highlight"] in (THEMES["print"]["value_border"], THEMES["print"]["edge"])
False
"""

_THEME_NAMES = ("light", "dark", "print")

_PROPERTIES = {     # property: (light, dark, print)
    "background": ("white", "#1e1e1e", "white"),
    "text": ("#1a1a1a", "#eeeeee", "black"),
    "muted": ("#8a8a8a", "#9a9a9a", "#555555"),
    "edge": ("#555555", "#bbbbbb", "#707070"),
    "value_fill": ("#eef4fb", "#23384d", "white"),
    "value_border": ("#4a78a8", "#6fa8dc", "#707070"),
    "leaf_fill": ("#fff6dd", "#4a3f1f", "#e6e6e6"),
    "op_fill": ("#e8e8e8", "#3a3a3a", "white"),
    "op_border": ("#777777", "#aaaaaa", "#707070"),
    "constant_text": ("#6b6b6b", "#b0b0b0", "#333333"),
    "highlight": ("#d62728", "#ffb000", "black"),     # print: the only black line
    "highlight_fill": ("#ffe08a", "#6b5200", "#d0d0d0"),  # the network view's row of the current step
    "edge_label": ("#1a1a1a", "#eeeeee", "black"),    # on the edge, as dark as the text
    "positive": ((31, 119, 180), (86, 156, 214), (90, 90, 90)),
    "negative": ((214, 39, 40), (244, 71, 71), (30, 30, 30)),
    "cluster": ("#b0b0b0", "#6a6a6a", "#444444"),
    "fontname": ("Helvetica", "Helvetica", "Helvetica"),
    "fontsize": (12, 12, 20),
    "network_fontsize": (18, 18, 20),
    "penwidth": (1.2, 1.2, 1.5),   # print: highlighted edges (3) twice as thick
}

THEMES = {name: {key: values[column] for key, values in _PROPERTIES.items()}
          for column, name in enumerate(_THEME_NAMES)}
