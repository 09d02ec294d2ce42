"""Checks: the sympy bridge, ``verify`` and ``check_derivation``, and the exact arithmetic they need.

``sympy_bridge`` turns a graph or a text into sympy; ``verification`` weighs,
per leaf, the engine's gradient against sympy's at 50 digits and a finite
difference (``evidence``, ``finite_differences``, ``high_precision``);
``derivations`` proves or refutes a claimed derivative (``posing``,
``proofs``, ``counterexamples``, ``kinks``, ``intervals``), with sympy in a
child process under a time limit (``workers``) and sizes checked first
(``limits``). sympy is imported only here.
"""
