"""Operations that are not rows of the table: compile and codegen refuse them, never write them out.

An ``Op`` is public, so a user can build nodes of their own operations with the
engine. ``compile`` and ``codegen`` write source from the table's rows alone
(docs/compile.md): an operation that is not a row, by identity, is a TypeError
naming it, whatever its fields hold — a row's name (which once compiled as that
row: 0.905 where the engine said 3.0), Python in its name, token, symbol or
notation (which once reached the generated source and escaped its namespace),
or a fresh name (which once gave a raw NameError).
"""

import pickle

import pytest

import microbp
from microbp.core.engine import apply
from microbp.core.ops import CALL, OPS, Notation, Op, infix, is_row
from microbp.programs.codegen import codegen
from microbp.programs.program import Program

ESCAPE = "().__class__.__base__.__subclasses__()"


def _doubling(name="double", arity=1, symbol="d", notation=CALL):
    grads = (lambda m, out, a: (2.0,)) if arity == 1 else (lambda m, out, a, b: (1.0, 1.0))
    forward = (lambda a: 2 * a) if arity == 1 else (lambda a, b: a + b)
    return Op(name, arity, symbol, notation, forward, grads, lambda s, *xs: 2 * xs[0])


def _payload(folder) -> str:
    """Python that, if it ever ran, would write a file into ``folder``."""
    return f"[c for c in {ESCAPE} if c.__name__ == 'FileIO'][0]({str(folder / 'pwned')!r}, 'w')"


def hostile_operations(folder) -> dict:
    code = _payload(folder)
    return {
        "a row's name": _doubling(name="tanh", symbol="tanh"),
        "a fresh name": _doubling(name="double"),
        "Python in the name": _doubling(name=f"x) or {code} or (x"),
        "Python in the symbol": _doubling(symbol=f"{code}"),
        "Python in the token": _doubling(arity=2, notation=infix(f"+ {code} +", 1)),
        "Python in the maths form": _doubling(notation=Notation("call", math=f"{{}}) or {code} or ({{}}")),
        "Python in the form": _doubling(notation=Notation(f"call{code}")),
        "a name that is not a string": _doubling(name=["tanh"]),
    }


def _graph(op):
    x, y = microbp.Value(1.5, label="x"), microbp.Value(0.5, label="y")
    node = apply(op, (x,) if op.arity == 1 else (x, y))
    return (node * 1.0).tanh(), x


CASES = list(hostile_operations(__import__("pathlib").Path(".")))


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("writer", ["compile", "codegen", "Program"])
def test_operations_not_in_the_table_are_refused_by_compile_and_codegen(case, writer, tmp_path):
    op = hostile_operations(tmp_path)[case]
    root, x = _graph(op)
    call = {"compile": lambda: microbp.compile(root, wrt=[x]), "codegen": lambda: codegen(root, wrt=[x]),
            "Program": lambda: Program(root, wrt=[x]).source()}[writer]
    with pytest.raises(TypeError, match=r"not a row of microbp's op table") as error:
        call()
    message = str(error.value)
    assert message.startswith(("compile:", "codegen:")) and "Op(" in message
    assert ESCAPE not in message or len(message) < 400          # the name is shown cut short
    assert list(tmp_path.iterdir()) == []                      # nothing of the payload ran


def test_an_op_sharing_a_rows_name_is_not_that_row():
    impostor = _doubling(name="tanh", symbol="tanh")
    assert is_row(OPS["tanh"]) and not is_row(impostor)
    x = microbp.Value(1.5, label="x")
    assert apply(impostor, (x,)).data == 3.0                   # the engine runs the user's operation
    with pytest.raises(TypeError, match=r"compile: .*Op\('tanh'\)"):
        microbp.compile(apply(impostor, (x,)), wrt=[x])


def test_graphs_of_table_rows_still_compile():
    x = microbp.Value(1.5, label="x")
    y = (x * 2.0).tanh()
    assert microbp.compile(y, wrt=[x])([1.5])[0] == y.data


def test_an_op_not_in_the_table_cannot_be_pickled_as_the_row_of_its_name():
    node = apply(_doubling(name="tanh", symbol="tanh"), (microbp.Value(1.5),))
    with pytest.raises(pickle.PicklingError, match=r"Op\('tanh'\) is not a row"):
        pickle.dumps(node)
    assert pickle.loads(pickle.dumps(OPS["tanh"])) is OPS["tanh"]
