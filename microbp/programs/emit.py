"""The code ``microbp.compile`` runs: a ``Program`` in its fast shapes, cut to CPython's size.

Two shapes, both straight-line Python over local variables:

- **pull** (one evaluation): forward, then each gradient once, as the sum of
  its terms in the order backward adds them: ``grad_h = w1 * grad_z1 + w2 * grad_z2``.
  One line per node, so CPython compiles it about three times faster than a
  line per edge.
- **push, gated** (one example of a batch): the chain rule a line per edge,
  each node's block under ``if grad_n:``, so a node whose gradient is 0 (behind
  a relu at its kink, a margin already met) costs one test, as in backward.

Every line is a ``Block`` that says which names it defines and which it
updates. A program of more than ``PART_SIZE`` characters is cut, between
blocks, into functions (``part_1``, ``part_2``, ...) that take the names they
read and return the names others read, each compiled on its own, so that no
function and no expression reaches CPython's limits (a sum of more than about
3,000 terms, or hundreds of megabytes for one ``compile()``). Sums longer
than ``TERMS`` terms are cut into running totals, in the same order.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..core.ops import ATOM
from ..runtime import namespace
from ..text.notation import Written, float_literal
from .program import MUL, Program, chained, wrapped

TERMS = 500              # terms of a sum in one expression (CPython's compiler recurses once per term)
PART_SIZE = 1_000_000    # characters of code per compile() call: about 80 MB while compiling
NAME = re.compile(r"[A-Za-z_]\w*")
SUM_ADDS_IN_ORDER = sum([1e100, 1.0, -1e100]) == 0.0
"""Python's ``sum`` adds floats left to right (up to 3.11; 3.12 compensates), so n-ary nodes may be
written out as ``0 + w1 * x1 + w2 * x2``; otherwise they call the row's forward."""


class Block(NamedTuple):
    """Lines of code that define some names (first assignments) and update others (``+=``).

    Every name is defined before it is read, so a stretch of blocks reads, from
    before it, exactly the names it uses and does not define.
    """

    lines: list
    defines: tuple = ()
    updates: tuple = ()


# --- forward ------------------------------------------------------------------------------

def constant_blocks(program: Program) -> list:
    """The leaves that are neither in wrt nor in inputs, at the values they had when compiled."""
    return [Block([f"{program.name(leaf)} = {float_literal(value)}"], (program.name(leaf),))
            for leaf, value in program.constants.items()]


def forward_blocks(program: Program) -> list:
    """A block per computed node: its domain check, then its value."""
    blocks = []
    for step in program.steps:
        check = program.check_line(step)
        temporaries, text = _written_out(program, step)
        lines = ([check] if check else []) + temporaries + [f"{step.name} = {text}"]
        blocks.append(Block(lines, (step.name,) + tuple(t.split(" = ")[0] for t in temporaries)))
    return blocks


def _written_out(program: Program, step) -> tuple:
    """(temporaries, text): an n-ary node as its forward computes it, ``0 + w1 * x1 + ...``.

    The rows' forwards for sums are plain arithmetic, so evaluating one on
    texts writes out its additions in its own order; long chains are cut.
    """
    row, args = step.node.op, step.args
    if row.arity is not None or not SUM_ADDS_IN_ORDER:
        return [], program.forward_text(step)
    if len(args) <= TERMS and all(a.precedence == ATOM for a in args):
        template = _template(row, len(args))
        if template is not None:
            return [], template.format(*[a.parts[0] if len(a.parts) == 1 else str(a) for a in args])
    text = row.forward(*args)
    if not isinstance(text, Written):
        return [], program.forward_text(step)
    if len(args) <= TERMS:
        return [], text
    return _cut(text, lambda: program.names.fresh("t"))


_TEMPLATES = {}


def _template(row, count: int):
    """The row's forward written on ``{0}``, ``{1}``, ...: ``0 + {0} * {2} + {1} * {3}``, made once a shape.

    Operands that are names or numbers (nothing that needs parentheses) fill it in.
    """
    key = (row.name, count)
    if key not in _TEMPLATES:
        text = row.forward(*[Written("{%d}" % i) for i in range(count)])
        _TEMPLATES[key] = str(text) if isinstance(text, Written) else None
    return _TEMPLATES[key]


