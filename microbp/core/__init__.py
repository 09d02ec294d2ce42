"""The core: the table of operations, the engine, the graph walk and derivatives as graphs.

Standard library only, and it imports nothing from the rest of microbp:
``ops`` is the table (one row per operation: forward on floats, local
derivatives as a formula, sympy form, domain check, notation); ``engine`` makes
``Value`` nodes from the rows and runs backward; ``graph`` is the one walk of
a graph, ``Graph`` (what every consumer reads, built once) and ``scope``;
``autodiff`` builds derivatives as graphs (``gradients``, ``grad``,
``hessian``); ``forward`` is forward mode, the same local derivatives read
leaves first (``jvp``), and ``jacobians`` the Jacobian either way (``jacfwd``,
``jacrev``, ``jacobian``); ``functions`` holds the table's rows as module functions
(``microbp.tanh``, ``microbp.dot``). Everything else reads nodes through the
engine's public API: ``parents``, ``local_grads``, ``op``, ``is_value``.
"""
