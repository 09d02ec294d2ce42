"""Captions as a teacher writes them: simplified local derivatives, loss blocks, the lecturer's names,
and the optimizer's own update equations (issue #23, part B)."""

import random
import re

import pytest
import sympy
from sympy.parsing.sympy_parser import (
    convert_xor,
    implicit_multiplication_application,
    parse_expr,
    standard_transformations,
)

import microbp
from microbp import TABLE, Value, apply, losses, scope
from microbp.lecture.simplify import simplified_locals
from microbp.optim import SGD, Adam, StepLR

# --- simplified local derivatives equal sympy's, over every row of the table --------------------------

NAMES = ("a", "b", "c", "d", "e", "g")
POINT = (0.7, 1.3, 0.4, 0.9, 1.7, 0.6)      # positive and off every kink, inside every domain


def operands(row) -> list:
    count = row.arity or (3 if row.shape == (1, 0) else 2 * row.shape[0] + row.shape[1])
    return [Value(x, label=name) for x, name in zip(POINT[:count], NAMES)]


def read_back(text: str):
    """A caption's maths as sympy: the printer's marks turned back into Python's."""
    for maths, python in (("−", "-"), ("·", "*"), ("√", "sqrt"), ("½", "(1/2)"), ("²", "**2"), ("³", "**3")):
        text = text.replace(maths, python)
    symbols = {name: sympy.Symbol(name, positive=True) for name in (*NAMES, "f")}
    return parse_expr(text, local_dict=symbols, transformations=standard_transformations
                      + (implicit_multiplication_application, convert_xor))


@pytest.mark.parametrize("row", TABLE, ids=[row.name for row in TABLE])
def test_simplified_local_derivatives_equal_sympys_derivative_of_the_row(row):
    inputs = operands(row)
    node = apply(row, inputs)
    symbols = [sympy.Symbol(v.label, positive=True) for v in inputs]
    expression = row.sympy(sympy, *symbols)
    texts = simplified_locals(node, lambda v: "f" if v is node else v.label)
    checked = 0
    for i, (text, symbol) in enumerate(zip(texts, symbols)):
        if re.search("Piecewise|Heaviside|sign", text):      # a kink: the caption keeps the table's formula
            continue
        claimed = read_back(text).subs(sympy.Symbol("f", positive=True), expression)
        exact = sympy.diff(expression, symbol)
        at = dict(zip(symbols, POINT))
        assert sympy.simplify(claimed - exact) == 0 or abs(float((claimed - exact).subs(at))) < 1e-12, (text, exact)
        checked += 1
    assert checked or row.name in ("relu", "abs", "step", "sign", "max", "min"), row.name


def test_a_teachers_derivatives_are_simplified():
    a = Value(3.0, label="a")
    y = Value(0.5, label="x").sigmoid()
    assert simplified_locals(a ** 2, lambda v: v.label or "f")[0] == "2a"
    assert simplified_locals(y, lambda v: "y" if v is y else "x") == ("y(1 − y)",)
    assert simplified_locals(a.tanh(), lambda v: v.label or "f") == ("1 − f²",)


# --- losses -------------------------------------------------------------------------------------------

def neuron():
    """The issue's neuron: x, w, b, z = w·x + b, a = σ(z)."""
    x, w, b = Value(1.0, label="x"), Value(0.5, label="w"), Value(0.1, label="b")
    with scope("neuron"):
        z = w * x + b
        z.label = "z"
        a = z.sigmoid()
        a.label = "a"
    return x, w, b, z, a


def captions(root, **options):
    return [step.caption for step in microbp.steps(root, **options)]


def test_half_squared_error_by_hand_is_simplified_and_has_no_caret():
    *_, a = neuron()
    t = Value(0.2, label="t")
    lecture = captions((a - t) ** 2 * 0.5, view="network")
    assert lecture[1].startswith("E = (y₁ − t)² × 0.5 = ") and "^" not in lecture[1]
    assert lecture[2].startswith("∂E/∂y₁ = y₁ − t = 0.4457\n")
    chain = captions((a - t) ** 2 * 0.5, view="network", derivatives="chain")
    assert chain[2].startswith("∂E/∂y₁ = 2 × (y₁ − t) × 0.5 = 0.4457")


