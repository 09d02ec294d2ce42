"""Telling a 5 from a 3: an MLP on scikit-learn's bundled 8×8 handwritten digits.

    python examples/digits.py --out out/digits

The digits ship with scikit-learn (no download). 64 pixels -> 16 tanh units ->
2 logits, softmax cross-entropy, Adam with mini-batches; accuracy on a held-out
30% split. Saves a figure of the test digits it gets wrong.
"""

import argparse
import random
from pathlib import Path

from _optional import require

import microbp
from microbp.losses import cross_entropy
from microbp.nn import MLP
from microbp.optim import Adam, ExponentialLR

CLASSES = (3, 5)


def load(seed=0):
    """(train, test): lists of (64 pixels in [0, 1], class index 0 for '3', 1 for '5', 8×8 image)."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    examples = [([float(v) / 16 for v in image.ravel()], CLASSES.index(int(label)), image)
                for image, label in zip(digits.images, digits.target) if label in CLASSES]
    random.Random(seed).shuffle(examples)
    split = int(len(examples) * 0.7)
    return examples[:split], examples[split:]


def predict(model, pixels) -> int:
    logits = model(pixels)
    return max(range(len(logits)), key=lambda k: logits[k].data)


def train(epochs=8, batch_size=16, seed=0):
    """Returns (model, test examples, test accuracy, mean loss per epoch)."""
    train_set, test_set = load(seed)
    model = MLP(64, [16, 2], activation="tanh", seed=seed)
    optimizer = Adam(model.parameters(), lr=0.01)
    schedule = ExponentialLR(optimizer, gamma=0.8)
    rng = random.Random(seed)
    history = []
    for _ in range(epochs):
        rng.shuffle(train_set)
        total = 0.0
        for start in range(0, len(train_set), batch_size):
            batch = train_set[start:start + batch_size]
            loss = microbp.sum(cross_entropy(model(pixels), label) for pixels, label, _ in batch) * (1 / len(batch))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.data * len(batch)
        schedule.step()
        history.append(total / len(train_set))
    correct = sum(predict(model, pixels) == label for pixels, label, _ in test_set)
    return model, test_set, correct / len(test_set), history


def save_mistakes(model, test_set, folder: Path) -> Path:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    mistakes = [(image, label) for pixels, label, image in test_set if predict(model, pixels) != label]
    columns = max(1, min(8, len(mistakes)))
    rows = max(1, -(-len(mistakes) // columns))
    figure, axes = plt.subplots(rows, columns, figsize=(1.4 * columns, 1.6 * rows + 0.4), squeeze=False)
    for axis in axes.ravel():
        axis.axis("off")
    for axis, (image, label) in zip(axes.ravel(), mistakes):
        axis.imshow(image, cmap="gray_r")
        axis.set_title(f"a {CLASSES[label]}, seen as {CLASSES[1 - label]}", fontsize=7)
    figure.suptitle(f"{len(mistakes)} of {len(test_set)} test digits misclassified" if mistakes
                    else f"all {len(test_set)} test digits classified correctly", fontsize=9)
    path = folder / "digits-mistakes.png"
    folder.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100, bbox_inches="tight", metadata={"Software": None})
    plt.close(figure)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="out/digits", help="folder for the figure (default: %(default)s)")
    parser.add_argument("--epochs", type=int, default=8, help="passes over the training set (default: %(default)s)")
    args = parser.parse_args(argv)
    require(parser, "sklearn", "matplotlib")
    model, test_set, accuracy, history = train(args.epochs)
    print("mean training loss per epoch:", " ".join(f"{loss:.4f}" for loss in history))
    print(f"held-out accuracy, 3 versus 5: {accuracy:.1%} on {len(test_set)} digits")
    print(save_mistakes(model, test_set, Path(args.out)))
    return accuracy


if __name__ == "__main__":
    main()
