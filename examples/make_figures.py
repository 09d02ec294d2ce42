"""Regenerate every figure in docs/ from the examples (tests fail when one is stale).

    python examples/make_figures.py [--out docs/figures]
"""

import argparse
import contextlib
import io
from pathlib import Path

import backprop_demo
import digits
import higher_order
import moons
import rendering_gallery
import tutorial_figures
from _optional import require

import microbp
import microbp.figures.render
import microbp.files


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs" / "figures"),
                        help="the docs' figures folder (default: %(default)s)")
    args = parser.parse_args(argv)
    require(parser, "tqdm", "numpy", "sklearn", "matplotlib")
    out = Path(args.out)
    with contextlib.redirect_stdout(io.StringIO()):
        rendering_gallery.main(["--out", str(out / "rendering")])
        error = backprop_demo.main(["--out", str(out / "training")])[0]
        microbp.render(error, out / "training" / "backprop.dot", view="network")
        for name, frame in backprop_demo.figure_frames().items():
            for fmt in ("dot", "svg"):
                microbp.files.write_atomically(out / "network" / f"{name}.{fmt}", frame.source.encode("utf-8")
                                               if fmt == "dot" else microbp.figures.render.image_bytes(frame, fmt))
        microbp.render_steps(microbp.lecture_neuron(backward=False), out / "lecture")
        microbp.render_steps(microbp.lecture_neuron(backward=False), out / "lecture", fmt="dot")
        moons.main(["--out", str(out / "training"), "--quiet"])
        digits.main(["--out", str(out / "training")])
        tutorial_figures.main(["--out", str(out)])
        higher_order.main(["--out", str(out / "higher-order")])
    for path in sorted(out.rglob("*")):
        if path.is_file():
            print(path)


if __name__ == "__main__":
    main()
