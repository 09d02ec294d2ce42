"""A network read out of a graph: inputs, units layer by layer, weights and loss (the model, no drawing).

``model`` finds the units from the scopes a graph records (``microbp.nn``, or
a hand-built network with ``microbp.scope``) and numbers them as the classic
walkthrough does; ``parts`` splits a unit's net input into weights, inputs and
a bias by the shape of the table's rows, and writes the local derivatives
between drawn values.
"""
