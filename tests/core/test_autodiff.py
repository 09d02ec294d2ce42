"""gradients, grad, value_and_grad, hessian and hvp, against sympy: derivatives as functions and as graphs."""

import math

import pytest
import sympy

import microbp
from microbp import Graph, Value, grad, gradients, hessian, hvp, to_sympy, value_and_grad, verify

X, Y = sympy.symbols("x y", real=True)


def test_grad_is_the_derivative_by_one_argument_and_argnums_picks_more():
    f = lambda x, y: x * y + x.tanh()                  # noqa: E731
    exact = X * Y + sympy.tanh(X)
    dx = grad(f)(2.0, 3.0)
    assert math.isclose(dx, float(sympy.diff(exact, X).subs({X: 2, Y: 3})), rel_tol=1e-12)
    assert grad(f, argnums=1)(2.0, 3.0) == 2.0
    assert grad(f, argnums=(1, 0))(2.0, 3.0) == (2.0, dx)
    assert value_and_grad(lambda w: (w * w).log())(3.0) == (math.log(9), 2 / 3)


@pytest.mark.parametrize("order", [1, 2, 3, 4, 5])
def test_grad_composes_to_any_order(order):
    f = lambda x: (x * 0.7).tanh() * x.exp()          # noqa: E731
    derivative = f
    for _ in range(order):
        derivative = grad(derivative)
    exact = sympy.diff(sympy.tanh(X * sympy.Rational(7, 10)) * sympy.exp(X), X, order)
    for point in (-1.3, 0.0, 0.4, 2.5):
        assert math.isclose(derivative(point), float(exact.subs(X, point)), rel_tol=1e-10, abs_tol=1e-12)


def test_nested_derivatives_by_the_same_value_do_not_mix():
    """d/dx [x · (d/dy x·y)] = d/dx x² = 2x: the inner y stands for its own variable (JAX's test)."""
    assert grad(lambda x: x * grad(lambda y: x * y)(x))(3.0) == 6.0
    assert grad(lambda x: grad(lambda y: x * y)(x))(3.0) == 1.0


def test_leaves_are_labelled_by_parameter_names():
    seen = []

    def f(weight, bias):
        seen.extend([weight.label, bias.label])
        return weight * bias
    grad(f)(1.0, 2.0)
    assert seen == ["weight", "bias"]


def test_constant_functions_and_bad_input():
    assert value_and_grad(lambda x: 5)(1.0) == (5.0, 0.0)
    assert grad(grad(lambda x: x * 2))(1.0) == 0.0
    with pytest.raises(TypeError, match="must return a Value or a number; its result needs a real number, got 'x'"):
        grad(lambda x: "x")(1.0)
    with pytest.raises(TypeError, match="needs a function"):
        grad(3)
    with pytest.raises(TypeError, match=r"argument x needs a real number"):
        grad(lambda x: x)("1")
    with pytest.raises(ValueError, match=r"argnums: 2 is not an argument position \(the function got 2\)"):
        grad(lambda x, y: x * y, argnums=2)(1.0, 2.0)


def test_gradients_touch_no_grad_and_default_to_the_leaves():
    x, y = Value(0.5, label="x"), Value(-2.0, label="y")
    z = (x * y).sigmoid() + x
    grads = gradients(z)
    assert list(grads) == [x, y]
    assert all(node.grad is microbp.core.engine.NOT_COMPUTED for node in microbp.topological_order(z))
    z.backward()
    assert grads == {x: x.grad, y: y.grad}
    other = Value(1.0)
    assert gradients(z, [y]) == {y: y.grad} and gradients(z, other) == {other: 0.0}


def test_gradient_graphs_are_labelled_grouped_and_leave_the_forward_graph_alone():
    x, w = Value(2.0, label="x"), Value(-3.0, label="w")
    o = (x * w).tanh(); o.label = "o"
    forward = microbp.topological_order(o)
    before = [(node.label, node.grad) for node in forward]
    grads = gradients(o, create_graph=True)
    assert [g.label for g in grads.values()] == ["∂o/∂x", "∂o/∂w"]
    assert [(node.label, node.grad) for node in forward] == before
    new = [node for node in microbp.topological_order(grads[x]) if node not in set(forward)]
    assert new and all(node.scope and node.scope[-1] == "backward" for node in new)
    assert grads[w].parents != () and grads[x] is not w         # ∂(x·w)/∂x is w: a new node stands for it


