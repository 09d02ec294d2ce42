"""The command line, ``microbp``: ``demo``, ``render``, ``grad``, ``check``, ``steps``, ``codegen``.

``commands`` parses the arguments and runs each command; ``terminal`` gives
bad input one line and exit status 2, never a traceback; ``deadline`` is the
wall-clock ceiling of ``--timeout``.
"""