def _cut(text: Written, fresh) -> tuple:
    """Give every subexpression nested ``TERMS`` deep a name of its own; (statements, text)."""
    statements, done, stack = [], {}, [(text, False)]
    while stack:
        item, ready = stack.pop()
        if id(item) in done:
            continue
        children = [part for part in item.parts if isinstance(part, Written)]
        if not ready:
            stack.append((item, True))
            stack.extend((child, False) for child in children if id(child) not in done)
            continue
        parts = tuple(done[id(part)][0] if isinstance(part, Written) else part for part in item.parts)
        depth = 1 + max((done[id(child)][1] for child in children), default=0)
        new = Written(parts, item.precedence, item.style)
        if depth >= TERMS:
            name = fresh()
            statements.append(f"{name} = {new}")
            new, depth = Written(name), 1
        done[id(item)] = (new, depth)
    return statements, done[id(text)][0]


def product_term(local, upstream: str) -> str:
    """``local * upstream`` (``upstream`` alone for a local derivative of 1), with the parentheses
    ``write`` would give: the upstream gradient is a name, so only the local may need them."""
    if local == 1:
        return upstream
    parts = local.parts
    text = parts[0] if len(parts) == 1 and type(parts[0]) is str else str(local)
    return f"{text} * {upstream}" if local.precedence >= MUL.notation.precedence else f"({text}) * {upstream}"


# --- backward, pulled: each gradient once, as a sum -------------------------------------------

def pull_blocks(program: Program) -> list:
    """``grad_x = t1 + t2 + ...`` per node, last node first; the wrt leaves' last, starting from 0.0."""
    names, root = program.names, program.root
    terms = {}                                 # node -> [" + term" or " - term"], in backward's order
    blocks = []
    if root in program.relevant:
        blocks.append(Block([f"{names.of_grad(root)} = 1.0"], (names.of_grad(root),)))
    for step in reversed(program.steps):
        node = step.node
        if node is not root and node in terms:
            blocks.append(sum_block(names.of_grad(node), terms.pop(node), start=None))
        upstream = names.of_grad(node) if step.edges else None
        for parent, local in step.edges:
            term = f" - {upstream}" if local == -1 else f" + {product_term(local, upstream)}"
            if parent in terms:
                terms[parent].append(term)
            else:
                terms[parent] = [term]
    for leaf in program.wrt:
        if leaf in terms:
            blocks.append(sum_block(names.of_grad(leaf), terms.pop(leaf), start="0.0"))
    return blocks


def sum_block(target: str, terms: list, start) -> Block:
    """``target = start + t1 - t2 + ...``, in lines of at most ``TERMS`` terms, added in order.

    The leaves' sums start from 0.0 as backward's do (so a sum of -0.0 terms is 0.0).
    """
    lines = []
    for i in range(0, len(terms), TERMS):
        chunk = terms[i:i + TERMS]
        if i:
            head = target
        elif start is not None:
            head = start
        else:                                   # the first term alone: "-g" or "t"
            first, chunk = chunk[0], chunk[1:]
            head = "-" + first[3:] if first.startswith(" - ") else first[3:]
        lines.append(f"{target} = {head}{''.join(chunk)}")
    return Block(lines, (target,))


# --- backward, pushed and gated: a line per edge, under `if grad_n:` -------------------------

def push_blocks(program: Program, seed: str, started: set) -> list:
    """The chain rule a line per edge; ``started`` holds the gradients already set (the wrt leaves')."""
    names, root = program.names, program.root
    blocks = []
    if root in program.relevant:
        target = names.of_grad(root)
        if root.op is None:
            blocks.append(Block([f"{target} += {seed}"], updates=(target,)))
        else:
            blocks.append(Block([f"{target} = {seed}"], (target,)))
    started = set(started) | {root}
    for step in reversed(program.steps):
        if not step.edges:
            continue
        upstream = names.of_grad(step.node)
        new = [p for p in dict.fromkeys(p for p, _ in step.edges) if p not in started]
        started.update(new)
        defines = tuple(names.of_grad(p) for p in new)
        lines = chained(defines, "0.0") if defines else []
        indent = "" if step.node is root else "    "
        if indent:
            lines.append(f"if {upstream}:")
        for parent, local in step.edges:
            target = names.of_grad(parent)
            lines.append(f"{indent}{target} -= {upstream}" if local == -1 else
                         f"{indent}{target} += {product_term(local, upstream)}")
        updates = tuple(dict.fromkeys(names.of_grad(p) for p, _ in step.edges if names.of_grad(p) not in defines))
        blocks.append(Block(lines, defines, updates))
    return blocks


