"""Show a helper's source on a slide: the code a student reads is the code that runs.

Plumbing for the notebooks (not math): ``print_source(update_params)`` prints the function as it is
in ``helpers/``, with its docstring folded to ``\"\"\"...\"\"\"`` so that the slide shows the code.
"""

import ast
import inspect
import textwrap


def source_lines(func):
    """The source of ``func`` as a list of lines, its docstring (if any) folded to one line ``\"\"\"...\"\"\"``.

    Found with ``ast``, not by matching ``func.__doc__`` (whose indentation Python 3.13 strips).
    """
    lines = textwrap.dedent(inspect.getsource(func)).splitlines()
    body = ast.parse("\n".join(lines)).body[0].body
    first = body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        indent = lines[first.lineno - 1][: len(lines[first.lineno - 1]) - len(lines[first.lineno - 1].lstrip())]
        lines[first.lineno - 1: first.end_lineno] = [indent + '"""..."""']
    return lines


def print_source(func, start=None, stop=None):
    """Print ``func``'s source, docstring folded; with ``start``/``stop``, only the lines from the first
    that starts with ``start`` (after indentation) up to, not including, the first later one that starts
    with ``stop``. A ``start`` or ``stop`` that is not in the source raises ``ValueError``.
    """
    lines = source_lines(func)
    if start is not None or stop is not None:
        stripped = [line.strip() for line in lines]

        def find(prefix, after):
            for i in range(after, len(lines)):
                if stripped[i].startswith(prefix):
                    return i
            raise ValueError(f"no line of {func.__name__} starts with {prefix!r}")

        first = find(start, 0) if start is not None else 0
        last = find(stop, first + 1) if stop is not None else len(lines)
        lines = textwrap.dedent("\n".join(lines[first:last])).splitlines()
    print("\n".join(lines))