@pytest.mark.parametrize("view", ["graph", "network"])
def test_whole_powers_are_superscripts_in_every_view(view):
    """Captions write x², (y − t)² and x⁻¹, as a textbook does, in both views; Python keeps ``**``."""
    *_, a = neuron()
    t = Value(0.2, label="t")
    lecture = "\n".join(captions((a - t) ** 2 * 0.5 + a ** -1.0, view=view))
    assert "²" in lecture and "⁻¹" in lecture and "^" not in lecture
    assert "** 2" in microbp.to_text((a - t) ** 2)


def test_mse_is_a_block_written_as_the_textbook_writes_it():
    *_, a = neuron()
    lecture = captions(losses.mse(a, 0.2), view="network")
    assert lecture[1] == "E = (y₁ − t)² = (0.6457 − 0.2)² = 0.1986"
    assert lecture[2].startswith("∂E/∂y₁ = 2(y₁ − t) = 2 × (0.6457 − 0.2) = 0.8913\n")
    y5, y6 = Value(0.7, label="y5"), Value(0.1, label="y6")
    two = captions(losses.mse([y5, y6], [Value(1.0, label="t5"), Value(0.0, label="t6")]))
    assert two[0] == "f = ½[(y5 − t5)² + (y6 − t6)²] = ½[(0.7 − 1)² + (0.1 − 0)²] = 0.05"
    assert any(c.startswith("∂f/∂y5 = y5 − t5 = 0.7 − 1 = −0.3\n") for c in two)


def test_cross_entropy_is_softmax_then_minus_log_with_p_minus_y_backward():
    z = [Value(1.0, label="z1"), Value(2.0, label="z2"), Value(0.5, label="z3")]
    loss = losses.cross_entropy(z, 0)
    loss.label = "L"
    lecture = microbp.steps(loss)
    assert len(lecture) == 5 and not any("v1" in step.caption for step in lecture)
    assert lecture[0].caption.startswith("p = softmax(z1, z2, z3) = (0.2312, 0.6285, 0.1402)\nL = −log p₁")
    grads = microbp.Graph(loss).gradients
    for i, zi in enumerate(z):
        step = next(s for s in lecture if s.node is zi)
        assert f"∂L/∂z{i + 1} = p{'₁₂₃'[i]} − y{'₁₂₃'[i]} = " in step.caption
        assert step.value == grads[zi]


def test_dL_dz_is_p_minus_y_in_sympy():
    z = sympy.symbols("z1:4")
    loss = -sympy.log(sympy.exp(z[0]) / sum(map(sympy.exp, z)))
    for i, zi in enumerate(z):
        p = sympy.exp(zi) / sum(map(sympy.exp, z))
        assert sympy.simplify(sympy.diff(loss, zi) - (p - (1 if i == 0 else 0))) == 0


def test_a_named_target_is_never_a_bare_number():
    *_, a = neuron()
    lecture = captions(losses.mse(a, Value(0.25, label="target")), view="network")
    symbolic = [line.split(" = ")[1] for caption in lecture for line in caption.splitlines() if "∂E" in line
                or line.startswith("E =")]
    assert symbolic and all("0.25" not in part for part in symbolic) and any("target" in p for p in symbolic)


# --- the lecturer's names -----------------------------------------------------------------------------

def test_notations_name_the_neuron_as_the_lecturer_does():
    *_, a = neuron()
    first = {notation: captions(a, view="network", notation=notation)[0]
             for notation in ("walkthrough", "textbook", "labels")}
    assert first["walkthrough"] == ("x₁ = w₀₁·y₀ + b₁ = 0.5·1 + 0.1 = 0.6\n"
                                    "y₁ = σ(x₁) = σ(0.6) = 0.6457")
    assert first["textbook"] == "z₁ = w₀₁·x₀ + b₁ = 0.5·1 + 0.1 = 0.6\na₁ = σ(z₁) = σ(0.6) = 0.6457"
    assert first["labels"] == "z = w·x + b = 0.5·1 + 0.1 = 0.6\na = σ(z) = σ(0.6) = 0.6457"
    with pytest.raises(ValueError, match="steps: notation must be one of 'walkthrough', 'textbook', 'labels'"):
        microbp.steps(a, view="network", notation="greek")


