"""The backward pass as a program: ``codegen`` prints it, ``compile`` runs it bit for bit as the engine.

``program`` lays out a graph as statements (a line per node forward, a line
per edge backward, each formula from the table's text interpreter);
``identifiers`` makes safe variable names from labels; ``emit`` writes the
fast source that ``compiled`` executes with ``microbp.runtime`` as its only
namespace; ``javascript`` writes a graph's passes as JavaScript for a page,
over ``js_runtime``, the table in JavaScript (``runtime.js`` and what the
table generates).
"""
