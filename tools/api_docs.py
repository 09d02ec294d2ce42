"""Write docs/api.md from the docstrings, so the API reference cannot drift.

    python tools/api_docs.py          # rewrites docs/api.md; tests fail when it is stale
"""

import inspect
from pathlib import Path

import microbp
import microbp.losses
import microbp.nn
import microbp.optim
import microbp.update_rules

SECTIONS = [
    ("microbp", "The engine, drawing, verifying, lecturing", microbp,
     microbp.__all__ + [name for name in [*microbp.core.functions.PUBLIC_FUNCTIONS, *microbp._LAZY] if name not in microbp.__all__]),
    ("microbp.nn", "Neural networks", microbp.nn, ["Module", "Neuron", "Layer", "MLP"]),
    ("microbp.losses", "Losses", microbp.losses,
     ["mse", "binary_cross_entropy", "binary_cross_entropy_with_logits", "softmax", "cross_entropy", "hinge"]),
    ("microbp.optim", "Optimizers and schedules", microbp.optim,
     ["SGD", "Adagrad", "Adam", "AdamW", "StepLR", "ExponentialLR", "LinearLR"]),
    ("microbp.update_rules", "Update rules, as maths and JavaScript", microbp.update_rules,
     ["update_lines", "equations", "javascript", "rule_for"]),
]
SKIP = {"OPS", "TABLE"}          # data, described under Op
VALUE_METHODS = ["backward", "zero_grad"] + [row.name for row in microbp.TABLE
                                             if row.notation.form == "call" and row.arity == 1]


def signature(obj, name: str) -> str:
    try:
        return f"{name}{inspect.signature(obj)}"
    except (TypeError, ValueError):
        return name


def entry(module_name: str, name: str, obj) -> list:
    kind = "class" if inspect.isclass(obj) else "function"
    lines = [f"### `{module_name}.{name}`", "", f"{kind} `{signature(obj, name)}`", ""]
    lines += ["```text", inspect.getdoc(obj) or "(no docstring)", "```", ""]
    if obj is microbp.Value:
        for method in VALUE_METHODS:
            member = getattr(microbp.Value, method)
            lines += [f"- `Value.{signature(member, method)}`: {inspect.getdoc(member).splitlines()[0]}"]
        lines.append("")
    return lines


def render() -> str:
    lines = ["# API reference", "",
             "Generated from the docstrings by `tools/api_docs.py`; every example here runs in the tests.", ""]
    for module_name, title, module, names in SECTIONS:
        lines += [f"## {title} (`{module_name}`)", ""]
        for name in names:
            if name not in SKIP:
                lines += entry(module_name, name, getattr(module, name))
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "docs" / "api.md"
    target.write_text(render(), encoding="utf-8")
    print("wrote", target)
