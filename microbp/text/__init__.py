"""Text: the table's formulas written out, the safe parser, and the one scheme of names.

``notation`` is the text interpreter of the table (Python and maths styles)
and ``to_text``; ``javascript`` is its JavaScript target; ``parser`` reads
expression strings with ``ast`` against the table's names (no ``eval``);
``naming`` gives each node of a graph one name, the same in figures,
captions, sympy and generated code.
"""
