"""User text in a drawing: labels, scope names and titles, shown literally whatever they hold.

Graphviz reads HTML-like labels, so text is escaped; characters dot cannot
take are drawn as visible symbols, and very long text is cut short.
"""

from __future__ import annotations

import html
import re

LABEL_LIMIT = 200       # characters of a label or scope name drawn; longer ones end in "…"
TITLE_LIMIT = 1000      # characters of a title drawn
# Characters dot cannot take in a label: C0 and C1 controls (but new line and tab), DEL, lone
# surrogates and Unicode noncharacters. They are drawn as visible symbols instead.
INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                       + "".join(chr(plane + 0xfffe) + chr(plane + 0xffff) for plane in range(0, 0x110000, 0x10000))
                       + "]")


def label_text(text: str, limit: int = LABEL_LIMIT) -> str:
    """User text for an HTML-like label: shown literally (escaped), new lines kept, tabs as spaces.

    >>> label_text("a<b\\x00\\nc" + "d" * 300)[:24], len(label_text("d" * 300))
    ('a&lt;b␀<BR/>cddddddddddd', 200)
    """
    text = str(text)
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    lines = html.escape(INVISIBLE.sub(_visible, text)).split("\n")
    return "<BR/>".join(" ".join(line.split("\t")) for line in lines)


def _visible(match) -> str:
    """A symbol for a character dot cannot take: ␀ to ␟ for C0 controls, ␡ for DEL, � for the rest."""
    code = ord(match.group())
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7f else "\ufffd"