# --- from blocks to functions -----------------------------------------------------------------

class Code(NamedTuple):
    """What ``assemble`` gives: the function, and every source compiled for it, in order."""

    function: object
    source: str


def assemble(signature: str, sections: list, variables: set) -> Code:
    """Compile ``def signature: <sections>`` into a function, in parts where it is long.

    A section is ``("lines", lines)``, ``("blocks", blocks)``, or ``("loop", header,
    blocks, after)`` for a loop over a batch. A stretch of blocks longer than
    ``PART_SIZE`` characters becomes calls of part functions, each compiled on its own.
    """
    scope, sources = namespace(), []
    stretches = [section[-2] if section[0] == "loop" else section[1] for section in sections
                 if section[0] != "lines"]
    split = [_size(blocks) > PART_SIZE for blocks in stretches]
    pieces = [_parts(blocks) if cut else [blocks] for blocks, cut in zip(stretches, split)]
    used = [[_used(piece, variables) for piece in stretch] for stretch in pieces] if any(split) else None
    body, k = [], 0
    for section in sections:
        if section[0] == "lines":
            body += section[1]
            continue
        if split[k]:
            lines = _calls(pieces[k], used[k], _used_elsewhere(sections, used, k, variables), scope, sources)
        else:
            lines = [line for block in pieces[k][0] for line in block.lines]
        k += 1
        if section[0] == "loop":
            body += [section[1]] + ["    " + line for line in lines + section[3]]
        else:
            body += lines
    text = "\n".join([f"def {signature}:"] + ["    " + line for line in body]) + "\n"
    exec(compile(text, "<microbp.compile>", "exec"), scope)
    sources.append(text)
    return Code(scope[signature.split("(")[0]], "\n\n".join(sources))


def _size(blocks) -> int:
    return sum(len(line) for block in blocks for line in block.lines)


def _used(blocks, variables: set) -> set:
    """The variables a run of blocks names, as one set (each name once, the set's own strings)."""
    return set(NAME.findall("\n".join(line for block in blocks for line in block.lines))) & variables


def _used_elsewhere(sections, used, k: int, variables: set) -> set:
    """The variables named outside the ``k``-th stretch of blocks: what its parts must give back."""
    lines = [line for section in sections if section[0] != "blocks"
             for line in (section[1] if section[0] == "lines" else [section[1]] + section[3])]
    elsewhere = set(NAME.findall("\n".join(lines))) & variables
    for j, stretch in enumerate(used):
        if j != k:
            elsewhere.update(*stretch)
    return elsewhere


def _calls(parts, used: list, elsewhere: set, scope: dict, sources: list) -> list:
    """Compile each run of blocks as a part function; the lines calling them, passing and taking back names."""
    calls = []
    for i, part in enumerate(parts):
        defined = {name for block in part for name in block.defines}
        params = sorted(used[i] - defined)
        written = defined.union(*(block.updates for block in part))
        later = elsewhere.union(*(u for j, u in enumerate(used) if j != i))
        returns = sorted(written & later)
        name = f"part_{len(sources) + 1}"
        text = "\n".join([f"def {name}({', '.join(params)}):"]
                         + ["    " + line for block in part for line in block.lines]
                         + [f"    return ({''.join(r + ', ' for r in returns)})"]) + "\n"
        exec(compile(text, f"<microbp.compile {name}>", "exec"), scope)
        sources.append(text)
        call = f"{name}({', '.join(params)})"
        calls.append(f"{', '.join(returns)}, = {call}" if returns else call)
    return calls


def _parts(blocks) -> list:
    """Blocks in runs of at most about ``PART_SIZE`` characters each."""
    parts, part, size = [], [], 0
    for block in blocks:
        length = sum(map(len, block.lines))
        if part and size + length > PART_SIZE:
            parts.append(part)
            part, size = [], 0
        part.append(block)
        size += length
    return parts + [part]


def unpack(names: list, source: str) -> list:
    """``a, b, c, = source``, in lines of readable length, a thousand names a statement."""
    lines = []
    for i in range(0, len(names), 1000):
        chunk = names[i:i + 1000]
        values = source if len(names) <= 1000 else f"{source}[{i}:{i + 1000}]"
        one = f"{''.join(name + ', ' for name in chunk)}= {values}"
        lines += [one] if len(one) <= 100 else wrapped("(", chunk, ", ", f") = {values}")
    return lines