def test_a_gradient_graph_is_an_ordinary_graph_verify_and_to_sympy_read_it():
    x, y = Value(0.8, label="x"), Value(0.3, label="y")
    o = (x * y).sin() + y.exp() * x
    dx = gradients(o, x, create_graph=True)[x]
    assert sympy.simplify(to_sympy(dx) - sympy.diff(to_sympy(o), X)) == 0
    report = verify(dx)                                    # the second derivatives, against sympy
    assert report.ok and len(report.leaves) == 2


def test_hessian_and_hvp_agree_with_sympy():
    f = lambda x, y: (x * y).sin() + x ** 3 * y           # noqa: E731
    exact = sympy.sin(X * Y) + X ** 3 * Y
    point = {X: 0.7, Y: -1.1}
    h = hessian(f)(0.7, -1.1)
    for i, a in enumerate((X, Y)):
        for j, b in enumerate((X, Y)):
            assert math.isclose(h[i][j], float(sympy.diff(exact, a, b).subs(point)), rel_tol=1e-12)
    product = hvp(f)([0.7, -1.1], [2.0, -0.5])
    assert product == pytest.approx([h[0][0] * 2 - h[0][1] * 0.5, h[1][0] * 2 - h[1][1] * 0.5], rel=1e-12)
    assert hessian(lambda x: 3.0)(1.0) == [[0.0]]
    with pytest.raises(ValueError, match="the vector has 1 entries, the point 2"):
        hvp(f)([1.0, 2.0], [1.0])


def test_create_graph_gradients_equal_the_float_ones():
    x, y = Value(1.3, label="x"), Value(-0.4, label="y")
    o = (x * y + x.relu() - y.abs()).tanh() * (x / (y * y + 1)).sqrt()
    floats = gradients(o)
    graphs = gradients(o, create_graph=True)
    for leaf in (x, y):
        assert math.isclose(graphs[leaf].data, floats[leaf], rel_tol=1e-14)


def test_graph_is_built_once_and_read_by_everyone():
    x = Value(1.0, label="x")
    graph = Graph((x * x).tanh())
    assert Graph.of(graph) is graph and gradients(graph)[x] == Graph(graph.root).gradients[x]


# --- zero times anything is zero, in gradients as graphs too (issue #22, items 1 and 4) ---------

def test_relu_under_sqrt_has_gradient_zero_as_a_graph_as_in_backward():
    """relu(x) = 0 under sqrt, whose slope there is inf: step(x) = 0 passes nothing on, in backward and in
    the graph create_graph builds (once 0 × inf = nan); PyTorch gives 0 too."""
    x = Value(-1.0, label="x")
    y = x.relu().sqrt()
    as_graph = gradients(y, x, create_graph=True)[x]
    assert as_graph.data == gradients(y, x)[x] == 0.0
    assert gradients(as_graph, x)[x] == 0.0


def test_hessian_of_relu_under_sqrt_is_zeros_not_nan():
    assert hessian(lambda x, y: (x * y).relu().sqrt())(-1.0, 2.0) == [[0.0, 0.0], [0.0, 0.0]]


def test_derivative_formulas_on_values_mask_zero_times_infinity_as_on_floats():
    """∂(a ** b)/∂a = b · a ** (b - 1) at a = b = 0 is 0 · inf: 0 on floats and, as a times node, on Values."""
    x = Value(0.0, label="x")
    y = x ** x
    graph = gradients(y, x, create_graph=True)[x]
    assert graph.data == gradients(y, x)[x] == 0.0


def test_zero_to_the_zero_inside_a_derivative_is_pytorch_s():
    """0 ** (a - a) is 1 for every a, so d/da [-(0 ** (a - a)) - a] = -1: ∂(0 ** b)/∂b is 0 at b = 0,
    as PyTorch takes it, not -inf (which made inf - inf = nan through a - a)."""
    f = lambda a: -(0.0 ** (a - a)) - a  # noqa: E731
    assert grad(f)(-1.36) == -1.0
    assert grad(grad(f))(-1.36) == 0.0
    torch = pytest.importorskip("torch")
    a = torch.tensor(-1.36, dtype=torch.float64, requires_grad=True)
    (-(torch.tensor(0.0, dtype=torch.float64) ** (a - a)) - a).backward()
    assert a.grad.item() == -1.0
