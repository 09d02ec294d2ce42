"""What the examples' figures share: matplotlib without a screen, and PNGs whose bytes depend only on the plot."""

from pathlib import Path


def pyplot():
    """matplotlib.pyplot on the Agg backend (no display needed)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save(figure, path: Path) -> Path:
    """Write ``figure`` as a PNG with no timestamp or version in it (the tests compare bytes), and close it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100, bbox_inches="tight", metadata={"Software": None})
    pyplot().close(figure)
    return path