def test_hand_built_and_nn_networks_are_written_alike():
    from microbp.nn import Neuron
    random.seed(3)
    unit = Neuron(2, nonlin=True)
    weights = [w.data for w in unit.w]
    ours = unit([1.0, 2.0])
    x1, x2 = 1.0, 2.0
    w1, w2, b = Value(weights[0]), Value(weights[1]), Value(0.0)
    with scope("by hand"):
        hand = (w1 * x1 + w2 * x2 + b).relu()
    assert captions(ours, view="network") == captions(hand, view="network")


# --- the optimizer's own update --------------------------------------------------------------------------

def network(w=None):
    x = [Value(1.0, label="x1"), Value(-2.0, label="x2")]
    w = w or [Value(0.3), Value(-0.4), Value(0.2)]
    with scope("out"):
        y = (w[0] * x[0] + w[1] * x[1] + w[2]).tanh()
    return w, losses.mse(y, 0.5)


def test_adam_frames_show_adams_equations_with_its_numbers():
    torch = pytest.importorskip("torch")
    w, loss = network()
    start = [p.data for p in w]
    optimizer = Adam(w, lr=0.05, betas=(0.8, 0.99), eps=1e-6)
    for _ in range(2):                       # a state that is not zero: the frames read it
        optimizer.zero_grad()
        network(w)[1].backward()
        optimizer.step()
    _, loss = network(w)
    lecture = microbp.steps(loss, view="network", optimizer=optimizer)
    update = lecture[-1]
    assert update.phase == "update" and "m̂ = m ÷ (1 − β₁ ^ t)" in update.caption
    assert "t = 2 + 1 = 3" in update.caption and "v = 0.99 × " in update.caption
    shown = [value for _, value in update.terms]
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    assert shown == [p.data for p in w]                  # bit for bit: the optimizer's own arithmetic
    theirs = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    reference = torch.optim.Adam([theirs], lr=0.05, betas=(0.8, 0.99), eps=1e-6)
    for _ in range(3):
        reference.zero_grad()
        y = torch.tanh(theirs[0] * 1.0 + theirs[1] * -2.0 + theirs[2])
        ((y - 0.5) ** 2).backward()
        reference.step()
    assert shown == pytest.approx(theirs.tolist(), rel=1e-12)


def test_a_named_optimizer_and_a_schedule_give_their_own_equations():
    w, loss = network()
    adagrad = microbp.steps(loss, view="network", optimizer="adagrad", learning_rate=0.5)[-1].caption
    assert "s = s + g × g" in adagrad and "s = 0 + " in adagrad
    schedule = StepLR(SGD(w, lr=0.5, momentum=0.9), step_size=1, gamma=0.5)
    caption = microbp.steps(loss, view="network", optimizer=schedule)[-1].caption
    assert caption.startswith("StepLR") and "η = 0.5 × 0.5 = 0.25" in caption and "v = μ × v + g" in caption
    with pytest.raises(ValueError, match="steps: optimizer must be one of"):
        microbp.steps(loss, view="network", optimizer="rmsprop")


def test_the_update_frames_draw_the_optimizers_values():
    _, loss = network()
    frames = microbp.lecture.steps.frames(loss, view="network", optimizer="adam", learning_rate=0.1)
    step, picture = frames[-1]
    assert step.phase == "update"
    for _, value in step.terms:
        assert format(value, ".4g").replace("-", "−") in picture.source


# --- Jupyter ------------------------------------------------------------------------------------------

def test_a_step_and_a_graph_have_short_reprs():
    *_, a = neuron()
    lecture = microbp.steps(a)
    assert all(len(repr(step)) < 120 for step in lecture)
    assert repr(lecture[0]) == "Step(0, 'forward', 'v1 = w × x = 0.5 × 1 = 0.5')"
    assert repr(microbp.Graph(a)) == "Graph(root=a = 0.6457, 6 nodes, 3 leaves)"


@pytest.mark.needs_dot
def test_a_step_a_graph_and_a_lecture_show_richly_in_jupyter():
    *_, a = neuron()
    lecture = microbp.steps(a)
    page = lecture[4]._repr_html_()
    assert "<svg" in page and "da/dz = da/da · ∂a/∂z" in page.replace("&#x27;", "'")
    assert "image/svg+xml" in microbp.Graph(a)._repr_mimebundle_()
    shown = lecture._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and shown.count("class=&quot;frame") == len(lecture)
