"""Hostile input to the library's public functions: one clear error, never a raw Python one.

Each row calls a public function with something wrong. The error must be a
MicrobpError, or a TypeError/ValueError whose message names the function or the
argument, so that a user can tell what to fix. Nothing here may hang or crash
inside a dependency.
"""

import math

import pytest

import microbp
from microbp import MicrobpError, Value
from microbp.programs.javascript import javascript, javascript_graph

x = Value(1.5, label="x")

HOSTILE = [   # (what is called, the call, words the message must contain)
    ("Value(data=None)", lambda: Value(None), "Value(data)"),
    ("Value(data=10**400)", lambda: Value(10 ** 400), "Value(data)"),
    ("Value(label=3)", lambda: Value(1.0, label=3), "label"),
    ("x * 'a'", lambda: x * "a", "mul"),
    ("'a' ** x", lambda: "a" ** x, "pow"),
    ("x + 10**400", lambda: x + 10 ** 400, "add"),
    ("x.log() at -1", lambda: Value(-1.0).log(), "log"),
    ("x / 0", lambda: x / 0, "truediv"),
    ("backward('1')", lambda: (x * 2).backward("1"), "backward(gradient)"),
    ("tanh('a')", lambda: microbp.tanh("a"), "tanh"),
    ("dot([x], [])", lambda: microbp.dot([x], []), "dot"),
    ("dot(x, x)", lambda: microbp.dot(x, x), "dot"),
    ("sum(x)", lambda: microbp.sum(x), "sum"),
    ("affine([x], [x])", lambda: microbp.affine([x], [x]), "affine"),
    ("apply(tanh, (x, x))", lambda: microbp.apply(microbp.OPS["tanh"], (x, x)), "tanh"),
    ("gradients(3.0)", lambda: microbp.gradients(3.0), "Value"),
    ("gradients(x, wrt='x')", lambda: microbp.gradients(x * 2, wrt="x"), "wrt"),
    ("grad(3)", lambda: microbp.grad(3), "function"),
    ("grad(f)('a')", lambda: microbp.grad(lambda v: v)("a"), "argument"),
    ("grad(f, argnums=5)", lambda: microbp.grad(lambda v: v, argnums=5)(1.0), "argnums"),
    ("grad(f returning 'x')", lambda: microbp.grad(lambda v: "x")(1.0), "must return"),
    ("hessian(f)(None)", lambda: microbp.hessian(lambda v: v * v)(None), "argument"),
    ("hvp(f)([1], [1, 2])", lambda: microbp.hvp(lambda v: v * v)([1.0], [1.0, 2.0]), "hvp"),
    ("hvp(f)([1], ['a'])", lambda: microbp.hvp(lambda v: v * v)([1.0], ["a"]), "hvp(vector)"),
    ("jvp(f, [1], [])", lambda: microbp.jvp(lambda v: v, [1.0], []), "tangents"),
    ("jvp(f, ['a'], [1])", lambda: microbp.jvp(lambda v: v, ["a"], [1.0]), "argument"),
    ("jvp(f, 1.0, 1.0)", lambda: microbp.jvp(lambda v: v, 1.0, 1.0), "jvp: primals"),
    ("jvp(x, [1.0], [1.0])", lambda: microbp.jvp(x * 2, [1.0], [1.0]), "jvp: primals[0]"),
    ("jvp(f returning 'x')", lambda: microbp.jvp(lambda v: "x", [1.0], [1.0]), "must return"),
    ("jacfwd(3)", lambda: microbp.jacfwd(3), "jacfwd"),
    ("jacrev(f)('a')", lambda: microbp.jacrev(lambda v: v)("a"), "argument"),
    ("jacobian(f, mode='x')", lambda: microbp.jacobian(lambda v: v, mode="x"), "jacobian: mode"),
    ("hessian(f, mode='x')", lambda: microbp.hessian(lambda v: v, mode="x"), "hessian: mode"),
    ("zero_grad([1.0])", lambda: microbp.zero_grad([1.0]), "zero_grad"),
    ("Graph('x')", lambda: microbp.Graph("x"), "Value"),
    ("scope('')", lambda: microbp.scope(""), "scope(name)"),
    ("scope(None)", lambda: microbp.scope(None), "scope(name)"),
    ("parse(3)", lambda: microbp.parse(3), "parse"),
    ("parse('')", lambda: microbp.parse(""), "empty"),
    ("parse('x', x='a')", lambda: microbp.parse("x", x="a"), "Value(data)"),
    ("parse('\\x00')", lambda: microbp.parse("x\x00", x=1), "NUL"),
    ("parse('x = 1; x')", lambda: microbp.parse("x = 1; x", x=1.0), "assigned"),
    ("parse('import os')", lambda: microbp.parse("import os"), "statements"),
    ("parse('x;;')", lambda: microbp.parse("x;;", x=1.0), "syntax"),
    ("to_text(3)", lambda: microbp.to_text(3), "Value"),
    ("topological_order(None)", lambda: microbp.topological_order(None), "topological_order"),
    ("draw(3)", lambda: microbp.draw(3), "draw"),
    ("draw(theme='neon')", lambda: microbp.draw(x * 2, theme="neon"), "theme"),
    ("draw(number_format='<>12')", lambda: microbp.draw(x * 2, number_format="<>12"), "number_format"),
    ("draw(max_nodes=0)", lambda: microbp.draw(x * 2, max_nodes=0), "max_nodes"),
    ("draw(view='3d')", lambda: microbp.draw(x * 2, view="3d"), "view"),
    ("draw(view='network') of a non-network", lambda: microbp.draw(x * 2, view="network"), "view='network'"),
    ("render(x, 'a.xyz')", lambda: microbp.render(x * 2, "a.xyz"), "render"),
    ("slideshow(x, 'a.svg')", lambda: microbp.slideshow(x * 2, "a.svg"), "slideshow"),
    ("steps(x, order='sideways')", lambda: microbp.steps(x * 2, order="sideways"), "order"),
    ("to_sympy('x')", lambda: microbp.to_sympy("x"), "to_sympy"),
    ("verify(3)", lambda: microbp.verify(3), "verify"),
    ("check_derivation(wrt='z')", lambda: microbp.check_derivation("x*x", "z", "2*x"), "z"),
    ("check_derivation('x +* 1')", lambda: microbp.check_derivation("x +* 1", "x", "1"), "syntax"),
    ("codegen(x, wrt=['x'])", lambda: microbp.codegen(x * 2, wrt=["x"]), "wrt"),
    ("compile(x, wrt=[3])", lambda: microbp.compile(x * 2, wrt=[3.0]), "wrt"),
    ("compile(...)(['a'])", lambda: microbp.compile(x * 2, wrt=[x])(["a"]), "compile"),
    ("codegen(mode='x')", lambda: microbp.codegen(x * 2, wrt=[x], mode="x"), "codegen: mode"),
    ("compile(mode='forward')(['a'], [1])", lambda: microbp.compile(x * 2, wrt=[x], mode="forward")(["a"], [1.0]),
     "wrt_values[0]"),
    ("compile(mode='forward')([1], ['a'])", lambda: microbp.compile(x * 2, wrt=[x], mode="forward")([1.0], ["a"]),
     "tangents[0]"),
    ("javascript_graph(3)", lambda: javascript_graph(3.0), "javascript_graph(root)"),
    ("javascript(variable='let')", lambda: javascript(x * 2, variable="let"), "variable"),
    ("javascript(variable='</script>')", lambda: javascript(x * 2, variable="</script>"), "variable"),
]


@pytest.mark.parametrize("call, words", [(call, words) for _, call, words in HOSTILE],
                         ids=[name for name, _, _ in HOSTILE])
def test_bad_input_gets_one_clear_error(call, words):
    with pytest.raises((MicrobpError, TypeError, ValueError)) as error:
        call()
    assert type(error.value).__module__ in ("microbp.errors", "builtins"), type(error.value)
    if words:
        assert words in str(error.value), str(error.value)


def test_non_finite_values_are_numbers_not_errors():
    """nan and inf are real floats: they flow through (IEEE), as in Python and PyTorch."""
    assert math.isnan(microbp.parse("x * 2", x=math.nan).data)
    assert microbp.parse("x + 1", x=math.inf).data == math.inf
    assert math.isnan((Value(math.nan) * 2).data) and microbp.exp(Value(1000.0)).data == math.inf
